"""Telesales statistics per class A-D: offered only with the telesales level scheme; each
salesperson's customers and contacts per class and the moves between classes equal counts made
here from the cards and the log, across the year's end."""
from __future__ import annotations

import datetime as dt
import itertools
import random
from collections import Counter, defaultdict

import pytest

from crmdesk.models import Communication, Customer, Level, Staff
from crmdesk.services import levels, statistics
from crmdesk.services.statistics import UnknownReportError
from crmdesk.services.statistics.periods import Period

PERIOD = Period(dt.date(2025, 12, 29), dt.date(2026, 1, 4))  # ISO week 2026-W01


def test_the_telesales_report_is_offered_only_with_the_telesales_scheme(archive, manager):
    assert "telesales" not in [kind.name for kind in statistics.available_reports()]
    with pytest.raises(UnknownReportError, match="A"):
        statistics.run("telesales", PERIOD, manager)
    levels.apply_preset("telesales", manager)
    assert "telesales" in [kind.name for kind in statistics.available_reports()]
    assert statistics.run("telesales", PERIOD, manager).sections[1].rows[0][0].value


@pytest.fixture
def telesales_office(archive, manager, salesperson):
    levels.apply_preset("telesales", manager)
    rng = random.Random(4)
    classes = [level.id for level in Level.select().where(Level.active)]
    sellers = [manager.staff_id, salesperson.staff_id]
    for n in range(40):
        made = dt.datetime(2025, 12, 1, 10)
        customer = Customer.create(archive_no=f"KH{n:06d}", name=f"客户{n}", created_at=made,
                                   updated_at=made, owner=rng.choice(sellers),
                                   level=rng.choice(classes), status="following")
        for seq in range(1, rng.randint(1, 6)):
            day = PERIOD.start + dt.timedelta(days=rng.randint(-3, 9))
            Communication.create(customer=customer.id, seq=seq, method="phone", record="电话",
                                 contacted_at=dt.datetime.combine(day, rng.choice(
                                     (dt.time(0, 0), dt.time(23, 59, 59)))),
                                 level=rng.choice(classes), recorded_by=rng.choice(sellers))
    return sellers


def test_telesales_figures_equal_counts_from_the_cards_and_the_log(telesales_office, manager):
    code = {level.id: level.code for level in Level.select()}
    names = {s.id: s.name for s in Staff.select()}
    customers = Counter((c.owner_id, code[c.level_id]) for c in Customer.select())
    contacts = Counter((c.recorded_by_id, code[c.level_id]) for c in Communication.select()
                       if PERIOD.start <= c.contacted_at.date() <= PERIOD.end)
    moved, up, down = defaultdict(set), defaultdict(set), defaultdict(set)
    log = defaultdict(list)
    for entry in Communication.select():
        log[entry.customer_id].append(entry)
    for cid, entries in log.items():
        entries.sort(key=lambda e: (e.contacted_at, e.seq))
        for before, entry in itertools.pairwise(entries):
            after, was = code[entry.level_id], code[before.level_id]
            if after != was and PERIOD.start <= entry.contacted_at.date() <= PERIOD.end:
                moved[(was, after)].add(cid)
                (up if after < was else down)[entry.recorded_by_id].add(cid)
    report = statistics.run("telesales", PERIOD, manager)
    people = {row[0].value: [f.value for f in row[1:]] for row in report.sections[0].rows}
    for staff_id in telesales_office:
        assert people[names[staff_id]] == [
            *(customers[(staff_id, c)] for c in "ABCD"),
            *(contacts[(staff_id, c)] for c in "ABCD"),
            len(up[staff_id]), len(down[staff_id])]
    matrix = [[f.value for f in row[1:]] for row in report.sections[1].rows]
    assert matrix == [[len(moved[(b, a)]) for a in "ABCD"] for b in "ABCD"]
    assert sum(map(sum, matrix)) > 5


def test_a_salesperson_reads_only_their_own_classes(telesales_office, salesperson):
    report = statistics.run("telesales", PERIOD, salesperson)
    assert [row[0].value for row in report.sections[0].rows] == ["王强"]

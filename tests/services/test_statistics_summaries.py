"""The statistics' summary rows: after a random run of writes through every kind of write path
(cards, contacts, deals, backdated edits, merges and their undoing, destruction), the
discipline, deal and growth figures read from the summaries equal counts made here from the
raw tables, across week, month and year boundaries; a damaged summary is found and rebuilt."""
from __future__ import annotations

import datetime as dt
import itertools
import random
from collections import Counter, defaultdict

import peewee
import pytest

from crmdesk.models import Communication, Customer, Deal, Level, OwnershipChange, Staff, summaries
from crmdesk.models.card import Applies
from crmdesk.models.db import database
from crmdesk.models.migrations import upgrade
from crmdesk.models.summaries import ContactTally, Milestone, drift, important_fields, rebuild
from crmdesk.services import contacts, customers, merges, retention, statistics
from crmdesk.services.accounts import PermissionDenied
from crmdesk.services.context import Actor
from crmdesk.services.protection import protection_of
from crmdesk.services.statistics.periods import Period, bucket_start
from crmdesk.services.statistics.upkeep import check_summaries, rebuild_summaries

# 2025-12-29 is a Monday in ISO week 2026-W01; the range spans a month, a year and weeks.
BOUNDARIES = (dt.date(2025, 11, 30), dt.date(2025, 12, 1), dt.date(2025, 12, 28),
              dt.date(2025, 12, 29), dt.date(2025, 12, 31), dt.date(2026, 1, 1),
              dt.date(2026, 1, 31), dt.date(2026, 2, 1))
PERIODS = (Period(dt.date(2025, 12, 1), dt.date(2025, 12, 31)),
           Period(dt.date(2025, 12, 29), dt.date(2026, 1, 4)),
           Period(dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
           Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31)))
TIMES = (dt.time(0, 0), dt.time(9, 30), dt.time(23, 59, 59))


def _moment(rng: random.Random) -> dt.datetime:
    day = rng.choice(BOUNDARIES) + dt.timedelta(days=rng.choice((0, 0, 1, -1, 3)))
    return dt.datetime.combine(day, rng.choice(TIMES))


def _writes(rng: random.Random, manager: Actor, salesperson: Actor, other: Actor) -> None:
    """A random run of writes, each through the path the office uses."""
    people = (manager, salesperson, other)
    levels = [level.id for level in Level.select()]
    ids: list[int] = []
    for serial in range(14):
        who = rng.choice(people)
        card = customers.new_card(who, "individual")
        card.values.update(name=f"客户{serial}", mobile=str(13900139000 + serial),
                           address="上海市长宁路1号" if rng.random() < 0.7 else None,
                           source=rng.choice(("visit", "call", None)), consent=True,
                           needs="家用代步", employer="华信科技")
        ids.append(customers.save_card(card, who, accept_incomplete=True).customer_id)
    for _step in range(90):
        action = rng.random()
        cid = rng.choice(ids)
        if action < 0.55:
            owner = Customer.get_by_id(cid).owner_id
            writer = rng.choice([p for p in people if p.staff_id == owner] + [manager])
            contacts.log_contact(cid, contacts.Contact(
                _moment(rng), "phone", "回访",
                level_id=rng.choice([*levels, None])), writer)
        elif action < 0.65:
            Deal.create(customer=cid, closed_on=_moment(rng).date(), recorded_at=_moment(rng),
                        salesperson=manager.staff_id)
        elif action < 0.72:
            Customer.update(created_at=_moment(rng), owner=rng.choice(people).staff_id,
                            source=rng.choice(("visit", "call", "")),
                            first_contact_date=rng.choice((None, _moment(rng).date()))).where(
                Customer.id == cid).execute()
        elif action < 0.80:
            logged = list(Communication.select().where(Communication.customer == cid))
            if logged:
                entry = rng.choice(logged)
                if rng.random() < 0.5:
                    entry.delete_instance()
                else:
                    Communication.update(contacted_at=_moment(rng),
                                         level=rng.choice([*levels, None]),
                                         recorded_by=rng.choice(people).staff_id).where(
                        Communication.id == entry.id).execute()
        elif action < 0.84:
            Deal.delete().where(Deal.customer == cid).execute()
        elif action < 0.90 and len(ids) > 4:
            other_id = rng.choice([i for i in ids if i != cid])
            merge_id = merges.merge(cid, other_id, manager)
            if rng.random() < 0.5:
                merges.undo_merge(merge_id, manager)
            else:
                ids.remove(other_id)
        elif action < 0.93 and len(ids) > 4:
            retention.destroy(manager, cid, "到期销毁")
            ids.remove(cid)
        else:
            Customer.update(address=rng.choice((None, "", "北京"))).where(
                Customer.id == cid).execute()


def _day(value: object) -> dt.date:
    return value if isinstance(value, dt.date) and not isinstance(value, dt.datetime) else (
        value.date() if isinstance(value, dt.datetime) else dt.date.fromisoformat(str(value)))


def _complete(customer: Customer) -> bool:
    for spec in important_fields():
        value = customer.__data__.get(spec.name)
        filled = value is not None and value != ""
        if spec.applies is not Applies.BOTH and (customer.kind or "") != spec.applies.value:
            filled = True
        if not filled:
            return False
    return True


def _raw_discipline(period: Period) -> dict[int | None, tuple[int, int, int]]:
    """Contacts logged, customers raised and lowered per recorder, from the log."""
    order = {level.id: level.sort_order for level in Level.select()}
    logged: Counter = Counter()
    raised, lowered = defaultdict(set), defaultdict(set)
    graded = defaultdict(list)
    for entry in Communication.select():
        if period.start <= entry.contacted_at.date() <= period.end:
            logged[entry.recorded_by_id] += 1
        if entry.level_id is not None:
            graded[entry.customer_id].append(entry)
    for cid, entries in graded.items():
        entries.sort(key=lambda e: (e.contacted_at, e.seq))
        for before, entry in itertools.pairwise(entries):
            if entry.level_id != before.level_id and (
                    period.start <= entry.contacted_at.date() <= period.end):
                up = order[entry.level_id] < order[before.level_id]
                (raised if up else lowered)[entry.recorded_by_id].add(cid)
    return {who: (logged[who], len(raised[who]), len(lowered[who]))
            for who in set(logged) | set(raised) | set(lowered)}


def _raw_archives(period: Period) -> tuple[Counter, Counter, Counter, Counter]:
    """Per owner: archives first contacted in the period, those with a deal since, days to
    deal; and per (registration day, owner, source, complete): new archives."""
    archives, won, days, grown = Counter(), Counter(), Counter(), Counter()
    for customer in Customer.select():
        created = customer.created_at.date()
        first = _day(customer.first_contact_date) if customer.first_contact_date else created
        if period.start <= first <= period.end:
            archives[customer.owner_id] += 1
            deals = [_day(d.closed_on) for d in customer.deals if _day(d.closed_on) >= first]
            if deals:
                won[customer.owner_id] += 1
                days[customer.owner_id] += (min(deals) - first).days
        if period.start <= created <= period.end:
            grown[(created, customer.owner_id, customer.source or "",
                   _complete(customer))] += 1
    return archives, won, days, grown


def _by_name(section: statistics.Section) -> dict[str, tuple]:
    return {str(row[0].value): tuple(cell.value for cell in row[1:])
            for row in section.groups()}


@pytest.mark.parametrize("seed", [3, 11])
def test_summary_figures_equal_counts_from_the_raw_tables(archive, manager, salesperson, seed):
    other = Actor.of(Staff.create(name="陈明", username="chen", roles="sales"))
    _writes(random.Random(seed), manager, salesperson, other)
    assert drift(database.obj) == []
    names = {s.id: s.name for s in Staff.select()}
    for period in PERIODS:
        discipline = _by_name(statistics.run("discipline", period, manager).sections[0])
        for who, (logged, up, down) in _raw_discipline(period).items():
            figures = discipline.get(names.get(who, "(none)"), (0,) * 7)
            assert (figures[0], figures[5], figures[6]) == (logged, up, down), (period, who)
        archives, won, days, grown = _raw_archives(period)
        deals = _by_name(statistics.run("conversion", period, manager).sections[1])
        for who in archives:
            every, _hot, closed, _rate, mean_days = deals[names.get(who, "(none)")]
            assert (every, closed) == (archives[who], won[who]), (period, who)
            assert mean_days == (round(days[who] / won[who], 1) if won[who] else None)
        for by in ("week", "month"):
            growth = statistics.run("growth", period, manager, by)
            per_bucket: Counter = Counter()
            per_owner: Counter = Counter()
            for (day, owner, _source, complete), number in grown.items():
                per_bucket[(bucket_start(day, by), complete)] += number
                per_owner[(names.get(owner, "(none)"), complete)] += number
            for row in growth.sections[0].groups():
                start = row[1].drill.group[0][1]
                assert (row[1].value, row[2].value) == (
                    per_bucket[(start, True)] + per_bucket[(start, False)],
                    per_bucket[(start, True)]), (period, by, start)
            owners = _by_name(growth.sections[2])
            for name in {name for name, _complete in per_owner}:
                every = per_owner[(name, True)] + per_owner[(name, False)]
                assert owners[name][:2] == (every, per_owner[(name, True)]), (period, name)


def test_a_salesperson_reads_their_own_summaries_without_top_secret_archives(
        archive, manager, salesperson):
    rng = random.Random(5)
    _writes(rng, manager, salesperson, Actor.of(Staff.create(name="陈明", username="chen",
                                                             roles="sales")))
    secret = Customer.select().where(Customer.owner != salesperson.staff_id).first()
    # Their contact from before the archive went to a colleague and became top secret.
    Communication.create(customer=secret.id, seq=99, method="phone", record="回访",
                         contacted_at=dt.datetime(2025, 12, 31, 23, 59),
                         recorded_by=salesperson.staff_id)
    Customer.update(confidentiality="secret").where(Customer.id == secret.id).execute()
    period = Period(dt.date(2025, 12, 1), dt.date(2026, 1, 31))
    mine = statistics.run("discipline", period, salesperson).sections[0].rows
    expected = sum(1 for e in Communication.select()
                   if e.recorded_by_id == salesperson.staff_id and e.customer_id != secret.id
                   and period.start <= e.contacted_at.date() <= period.end)
    assert [row[1].value for row in mine if row[0].value == "王强"] == [expected]


def test_a_damaged_summary_is_found_and_rebuilt(archive, manager, salesperson):
    _writes(random.Random(1), manager, salesperson, manager)
    ContactTally.update(contacts=ContactTally.contacts + 1).execute()
    assert drift(database.obj) == ["contact_tally"]
    with database.atomic():
        rebuild(database.obj)
    assert drift(database.obj) == []


def test_only_who_looks_after_the_archive_checks_and_rebuilds_summaries(
        archive, manager, salesperson):
    ContactTally.create(day=dt.date(2026, 1, 1), staff_key=salesperson.staff_id, level_key=0,
                        contacts=3)
    assert len(check_summaries(manager)) == 1
    with pytest.raises(PermissionDenied):
        rebuild_summaries(salesperson)
    rebuild_summaries(manager)
    assert check_summaries(manager) == []


def test_discipline_counts_customers_lapsed_to_the_pool_by_the_protection_rule(
        archive, manager, salesperson):
    """Lapsed in the period: the first day without protection (protection_of, 60 days by
    default) falls within it, or, for a customer since claimed from the pool, it was taken
    then."""
    rng = random.Random(2)
    period = Period(dt.date(2025, 12, 1), dt.date(2025, 12, 31))
    ids = []
    for n in range(40):
        created = dt.datetime(2025, 9, 15, 23, 59) + dt.timedelta(days=rng.randint(0, 60))
        ids.append(Customer.create(archive_no=f"KH{n:06d}", name=f"客户{n}", created_at=created,
                                   updated_at=created, owner=salesperson.staff_id,
                                   status="following").id)
    claimed = ids[:5]
    for cid in claimed:
        OwnershipChange.create(customer=cid, at=dt.datetime(2025, 12, 10, 10), kind="claim",
                               from_staff=salesperson.staff_id, to_staff=manager.staff_id)
        Customer.update(owner=manager.staff_id).where(Customer.id == cid).execute()
    kept = protection_of(ids[5:])
    expected = sum(1 for p in kept.values()
                   if p.lapses_on and period.start <= p.lapses_on <= period.end) + len(claimed)
    report = statistics.run("discipline", period, manager)
    row = next(r for r in report.sections[0].rows if r[0].value == "王强")
    assert row[8].value == expected and 5 < expected < 40
    assert len(statistics.drill(row[8], manager)) == expected


def test_an_archive_from_before_the_summaries_gets_them_filled_on_upgrade(
        archive, manager, salesperson):
    """Schema 25 on an archive with contacts, cards and deals: the summaries hold them."""
    _writes(random.Random(8), manager, salesperson, manager)
    db = database.obj
    postgres = not isinstance(db, peewee.SqliteDatabase)
    with database.atomic():
        for name, table, *_rest in summaries._triggers(db):
            db.execute_sql(f"DROP TRIGGER {name}" + (f" ON {table}" if postgres else ""))
        for model in summaries.SUMMARY_MODELS:
            table = model._meta.table_name
            db.execute_sql(f"DROP TABLE {table}")
        db.execute_sql("DELETE FROM schema_migration WHERE version = 25")
    upgrade(db)
    assert drift(db) == [] and Milestone.select().count() == Customer.select().count() > 0
    contacts.log_contact(Customer.select().first().id, contacts.Contact(
        dt.datetime(2026, 1, 1), "phone", "回访"), manager)
    assert drift(db) == []


@pytest.mark.parametrize("by", ["week", "month"])
def test_whole_months_read_from_the_tallies_leave_out_top_secret_archives(
        archive, manager, salesperson, by):
    _writes(random.Random(9), manager, salesperson, salesperson)
    secret = Customer.select().where(Customer.owner == salesperson.staff_id).first()
    # Registered and first contacted in December, a whole month the tallies count.
    Customer.update(confidentiality="secret", created_at=dt.datetime(2025, 12, 15, 12),
                    first_contact_date=None).where(Customer.id == secret.id).execute()
    period = Period(dt.date(2025, 11, 15), dt.date(2026, 1, 31))
    shown = [c for c in Customer.select() if c.id != secret.id]
    growth = statistics.run("growth", period, manager, by).sections[0].rows[-1]
    assert growth[1].value == sum(period.start <= c.created_at.date() <= period.end
                                  for c in shown)
    deals = statistics.run("conversion", period, manager, by).sections[1].rows[-1]
    first = [c for c in shown if period.start <= _day(c.first_contact_date or c.created_at)
             <= period.end]
    assert deals[1].value == len(first)

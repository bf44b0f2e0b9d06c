"""Demo data: the same seed gives the same archive, with every level, status and a real log."""
from __future__ import annotations

import datetime as dt
from collections import Counter as Tally
from pathlib import Path

import pytest

from crmdesk.models import Communication, Customer, DecisionPerson, Level, Purchase, Staff
from crmdesk.models.card import FIELDS
from crmdesk.models.db import close_database, open_database
from crmdesk.models.phones import normalize_mobile
from crmdesk.services.cadence import next_follow_up
from crmdesk.services.demo import build_demo

TODAY = dt.date(2026, 3, 2)


def _table(model) -> list[tuple]:
    return list(model.select().order_by(model.id).tuples())


@pytest.fixture(scope="module")
def demo_archive(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "archive.sqlite3"
    open_database(path)
    build_demo(300, seed=5, today=TODAY)
    close_database()
    return path


@pytest.fixture
def demo(demo_archive):
    open_database(demo_archive)
    yield
    close_database()


def test_same_seed_gives_identical_archives(tmp_path):
    built = []
    for name in ("first.sqlite3", "second.sqlite3"):
        open_database(tmp_path / name)
        counts = build_demo(300, seed=5, today=TODAY)
        built.append((counts, _table(Customer), _table(Communication), _table(DecisionPerson),
                      _table(Purchase)))
        close_database()
    assert built[0] == built[1]
    assert len(built[0][1]) == 300


def test_another_seed_gives_other_customers(tmp_path):
    names = []
    for seed in (5, 6):
        open_database(tmp_path / f"seed{seed}.sqlite3")
        build_demo(50, seed=seed, today=TODAY)
        names.append([c.name for c in Customer.select().order_by(Customer.id)])
        close_database()
    assert names[0] != names[1]


def test_counts_match_what_was_written(tmp_path):
    open_database(tmp_path / "archive.sqlite3")
    try:
        counts = build_demo(120, seed=2, today=TODAY)
        assert counts.customers == Customer.select().count() == 120
        assert counts.communications == Communication.select().count()
        assert counts.decision_people == DecisionPerson.select().count()
        assert counts.purchases == Purchase.select().count()
        assert counts.staff == Staff.select().count()
    finally:
        close_database()


def test_every_level_and_status_is_present(demo):
    levels = {c for (c,) in Customer.select(Level.code).join(Level).tuples()}
    assert levels == {lv.code for lv in Level.select()}
    statuses = {s for (s,) in Customer.select(Customer.status).tuples()}
    assert statuses == {c.key for c in FIELDS["status"].choices}


def test_both_kinds_of_customer_are_present(demo):
    kinds = Tally(k for (k,) in Customer.select(Customer.kind).tuples())
    assert kinds["individual"] > kinds["organisation"] > 0


def test_each_customer_has_about_ten_contacts_numbered_in_order(demo):
    per_customer = Tally(c for (c,) in Communication.select(Communication.customer_id).tuples())
    assert set(per_customer) == {c for (c,) in Customer.select(Customer.id).tuples()}
    assert all(5 <= n <= 15 for n in per_customer.values())
    assert 8 <= sum(per_customer.values()) / len(per_customer) <= 12
    for customer_id in list(per_customer)[:20]:
        log = Communication.select().where(Communication.customer == customer_id).order_by(
            Communication.seq)
        assert [e.seq for e in log] == list(range(1, per_customer[customer_id] + 1))
        moments = [e.contacted_at for e in log]
        assert moments == sorted(moments)


def test_next_follow_up_follows_the_rule_from_the_log(demo):
    for customer in Customer.select().limit(60):
        last = (Communication.select().where(Communication.customer == customer.id)
                .order_by(Communication.contacted_at.desc(), Communication.seq.desc()).get())
        assert customer.last_contact_at == last.contacted_at
        assert customer.next_follow_up == next_follow_up(
            last.next_follow_up, last.contacted_at, customer.created_at,
            customer.level.interval_days)


def test_some_customers_are_overdue_and_some_are_not(demo):
    overdue = Customer.select().where(Customer.next_follow_up < TODAY).count()
    assert 0 < overdue < Customer.select().count()
    assert Customer.select().where(Customer.next_follow_up >= TODAY).count() > 0


def test_every_demo_mobile_is_valid_and_distinct(demo):
    mobiles = [m for (m,) in Customer.select(Customer.mobile).tuples()]
    assert all(normalize_mobile(m) == m for m in mobiles)
    assert len(set(mobiles)) == len(mobiles) == 300


def test_every_archive_number_is_distinct(demo):
    numbers = [n for (n,) in Customer.select(Customer.archive_no).tuples()]
    assert len(set(numbers)) == len(numbers)
    assert all(n.startswith(f"KH{TODAY.year}") for n in numbers)


def test_demo_data_goes_only_into_an_empty_archive(tmp_path):
    from crmdesk.services.demo import DemoRefused

    open_database(tmp_path / "archive.sqlite3")
    try:
        build_demo(40, seed=1, today=TODAY)
        with pytest.raises(DemoRefused, match="40"):
            build_demo(40, seed=2, today=TODAY)
        assert Customer.select().count() == 40
    finally:
        close_database()


def test_a_cancel_between_batches_leaves_no_half_built_demo(archive, monkeypatch):
    from crmdesk.models import Counter
    from crmdesk.models.seed import ARCHIVE_COUNTER
    from crmdesk.progress import Cancelled, Job
    from crmdesk.services import demo

    monkeypatch.setattr(demo, "BATCH", 40)
    job = Job()
    batches = []

    def progress(done: int, total: int) -> None:
        batches.append(done)
        job.cancel()  # asked while the first batch is being written

    with pytest.raises(Cancelled):
        build_demo(200, seed=4, today=TODAY, progress=progress, cancel=job)

    assert batches == [40]
    assert Customer.select().count() == Communication.select().count() == 0
    assert Staff.select().count() == 0
    assert Counter.get_by_id(ARCHIVE_COUNTER).value == 0
    assert build_demo(80, seed=4, today=TODAY).customers == 80  # the archive is still empty

"""The follow-up tally stays equal to a recount of the customers after any writes, and the counts
read from it equal the counts of customers one by one, the confidentiality rule applied."""
from __future__ import annotations

import datetime as dt
import random

import pytest

from crmdesk.models import Customer, FollowUpTally, Staff
from crmdesk.models.db import database
from crmdesk.services import followup
from crmdesk.services.context import Actor
from crmdesk.services.followup import Band, FollowUpFilter
from crmdesk.services.readers import set_readers
from tests.statements import statements_run

DAY = dt.date(2026, 3, 10)
STATUSES = ("prospect", "following", "lost", "invalid", "deal")
MARKS = ("normal", "confidential", "secret")


def tally() -> dict[tuple, int]:
    """The tally's rows by key, without those counted down to nothing."""
    return {(o, lv, d, bool(n), bool(s)): c for o, lv, d, n, s, c in FollowUpTally.select(
        FollowUpTally.owner_key, FollowUpTally.level_id, FollowUpTally.day,
        FollowUpTally.never, FollowUpTally.secret, FollowUpTally.customers).tuples() if c}


def recount() -> dict[tuple, int]:
    """The same, counted from the customers in plain SQL."""
    found: dict[tuple, int] = {}
    for owner, level, day, contacted, mark in database.execute_sql(
            "SELECT owner_id, level_id, next_follow_up, last_contact_at, confidentiality "
            "FROM customer WHERE status NOT IN ('lost', 'invalid') "
            "AND next_follow_up IS NOT NULL AND level_id IS NOT NULL"):
        day = day if isinstance(day, dt.date) else dt.date.fromisoformat(day)
        key = (owner or 0, level, day, contacted is None, mark == "secret")
        found[key] = found.get(key, 0) + 1
    return found


def one_by_one(actor: Actor | None) -> tuple[int, ...]:
    """The dashboard's counts and a filtered count, counting customers (the source filter
    leaves the tally aside: every source is one of the two written below)."""
    counts = []
    for source in ("walk-in", "phone"):
        by = FollowUpFilter(source=source)
        counts.append((followup.overdue_count(DAY, by, actor),
                       followup.due_count(DAY, 1, by, actor),
                       followup.due_count(DAY, 7, by, actor)))
    return tuple(sum(c[i] for c in counts) for i in range(3))


def test_the_tally_equals_a_recount_after_random_writes(
        add_customer, salesperson, lina, manager, level_ids):
    rng = random.Random(27)
    owners = [None, salesperson.staff_id, lina.staff_id, manager.staff_id]
    levels = [None, *level_ids.values()]
    ids = [add_customer(level=rng.choice(list(level_ids.values()))) for _ in range(12)]
    assert tally() == recount() and recount()
    for step in range(160):
        action = rng.random()
        if action < 0.15 or not ids:
            new = Customer.get_by_id(rng.choice(ids)) if ids else None
            ids.append(add_customer(level=new.level_id if new else level_ids["A"]))
        elif action < 0.25:
            Customer.delete().where(Customer.id == ids.pop(rng.randrange(len(ids)))).execute()
        else:
            changes = rng.sample([
                ("status", rng.choice(STATUSES)), ("level", rng.choice(levels)),
                ("owner", rng.choice(owners)), ("confidentiality", rng.choice(MARKS)),
                ("next_follow_up",
                 rng.choice([None, DAY + dt.timedelta(days=rng.randint(-40, 9))])),
                ("last_contact_at", rng.choice([None, dt.datetime(2026, 3, 1, 10)])),
                ("source", rng.choice(["walk-in", "phone"]))], rng.randint(1, 4))
            chosen = rng.sample(ids, rng.randint(1, min(3, len(ids))))
            with database.atomic():
                Customer.update(dict(changes)).where(Customer.id.in_(chosen)).execute()
        if step % 40 == 39:
            assert tally() == recount(), step
    Customer.update(source="walk-in").where(Customer.source.is_null()).execute()
    assert tally() == recount()
    set_readers(manager, ids[0], [manager.staff_id])
    Customer.update(confidentiality="secret", owner=lina.staff_id).where(
        Customer.id == ids[0]).execute()
    for actor in (manager, salesperson, lina, None):
        counts = followup.counts(DAY, actor)
        assert (counts.overdue, counts.due_today, counts.due_this_week) == one_by_one(actor)


def test_a_rolled_back_write_leaves_the_tally_as_it_was(add_customer, salesperson, level_ids):
    cid = add_customer(level=level_ids["A"])
    before = tally()

    def fail_after_writing() -> None:
        with database.atomic():
            Customer.update(status="lost").where(Customer.id == cid).execute()
            assert tally() != before
            raise RuntimeError("the save fails after the row was written")

    with pytest.raises(RuntimeError):
        fail_after_writing()
    assert tally() == before == recount()


def test_counts_add_up_the_tally_in_a_few_statements(caplog, add_customer, manager,
                                                     salesperson, level_ids):
    for k in range(6):
        add_customer(level=level_ids["A"], confidentiality="secret" if k % 2 else "normal")
    Customer.update(next_follow_up=DAY - dt.timedelta(days=3)).execute()
    for actor in (manager, salesperson):
        reads = statements_run(caplog, lambda a=actor: followup.counts(DAY, a))
        counting = [sql for sql in reads if '"customer"' in sql]
        # A manager's one read of customers: the top-secret archives they were named for.
        assert len(reads) <= 5 and all('"card_reader"' in sql for sql in counting), reads
    assert followup.counts(DAY, manager).overdue == 3
    assert followup.counts(DAY, salesperson).overdue == 6
    # The never-contacted count and its list leave out the same top-secret archives.
    for actor, seen in ((manager, 3), (salesperson, 6)):
        assert followup.counts(DAY, actor).never_contacted == seen
        assert len(followup.never_contacted(DAY, actor, limit=None)) == seen


def test_bands_levels_and_owners_are_counted_from_the_tally(add_customer, salesperson, lina,
                                                           manager, level_ids):
    rng = random.Random(5)
    for _ in range(30):
        cid = add_customer(rng.choice([salesperson, lina]),
                           level=rng.choice(list(level_ids.values())))
        Customer.update(next_follow_up=DAY - dt.timedelta(days=rng.randint(-3, 45)),
                        source="walk-in").where(Customer.id == cid).execute()
    for band in (None, *Band):
        for level in (None, level_ids["A"], level_ids["O"]):
            for owner in (None, lina.staff_id):
                by = FollowUpFilter(owner_id=owner, level_id=level, band=band)
                counted = FollowUpFilter(owner_id=owner, level_id=level, band=band,
                                         source="walk-in")
                assert (followup.overdue_count(DAY, by, manager)
                        == followup.overdue_count(DAY, counted, manager)
                        == len(followup.overdue(DAY, by, manager, limit=None)))
                assert ({(o.owner_id, o.count) for o in followup.overdue_by_owner(DAY, by, manager)}
                        == {(o.owner_id, o.count)
                            for o in followup.overdue_by_owner(DAY, counted, manager)})


@pytest.mark.sqlite_only
def test_an_older_archive_gets_the_tally_filled(tmp_path):
    from crmdesk.models.db import close_database, open_database
    from crmdesk.services.demo import build_demo

    path = tmp_path / "old.sqlite3"
    open_database(path)
    build_demo(60, seed=3)
    for name in ("ai", "ad", "au"):
        database.execute_sql(f"DROP TRIGGER follow_up_tally_{name}")
    database.execute_sql("DROP TABLE follow_up_tally")
    database.execute_sql("DELETE FROM schema_migration WHERE version = 27")
    close_database()
    open_database(path)
    try:
        assert tally() == recount() and sum(recount().values()) > 30
        Customer.update(status="lost").where(Customer.id == Customer.select(
            Customer.id).order_by(Customer.id).limit(1)).execute()
        assert tally() == recount()
        manager = Actor.of(Staff.get(Staff.username == "manager"))
        assert followup.counts(DAY, manager) is not None
    finally:
        close_database()

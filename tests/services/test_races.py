"""Rules that check and then write hold when several desks act at the same moment.

Each test starts real processes (one per desk) on the test's archive, SQLite or PostgreSQL,
and lines them up at a barrier before every step.
"""
from __future__ import annotations

import datetime as dt
import multiprocessing
import re
from collections import Counter as Tally

import pytest

from crmdesk.models import Customer, Staff, Visit
from crmdesk.models.db import close_database, open_database
from crmdesk.services.context import Actor
from tests.services.desks import desk

DESKS = 4
STEP_TIMEOUT_S = 120


def _run_desks(location, jobs: list[tuple[int, str, list, dt.date | None]]) -> dict[int, list]:
    """Run one process per job ``(staff_id, action, subjects, day)``; return outcomes by staff."""
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(len(jobs), timeout=STEP_TIMEOUT_S)
    results = context.Queue()
    processes = [context.Process(target=desk, args=(str(location), staff_id, action, subjects,
                                                      barrier, results, day))
                 for staff_id, action, subjects, day in jobs]
    for process in processes:
        process.start()
    outcomes = dict(results.get(timeout=STEP_TIMEOUT_S * 2) for _ in processes)
    for process in processes:
        process.join(timeout=STEP_TIMEOUT_S)
    return outcomes


def _staff(name: str, username: str, roles: str) -> int:
    return Staff.create(name=name, username=username, roles=roles).id


@pytest.fixture
def front_desks(archive) -> list[int]:
    """Four front desks, and four salespeople on duty today."""
    for i in range(DESKS):
        _staff(f"销售{i}", f"sales{i}", "sales")
    return [_staff(f"前台{i}", f"desk{i}", "frontdesk") for i in range(DESKS)]


def _location(archive) -> str:
    close_database()  # the desks open it themselves; the test reopens it to look
    return str(archive)


def test_desks_registering_one_new_phone_at_once_create_one_archive(archive, front_desks):
    phones = [f"1390000{n:04d}" for n in range(10)]
    outcomes = _run_desks(_location(archive), [(d, "register", phones, None)
                                               for d in front_desks])
    open_database(archive)
    for step, phone in enumerate(phones):
        told = Tally(outcomes[d][step] for d in front_desks)
        assert told == {"created": 1, "duplicate": DESKS - 1}, (phone, told)
        assert Customer.select().where(Customer.mobile == phone).count() == 1


def test_the_rotation_shares_visitors_fairly_between_desks(archive, front_desks):
    per_desk = 50
    jobs = [(d, "register", [f"137{i:02d}{n:06d}" for n in range(per_desk)], None)
            for i, d in enumerate(front_desks)]
    outcomes = _run_desks(_location(archive), jobs)
    open_database(archive)
    assert all(set(told) == {"created"} for told in outcomes.values()), outcomes
    received = Tally(v.salesperson_id for v in Visit.select(Visit.salesperson))
    fair = DESKS * per_desk / len(received)
    assert len(received) == DESKS
    assert all(abs(n - fair) <= 1 for n in received.values()), received
    # Archive numbers: one each, none skipped, none twice.
    serials = sorted(int(re.sub(r"^KH\d{4}", "", no)) for (no,) in
                     Customer.select(Customer.archive_no).tuples())
    assert serials == list(range(1, DESKS * per_desk + 1))


def test_one_pool_customer_claimed_by_four_salespeople_has_one_owner(archive, complete_card):
    from crmdesk.services import customers

    lapsed_owner = Actor.of(Staff.get_by_id(_staff("老销售", "old", "sales")))
    sellers = [_staff(f"销售{i}", f"sales{i}", "sales") for i in range(DESKS)]
    pool_ids = []
    for n in range(5):
        card = complete_card(lapsed_owner, mobile=f"1360000{n:04d}", name=f"公海客户{n}")
        pool_ids.append(customers.save_card(card, lapsed_owner).customer_id)
    Customer.update(created_at=dt.datetime(2025, 1, 1)).execute()
    outcomes = _run_desks(_location(archive), [(s, "claim", pool_ids, dt.date.today())
                                               for s in sellers])
    open_database(archive)
    names = {s: Staff.get_by_id(s).name for s in sellers}
    for step, customer_id in enumerate(pool_ids):
        told = {s: outcomes[s][step] for s in sellers}
        winners = [s for s, outcome in told.items() if outcome == "claimed"]
        assert len(winners) == 1, told
        owner = Customer.get_by_id(customer_id).owner_id
        assert owner == winners[0]
        for s, outcome in told.items():
            if s != owner:
                assert outcome.startswith("refused") and names[owner] in outcome, told


def test_desks_saving_one_new_customer_from_the_card_editor_create_one_archive(archive):
    sellers = [_staff(f"销售{i}", f"sales{i}", "sales") for i in range(DESKS)]
    # The same customer typed at every desk at once, the mobile spelt two ways.
    subjects = [f"客户{n}/1390000{n:04d}" for n in range(8)]
    spellings = [[s if d % 2 == 0 else s.replace("/1390000", "/+86 139 0000 ")
                  for s in subjects] for d in range(DESKS)]
    outcomes = _run_desks(_location(archive), [(seller, "card", spellings[i], None)
                                               for i, seller in enumerate(sellers)])
    open_database(archive)
    for step in range(len(subjects)):
        told = Tally(outcomes[s][step] for s in sellers)
        assert told == {"created": 1, "duplicate": DESKS - 1}, (subjects[step], told)
    assert Customer.select().count() == len(subjects)

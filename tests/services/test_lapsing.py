"""Customers lapsing soon and the archive's size on the home page, against a raw recount."""
from __future__ import annotations

import datetime as dt
from collections import Counter

import peewee
import pytest

from crmdesk.models import CardReader, Customer, OwnershipChange, Staff
from crmdesk.services import settings, workbench
from crmdesk.services.contacts import Contact, log_contact
from crmdesk.services.context import Actor
from crmdesk.services.lapsing import lapsing_rows, lapsing_soon
from crmdesk.services.pool import due_to_lapse
from crmdesk.services.visibility import searchable

DAY = dt.date(2026, 2, 27)


def _at(days_before: int) -> dt.datetime:
    return dt.datetime.combine(DAY - dt.timedelta(days=days_before), dt.time(10))


def _raw(actor: Actor | None, owner_id: int | None = None) -> Counter:
    """Lapsing soon by owner, the rule read over every customer of the archive."""
    where = lapsing_soon(DAY)
    hidden = searchable(actor)
    if hidden is not None:
        where &= hidden
    if owner_id is not None:
        where &= Customer.owner == owner_id
    return Counter(dict(Customer.select(Customer.owner, peewee.fn.COUNT(Customer.id))
                        .where(where).group_by(Customer.owner).tuples()))


def _seen(actor: Actor) -> Counter:
    return Counter(o for _c, o in lapsing_rows(DAY, visible_to=actor, everyone=False))


@pytest.fixture
def spread(add_customer, backdate, salesperson, lina, manager, level_ids) -> dict[str, int]:
    """Customers registered, transferred and contacted on each side of the warning window."""
    ids: dict[str, int] = {}
    for days in range(50, 75, 2):  # protection 60 days, warning 7: 54..60 days ago lapse soon
        for who, owner in (("wq", salesperson), ("ln", lina)):
            ids[f"{who}{days}"] = add_customer(owner, level=level_ids["C"])
            backdate(ids[f"{who}{days}"], _at(days))
    # Registered long ago, given to 李娜 56 days ago: lapses soon as hers.
    moved = add_customer(salesperson, level=level_ids["C"])
    backdate(moved, _at(300))
    OwnershipChange.create(customer=moved, at=_at(56), kind="transfer",
                           from_staff=salesperson.staff_id, to_staff=lina.staff_id)
    Customer.update(owner=lina.staff_id).where(Customer.id == moved).execute()
    # Registered in the window, transferred since: protected afresh.
    fresh = ids["wq56"]
    OwnershipChange.create(customer=fresh, at=_at(3), kind="transfer",
                           from_staff=salesperson.staff_id, to_staff=lina.staff_id)
    Customer.update(owner=lina.staff_id).where(Customer.id == fresh).execute()
    # A deal keeps one out of the pool; a top-secret one is hidden from the manager.
    Customer.update(status="deal").where(Customer.id == ids["ln58"]).execute()
    Customer.update(confidentiality="secret").where(Customer.id == ids["ln54"]).execute()
    return ids | {"moved": moved}


def test_lapsing_soon_is_what_the_rule_gives_over_the_whole_archive(
        spread, salesperson, lina, manager):
    for actor in (manager, salesperson, lina):
        assert _seen(actor) == _raw(actor)
    for owner in (salesperson, lina):
        assert sorted(c for c, _o in lapsing_rows(DAY, owner.staff_id)) == [
            row[0] for row in Customer.select(Customer.id).order_by(Customer.id).where(
                lapsing_soon(DAY) & (Customer.owner == owner.staff_id)).tuples()]
    mine = Counter(o for _c, o in lapsing_rows(DAY, visible_to=lina, everyone=False))
    assert spread["moved"] in {c for c, _o in lapsing_rows(DAY, lina.staff_id)}
    assert spread["wq56"] not in {c for c, _o in lapsing_rows(DAY)}
    assert mine[lina.staff_id] > 0


def test_levels_with_their_own_protection_and_contacts_that_renew_it_follow_the_rule(
        spread, salesperson, lina, manager, level_ids):
    settings.put("protection_days_by_level", {"C": 45})
    assert _seen(manager) == _raw(manager)
    settings.put("protection_days_by_level", {})
    settings.put("protection_renewed_by_contact", True)
    # The owner's contact 57 days ago renews a customer registered 70 days ago into the window.
    log_contact(spread["wq70"], Contact(_at(57), "phone", "回访"), salesperson)
    log_contact(spread["ln72"], Contact(_at(20), "phone", "回访"), lina)
    for actor in (manager, salesperson, lina):
        assert _seen(actor) == _raw(actor)
    assert spread["wq70"] in {c for c, _o in lapsing_rows(DAY, salesperson.staff_id)}


def test_the_home_pages_lapsing_tiles_match_the_raw_count(spread, salesperson, manager):
    tiles = workbench.manager(manager, DAY)
    assert tiles["lapsing"].count == sum(_raw(manager).values())
    assert {line.title: int(line.detail) for line in tiles["lapsing"].lines} == {
        Staff.get_by_id(owner).name: n for owner, n in _raw(manager).items()}
    assert len(workbench.full_list("lapsing", manager, DAY)) == sum(_raw(manager).values())
    own = workbench.sales(salesperson, DAY)["lapsing"]
    assert own.count == _raw(salesperson, salesperson.staff_id)[salesperson.staff_id]
    assert [line.customer_id for line in own.lines] == [
        g.customer_id for g in due_to_lapse(salesperson.staff_id, salesperson, DAY)][:5]


def test_the_archives_size_leaves_out_only_the_top_secret_archives_hidden_from_the_reader(
        spread, salesperson, lina, manager):
    Customer.update(confidentiality="secret").where(
        Customer.id.in_([spread["wq50"], spread["ln60"]])).execute()
    CardReader.create(customer=spread["ln60"], staff=manager.staff_id)
    for actor in (manager, salesperson, lina):
        raw = Customer.select().where(searchable(actor)).count()
        assert workbench.archive_size(actor) == raw
    assert workbench.manager(manager, DAY)["office"].count == (
        Customer.select().count() - 2)  # 李娜's 54 and 王强's 50 stay hidden from the manager

"""Customers about to lapse to the public pool (转入公海), found without reading the archive.

A customer lapses within the warning days when their protection started in a narrow window
(``protection_days`` before today up to ``protection_days`` before the horizon, per level where
levels differ). Protection starts at the latest of the archive's registration, the last change
of owner and, where contacts renew it, the owner's latest contact, so whoever lapses soon was
registered, changed hands or was contacted in that window. Those few are found through the
indexes on those moments; the protection rule itself (crmdesk.services.protection) then decides
for each of them, so the result is exactly what the rule gives over the whole archive.
"""
from __future__ import annotations

import datetime as dt
import operator
from collections import Counter
from functools import reduce

import peewee

from crmdesk.models import Communication, Customer, OwnershipChange, Staff
from crmdesk.services import settings
from crmdesk.services.context import Actor
from crmdesk.services.protection import (
    RULE_SETTINGS,
    days_by_level,
    lapsed_by,
    not_exempt,
    owner_contact_column,
    owner_contact_from,
    protection_from,
    renewed_by_contact,
    rule,
)
from crmdesk.services.visibility import hidden_archives, unchecked

# The settings the lapsing customers are found by: read once for each search (see
# ``settings.read_once``) rather than a dozen times as its query is composed.
SETTINGS = (*RULE_SETTINGS, "lapse_warning_days")


def horizon(today: dt.date) -> dt.date:
    """The last day of the warning window that starts ``today``."""
    return today + dt.timedelta(days=int(settings.get("lapse_warning_days")))


def lapsing_soon(today: dt.date, last: dt.date | None = None) -> peewee.Expression:
    """SQL for owned customers protected ``today`` whose protection lapses by ``last`` (the
    horizon unless given)."""
    last = last or horizon(today)
    return (Customer.owner.is_null(False) & lapsed_by(last) & ~lapsed_by(today)
            & not_exempt())


def _windows(today: dt.date, last: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
    """The moments a protection lapsing by ``last`` started within, one window per length of
    protection in force."""
    default, special = days_by_level()
    return [(dt.datetime.combine(today - dt.timedelta(days=days), dt.time()),
             dt.datetime.combine(last - dt.timedelta(days=days), dt.time()))
            for days in sorted({default, *special.values()})]


def _started_in(start: dt.datetime, end: dt.datetime,
                owner_id: int | None) -> list[peewee.Expression]:
    """The customers registered, changing hands or (where contacts renew protection)
    contacted between ``start`` and ``end``, each way as a condition."""
    owners = (Customer.owner == owner_id if owner_id is not None
              else Customer.owner.in_(Staff.select(Staff.id)))
    # By owner and registration: the protection index (schema 25) holds every column the rule
    # reads from the card, so the registrations of the window are read from it alone.
    registered = owners & Customer.created_at.between(start, end)
    moved = Customer.id.in_(OwnershipChange.select(OwnershipChange.customer).where(
        OwnershipChange.at.between(start, end)))
    ways = [registered, moved]
    if renewed_by_contact():
        contacts = Communication.select(Communication.customer).where(
            Communication.contacted_at.between(start, end))
        if owner_id is not None:
            contacts = contacts.where(Communication.recorded_by == owner_id)
        ways.append(Customer.id.in_(contacts))
    return ways


def _lapsing_finds(today: dt.date, owner_id: int | None, visible_to: Actor | None,
                   everyone: bool, last: dt.date | None = None) -> list[peewee.Expression]:
    """Conditions that together find the customers lapsing soon (by ``last`` when given), each
    customer by one of them only: each way leaves out whom the ways before it found, so the
    finds add up without a duplicate to sort out. Empty: nobody."""
    if not everyone and visible_to is None and not unchecked(visible_to):
        return []
    # One owner's customers are picked by owner only among the registrations: a test of the
    # owner on the others would have the database read all of that owner's customers.
    with settings.read_once(*SETTINGS):
        last = last or horizon(today)
        rule = lapsing_soon(today, last)
        if not everyone and visible_to is not None:
            rule &= Customer.id.not_in(hidden_archives(visible_to))
        ways = [way for start, end in _windows(today, last)
                for way in _started_in(start, end, owner_id)]
    # Neither side of a way is ever NULL for an owned customer, so NOT(...) drops no one.
    return [way & rule & ~reduce(operator.or_, ways[:k]) if k else way & rule
            for k, way in enumerate(ways)]


def _lapsing(today: dt.date, owner_id: int | None, visible_to: Actor | None,
             everyone: bool, last: dt.date | None = None) -> peewee.SelectBase | None:
    """The (id, owner) of the customers lapsing soon (by ``last`` when given) as one query
    (None: nobody)."""
    finds = _lapsing_finds(today, owner_id, visible_to, everyone, last)
    if not finds:
        return None
    return reduce(operator.add, [Customer.select(Customer.id, Customer.owner).where(find)
                                 for find in finds])  # UNION ALL: no customer found twice


def _counted(finds: list[peewee.Expression]) -> Counter:
    """How many customers each owner has among ``finds``, counted in one statement."""
    if not finds:
        return Counter()
    query = reduce(operator.add, [
        Customer.select(Customer.owner, peewee.fn.COUNT(Customer.id)).where(find)
        .group_by(Customer.owner) for find in finds])
    found: Counter = Counter()
    for owner, count in query.tuples():
        found[owner] += count
    return found


def lapsing_rows(today: dt.date, owner_id: int | None = None, visible_to: Actor | None = None,
                 everyone: bool = True) -> list[tuple[int, int]]:
    """(customer id, owner id) of the customers lapsing soon, in no particular order: only
    ``owner_id``'s when given; unless ``everyone``, only those ``visible_to`` may find (the
    visibility of ``searchable``)."""
    query = _lapsing(today, owner_id, visible_to, everyone)
    rows = [] if query is None else list(query.tuples())
    return rows if owner_id is None else [row for row in rows if row[1] == owner_id]


def lapsing_by_owner(today: dt.date, visible_to: Actor | None) -> list[tuple[int, int]]:
    """(owner id, how many) of the customers lapsing soon that ``visible_to`` may find."""
    counted = _counted(_lapsing_finds(today, None, visible_to, everyone=False))
    return sorted(counted.items())


def _owned_among(query: peewee.SelectBase, owner_id: int) -> peewee.Expression:
    found = query.alias("lapsing")
    return Customer.id.in_(peewee.Select([found], [found.c.id])) & (Customer.owner == owner_id)


def _in_lapse_order(today: dt.date, owner_id: int, last: dt.date) -> list[int]:
    """The ids of ``owner_id``'s customers lapsing by ``last``, by the day they lapse and
    archive number; read with their protection's columns in one statement."""
    now = rule()
    since = (OwnershipChange.select(peewee.fn.MAX(OwnershipChange.at))
             .where(OwnershipChange.customer == Customer.id))
    contact = owner_contact_column() if now.renewed_by_contact else peewee.Value(None)
    query = _lapsing(today, owner_id, None, everyone=True, last=last)
    rows = (Customer.select(Customer.id, Customer.owner, Customer.level, Customer.status,
                            Customer.created_at, since, contact, Customer.archive_no)
            .where(_owned_among(query, owner_id)).tuples())
    order = []
    for cid, owner, level, status, created, moved, contacted, archive_no in rows:
        protection = protection_from(now, cid, owner, level, status, created,
                                     OwnershipChange.at.python_value(moved),
                                     owner_contact_from(contacted))
        order.append((protection.lapses_on or dt.date.max, archive_no, cid))
    return [cid for _day, _no, cid in sorted(order)]


def soonest(today: dt.date, owner_id: int, first: int) -> tuple[int, list[int]]:
    """How many of ``owner_id``'s customers lapse soon, and the ids of the ``first`` of them to
    lapse, by the day they lapse and archive number.

    The first are looked for among those lapsing tomorrow, then (too few there) the whole
    warning window, so a large archive reads a day's worth of cards rather than a week's.
    """
    with settings.read_once(*SETTINGS):
        count = _counted(_lapsing_finds(today, owner_id, None, everyone=True))[owner_id]
        last = horizon(today)
        tomorrow = min(today + dt.timedelta(days=1), last)
        found = _in_lapse_order(today, owner_id, tomorrow) if count > first else []
        if count and len(found) < first:
            found = _in_lapse_order(today, owner_id, last)
    return count, found[:first]

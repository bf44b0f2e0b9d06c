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
from functools import reduce

import peewee

from crmdesk.models import Communication, Customer, OwnershipChange, Staff
from crmdesk.services import settings
from crmdesk.services.context import Actor
from crmdesk.services.protection import (
    days_by_level,
    lapsed_by,
    not_exempt,
    protection_of,
    renewed_by_contact,
)
from crmdesk.services.visibility import hidden_archives, unchecked


def horizon(today: dt.date) -> dt.date:
    """The last day of the warning window that starts ``today``."""
    return today + dt.timedelta(days=int(settings.get("lapse_warning_days")))


def lapsing_soon(today: dt.date) -> peewee.Expression:
    """SQL for owned customers protected ``today`` whose protection lapses by the horizon."""
    return (Customer.owner.is_null(False) & lapsed_by(horizon(today)) & ~lapsed_by(today)
            & not_exempt())


def _windows(today: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
    """The moments a protection lapsing soon started within, one window per length of
    protection in force."""
    default, special = days_by_level()
    last = horizon(today)
    return [(dt.datetime.combine(today - dt.timedelta(days=days), dt.time()),
             dt.datetime.combine(last - dt.timedelta(days=days), dt.time()))
            for days in sorted({default, *special.values()})]


def _started_in(start: dt.datetime, end: dt.datetime, owner_id: int | None,
                rule: peewee.Expression) -> list[peewee.Select]:
    """Queries of (id, owner) of the customers meeting ``rule`` who were registered, changed
    hands or (where contacts renew protection) were contacted between ``start`` and ``end``."""
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
    return [Customer.select(Customer.id, Customer.owner).where(way & rule) for way in ways]


def _lapsing(today: dt.date, owner_id: int | None, visible_to: Actor | None,
             everyone: bool) -> peewee.SelectBase | None:
    """The (id, owner) of the customers lapsing soon as one query (None: nobody)."""
    if not everyone and visible_to is None and not unchecked(visible_to):
        return None
    # One owner's customers are picked by owner only among the registrations: a test of the
    # owner on the others would have the database read all of that owner's customers.
    rule = lapsing_soon(today)
    if not everyone and visible_to is not None:
        rule &= Customer.id.not_in(hidden_archives(visible_to))
    queries = [q for start, end in _windows(today) for q in _started_in(start, end, owner_id, rule)]
    return reduce(operator.or_, queries)  # UNION: one customer found twice counts once


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
    query = _lapsing(today, None, visible_to, everyone=False)
    if query is None:
        return []
    found = query.alias("lapsing")
    return list(peewee.Select([found], [found.c.owner_id, peewee.fn.COUNT(peewee.SQL("*"))])
                .group_by(found.c.owner_id).bind(Customer._meta.database).tuples())


def soonest(ids: list[int], today: dt.date, first: int) -> list[int]:
    """The ``first`` of ``ids`` to lapse, by the day they lapse and archive number."""
    protection = protection_of(ids)
    numbers = dict(Customer.select(Customer.id, Customer.archive_no)
                   .where(Customer.id.in_(ids)).tuples())
    return sorted(ids, key=lambda cid: (protection[cid].lapses_on or dt.date.max,
                                        numbers[cid]))[:first]

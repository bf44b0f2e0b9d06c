"""Reminders beside the follow-up list: birthdays to greet (生日问候), dormant customers (沉睡客户)
and archives with important fields still empty (档案完整性).

All three concern active customers (not lost or invalid) and honour the same visibility as the
overdue list: a salesperson sees their own customers, managers and admins everyone's.
"""
from __future__ import annotations

import calendar
import datetime as dt
import operator
from dataclasses import dataclass
from functools import reduce

import peewee

from crmdesk.i18n import N_, _
from crmdesk.models import Customer, Level
from crmdesk.models.birthday_index import INDEXED, month_day, month_day_key
from crmdesk.models.card import FIELDS, Need
from crmdesk.models.completeness import is_complete
from crmdesk.models.db import database, is_sqlite
from crmdesk.models.office_fields import OfficeField, office_fields
from crmdesk.services import office_values, settings
from crmdesk.services.context import Actor
from crmdesk.services.followup import (
    FIRST_SCREEN,
    OwnerCount,
    active_condition,
    own_customers_only,
    owner_counts,
    today,
)
from crmdesk.services.staff import staff_names
from crmdesk.services.validation import missing_important
from crmdesk.services.visibility import searchable

BIRTHDAY_DAYS = 7
# Whose birthday a card records: (key, date column, column naming the person or None).
BIRTHDAY_FIELDS = (
    ("customer", "birth_date", "name"),
    ("spouse", "spouse_birth_date", "spouse_name"),
    ("child", "child_birth_date", "children"),
    # An organisation's opening day: its anniversary (店庆) is greeted like a birthday.
    ("opening", "opening_date", "name"),
)
LEAP_DAY = 229  # 29 February's month-and-day key
WHOSE_TITLES = {"customer": N_("Self"), "spouse": N_("Spouse"), "child": N_("Child"),
                "opening": N_("Store anniversary")}


@dataclass(frozen=True)
class Birthday:
    """A birthday in the coming days: whose (customer, spouse, child), when, and turning what.

    ``whose_label`` is the card's label of the date field (出生日期, 配偶生日, 子女生日);
    ``person`` is the name on the card, empty when none is recorded. Someone born on 29
    February is greeted on 28 February in other years.
    """

    customer_id: int
    archive_no: str
    customer_name: str
    owner_id: int | None
    owner_name: str
    mobile: str | None
    whose: str
    whose_label: str
    person: str
    birth_date: dt.date
    occurs_on: dt.date
    days_until: int
    turning: int

    @property
    def whose_title(self) -> str:
        """Whose birthday, as the office says it: 本人, 配偶 or 子女."""
        return _(WHOSE_TITLES[self.whose])


@dataclass(frozen=True)
class DormantRow:
    """A customer nobody has contacted for a long time (since registration, if never)."""

    customer_id: int
    archive_no: str
    name: str
    owner_id: int | None
    owner_name: str
    level_code: str
    mobile: str | None
    last_contact_at: dt.datetime | None
    days_since: int


@dataclass(frozen=True)
class IncompleteArchive:
    """An archive with important (重要) fields empty, named by field and by card label."""

    customer_id: int
    archive_no: str
    name: str
    kind: str | None
    owner_id: int | None
    owner_name: str
    missing: tuple[str, ...]
    missing_labels: tuple[str, ...]


def _visible(actor: Actor | None, owner_id: int | None) -> peewee.Expression:
    where = active_condition()
    scope = own_customers_only(actor)
    if scope is not None:
        where &= Customer.owner == scope
    hidden = searchable(actor)
    if hidden is not None:
        where &= hidden
    if owner_id is not None:
        where &= Customer.owner == owner_id
    return where


def _occurrence(born: dt.date, year: int) -> dt.date:
    """The day ``born``'s birthday is kept in ``year`` (29 February falls back to the 28th)."""
    if born.month == 2 and born.day == 29 and not calendar.isleap(year):
        return dt.date(year, 2, 28)
    return dt.date(year, born.month, born.day)


def _born_on(keys: list[int], owner_id: int | None) -> peewee.SelectBase:
    """The ids of customers with a dated field whose month and day is among ``keys`` (and,
    when given, owned by ``owner_id``): one look-up of the birthday indexes per field."""
    queries = []
    for column_name, _index in INDEXED:
        column = getattr(Customer, column_name)
        where = column.is_null(False) & month_day(column, database.obj).in_(keys)
        if owner_id is not None:
            where &= Customer.owner == owner_id
        queries.append(Customer.select(Customer.id).where(where))
    return reduce(operator.add, queries)  # UNION ALL: the outer IN takes each id once


def _days_by_key(as_of: dt.date, days: int) -> dict[int, dt.date]:
    """The month-and-day keys of the ``days`` from ``as_of``, each with the day it is greeted
    on; 29 February is greeted on 28 February in a year without it."""
    on = {}
    for k in range(days):
        day = as_of + dt.timedelta(days=k)
        on[month_day_key(day)] = day
        if day.month == 2 and day.day == 28 and not calendar.isleap(day.year):
            on[LEAP_DAY] = day
    return on


def _matching(on: dict[int, dt.date], actor: Actor | None,
              owner_id: int | None) -> peewee.Expression:
    """``_visible`` customers with a birthday among the keys of ``on``."""
    scope = own_customers_only(actor)
    owner = owner_id if owner_id is not None else scope
    # The owner is tested only where the birthdays are looked up: tested on the customer as
    # well, SQLite walks every customer of that owner (110,000 of a million) to find the few.
    where = active_condition() & Customer.id.in_(_born_on(sorted(on), owner))
    if scope is not None and owner != scope:
        where &= peewee.SQL("1 = 0")  # a salesperson sees only their own customers
    hidden = searchable(actor)
    return where if hidden is None else where & hidden


def birthdays(as_of: dt.date | None = None, days: int = BIRTHDAY_DAYS,
              actor: Actor | None = None, owner_id: int | None = None) -> list[Birthday]:
    """Birthdays of customers, spouses and children from ``as_of`` through ``days - 1`` later.

    Soonest first; the window may run over the new year.
    """
    as_of = as_of or today()
    return _birthdays_where(_matching(_days_by_key(as_of, days), actor, owner_id), as_of, days)


def birthday_tile(as_of: dt.date, actor: Actor | None, owner_id: int | None,
                  first: int) -> tuple[int, list[Birthday]]:
    """How many birthdays ``birthdays`` gives for the coming week and the ``first`` of them.

    The database counts them and picks the customers with the soonest from the month and day
    of their dates, in one statement, rather than handing over every card (1,600 birthdays a
    week for one salesperson of a million-customer archive); only those few cards are read.
    """
    on = _days_by_key(as_of, BIRTHDAY_DAYS)
    # Each dated field's day in the week (0 for as_of), NULL when it falls outside it.
    offsets = [peewee.Case(month_day(getattr(Customer, date_col), database.obj),
                           [(key, (day - as_of).days) for key, day in sorted(on.items())])
               for _w, date_col, _n in BIRTHDAY_FIELDS]
    in_week = reduce(operator.add, [peewee.Cast(o.is_null(False), "INTEGER") for o in offsets])
    soonest = _least([peewee.fn.COALESCE(o, BIRTHDAY_DAYS) for o in offsets])
    # The first birthdays belong to the customers whose soonest birthday comes first (by
    # archive number on the same day), so those ``first`` customers hold them all.
    rows = list(Customer.select(Customer.id, peewee.fn.SUM(in_week).over())
                .where(_matching(on, actor, owner_id))
                .order_by(soonest, Customer.archive_no).limit(max(first, 1)).tuples())
    if not rows:
        return 0, []
    # These passed the visibility already: asked for by id, they are read without it.
    ids = [cid for cid, _n in rows[:first]]
    shown = _birthdays_where(Customer.id.in_(ids), as_of, BIRTHDAY_DAYS) if ids else []
    return int(rows[0][1]), shown[:first]


def _least(values: list[peewee.Node]) -> peewee.Node:
    """The smallest of ``values`` (none NULL) in one row: SQLite's MIN of several arguments."""
    return (peewee.fn.MIN if is_sqlite() else peewee.fn.LEAST)(*values)


def _birthdays_where(where: peewee.Expression, as_of: dt.date, days: int) -> list[Birthday]:
    """The birthdays within ``days`` from ``as_of`` of the customers meeting ``where``."""
    last = as_of + dt.timedelta(days=days - 1)
    columns = [getattr(Customer, date_col) for _w, date_col, _n in BIRTHDAY_FIELDS]
    query = Customer.select(
        Customer.id, Customer.archive_no, Customer.name, Customer.owner, Customer.mobile,
        *columns, Customer.spouse_name, Customer.children,
    ).where(where).tuples()
    names = staff_names()
    found = []
    for cid, archive_no, name, owner, mobile, *rest in query:
        dates, (spouse, children) = rest[:-2], rest[-2:]
        person_of = {"name": name, "spouse_name": spouse, "children": children}
        for (whose, date_col, name_col), born in zip(BIRTHDAY_FIELDS, dates, strict=True):
            if born is None:
                continue
            occurs = next((o for o in (_occurrence(born, as_of.year),
                                       _occurrence(born, as_of.year + 1))
                           if as_of <= o <= last), None)
            if occurs is None:
                continue
            found.append(Birthday(
                customer_id=cid, archive_no=archive_no, customer_name=name or "",
                owner_id=owner, owner_name=names.get(owner, "") if owner else "",
                mobile=mobile, whose=whose, whose_label=FIELDS[date_col].label,
                person=person_of[name_col] or "", birth_date=born, occurs_on=occurs,
                days_until=(occurs - as_of).days, turning=occurs.year - born.year))
    return sorted(found, key=lambda b: (b.occurs_on, b.archive_no, b.whose))


def _dormant_where(as_of: dt.date, days: int | None, actor: Actor | None,
                   owner_id: int | None) -> peewee.Expression:
    days = int(settings.get("dormant_days")) if days is None else days
    # Dormant from the day the last contact is ``days`` days old.
    cutoff = dt.datetime.combine(as_of - dt.timedelta(days=days - 1), dt.time.min)
    quiet = (Customer.last_contact_at < cutoff) | (
        Customer.last_contact_at.is_null() & (Customer.created_at < cutoff))
    return _visible(actor, owner_id) & quiet


def dormant(as_of: dt.date | None = None, days: int | None = None, actor: Actor | None = None,
            owner_id: int | None = None, offset: int = 0,
            limit: int | None = FIRST_SCREEN) -> list[DormantRow]:
    """Customers with no contact for ``days`` days or more (default: the dormant_days setting),
    longest quiet first."""
    as_of = as_of or today()
    since = peewee.fn.COALESCE(Customer.last_contact_at, Customer.created_at)
    query = (Customer.select(Customer.id, Customer.archive_no, Customer.name, Customer.owner,
                             Customer.level, Customer.mobile, Customer.last_contact_at,
                             Customer.created_at)
             .where(_dormant_where(as_of, days, actor, owner_id))
             .order_by(since, Customer.id).offset(offset or None).limit(limit).tuples())
    names = staff_names()
    codes = dict(Level.select(Level.id, Level.code).tuples())
    return [
        DormantRow(cid, archive_no, name or "", owner, names.get(owner, "") if owner else "",
                   codes.get(level, ""), mobile, last,
                   (as_of - (last or created).date()).days)
        for cid, archive_no, name, owner, level, mobile, last, created in query
    ]


def dormant_count(as_of: dt.date | None = None, days: int | None = None,
                  actor: Actor | None = None, owner_id: int | None = None) -> int:
    """How many customers ``dormant`` lists in all."""
    where = _dormant_where(as_of or today(), days, actor, owner_id)
    return Customer.select(Customer.id).where(where).count()


def _important(kind: str) -> list[str]:
    return [name for name, spec in FIELDS.items()
            if spec.need is Need.IMPORTANT and spec.for_kind(kind)]


def _office_important() -> list[OfficeField]:
    """The office's own important fields shown on the card."""
    return [f for f in office_fields() if f.need is Need.IMPORTANT]


def _incomplete_where(actor: Actor | None, owner_id: int | None) -> peewee.Expression:
    # The statistics count complete cards by the same condition (crmdesk.models.completeness).
    return (_visible(actor, owner_id) & Customer.kind.in_(("individual", "organisation"))
            & ~is_complete())


def incomplete_archives(actor: Actor | None = None, owner_id: int | None = None,
                        offset: int = 0, limit: int | None = FIRST_SCREEN,
                        ) -> list[IncompleteArchive]:
    """Active customers whose important fields for their kind are empty, by owner then archive
    number, each with the missing fields named as the card's save warning names them."""
    names_needed = sorted(set(_important("individual")) | set(_important("organisation")))
    query = (Customer.select(Customer.id, Customer.archive_no, Customer.name, Customer.kind,
                             Customer.owner, *[getattr(Customer, n) for n in names_needed])
             .where(_incomplete_where(actor, owner_id))
             .order_by(Customer.owner, Customer.archive_no).offset(offset or None)
             .limit(limit).tuples())
    staff = staff_names()
    rows = []
    found = list(query)
    own = _office_important()
    own_values = office_values.values_of([row[0] for row in found]) if own else {}
    for cid, archive_no, name, kind, owner, *values in found:
        missing = missing_important(dict(zip(names_needed, values, strict=True)), kind)
        missing += office_values.missing_important(own, own_values.get(cid, {}), kind)
        rows.append(IncompleteArchive(
            cid, archive_no, name or "", kind, owner, staff.get(owner, "") if owner else "",
            tuple(p.field for p in missing), tuple(p.label for p in missing)))
    return rows


def incomplete_count(actor: Actor | None = None, owner_id: int | None = None) -> int:
    """How many archives ``incomplete_archives`` lists in all."""
    return Customer.select(Customer.id).where(_incomplete_where(actor, owner_id)).count()


def incomplete_by_owner(actor: Actor | None = None) -> list[OwnerCount]:
    """How many incomplete archives each owner has, most first."""
    counts = (Customer.select(Customer.owner, peewee.fn.COUNT(Customer.id))
              .where(_incomplete_where(actor, None)).group_by(Customer.owner).tuples())
    return owner_counts(counts)

"""Archive growth: new archives per day, week or month, by source, by owner and by each of the
office's own choice and yes/no fields, and how many of them have every important field of the
card filled.

The database counts from the archives' milestones (crmdesk.models.summaries: registration day,
owner, source and completeness kept on every save): one row per day, or per source and owner,
and completeness; buckets, sources and owners are summed from those rows. An office field's
section counts the milestones by the field's stored value (its indexed value table). A click
lists the archives from the cards themselves.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import reduce
from operator import and_
from typing import Any

import peewee

from crmdesk.i18n import _
from crmdesk.models import Customer
from crmdesk.models.office_fields import OfficeField, OfficeValue, office_fields
from crmdesk.models.office_kinds import CHOICE, YES_NO
from crmdesk.models.summaries import GrowthTally, Milestone, complete_card
from crmdesk.services.staff import staff_names
from crmdesk.services.statistics.counting import as_date, narrowed, within
from crmdesk.services.statistics.periods import (
    Period,
    bucket_label,
    bucket_start,
    buckets,
    whole_months,
)
from crmdesk.services.statistics.report import Drill, Figure, Reading, Report, Section, rate
from crmdesk.services.statistics.scope import Scope
from crmdesk.services.visit_register import source_label

NAME = "growth"
# A group of an office field's section is named by this and the field's key.
OFFICE_GROUP = "office:"


@dataclass(frozen=True)
class _Group:
    """How many archives registered in the period share the values of some keys, complete or
    not."""

    key: tuple[Any, ...]
    complete: bool
    archives: int


def _registered(period: Period, scope: Scope) -> peewee.Expression:
    """The archives registered within ``period`` in ``scope``."""
    return within(Customer.created_at, period) & scope.read(Customer.id, Customer.owner)


# The keys a section counts by, in the milestones and in their monthly tally.
_DAILY = {"day": (Milestone.created_day,), "kept": (Milestone.source, Milestone.owner_id)}
_MONTHLY = {"day": (GrowthTally.month,), "kept": (GrowthTally.source, GrowthTally.owner_key)}


def _key(keys: str, row: tuple[Any, ...], month: bool = False) -> tuple[Any, ...]:
    """A group's key as read back: a day (or its month), or a source and an owner (None for
    nobody, kept as 0 in the tally)."""
    if keys == "day":
        day = as_date(row[0])
        return (bucket_start(day, "month") if month else day,)
    return (row[0] or "", row[1] or None)


def _groups(period: Period, scope: Scope, keys: str, monthly: bool) -> list[_Group]:
    """The period's new archives counted by ``keys`` and completeness: its whole months from
    the monthly tally when ``monthly`` (keyed by month), the other days from the milestones."""
    months, days = whole_months(period) if monthly else (None, [period])
    counts: Counter = Counter()
    for part in days:
        query = (Milestone.select(*_DAILY[keys], Milestone.complete,
                                  peewee.fn.COUNT(Milestone.customer_id))
                 .where(Milestone.created_day.between(part.start, part.end)
                        & scope.read(Milestone.customer_id, Milestone.owner_id))
                 .group_by(*_DAILY[keys], Milestone.complete))
        for row in query.tuples():
            counts[(_key(keys, row), bool(row[-2]))] += row[-1]
    if months is not None:
        tally = (GrowthTally.select(*_MONTHLY[keys], GrowthTally.complete,
                                    peewee.fn.SUM(GrowthTally.archives))
                 .where(GrowthTally.month.between(months.start, months.end))
                 .group_by(*_MONTHLY[keys], GrowthTally.complete))
        if scope.staff_id is not None:
            tally = tally.where(GrowthTally.owner_key == scope.staff_id)
        for row in tally.tuples():
            counts[(_key(keys, row), bool(row[-2]))] += int(row[-1])
        if scope.hidden:  # the few archives the reader may not read, taken out again
            hidden = (Milestone.select(*_DAILY[keys], Milestone.complete)
                      .where(Milestone.created_day.between(months.start, months.end)
                             & Milestone.customer_id.in_(sorted(scope.hidden))))
            if scope.staff_id is not None:
                hidden = hidden.where(Milestone.owner_id == scope.staff_id)
            for row in hidden.tuples():
                counts[(_key(keys, row, month=True), bool(row[-1]))] -= 1
    return [_Group(key, complete, number) for (key, complete), number in counts.items()
            if number]


def _grouping_fields() -> list[OfficeField]:
    """The office's shown fields a report can group by: those with a few set answers."""
    return [f for f in office_fields() if f.kind in (CHOICE, YES_NO)]


def _by_office_field(period: Period, scope: Scope, field: OfficeField) -> list[_Group]:
    """The period's new archives counted by what ``field`` holds (None: no answer)."""
    query = (Milestone.select(OfficeValue.value, Milestone.complete,
                              peewee.fn.COUNT(Milestone.customer_id))
             .join(OfficeValue, peewee.JOIN.LEFT_OUTER,
                   on=((OfficeValue.customer == Milestone.customer_id)
                       & (OfficeValue.field == field.id)))
             .where(Milestone.created_day.between(period.start, period.end)
                    & scope.read(Milestone.customer_id, Milestone.owner_id))
             .group_by(OfficeValue.value, Milestone.complete))
    return [_Group((stored,), bool(complete), number)
            for stored, complete, number in query.tuples()]


def _office_section(reading: Reading, period: Period, scope: Scope, field: OfficeField,
                    head: tuple[str, ...]) -> Section:
    """Growth by an office field's answers, in the order of its choices."""
    groups = _by_office_field(period, scope, field)
    held = {g.key[0] for g in groups}
    order = [field.kind.store(field.accept(c.key)) for c in field.choices] if field.choices \
        else sorted(v for v in held if v is not None)
    order = [v for v in order if v in held] + sorted(v for v in held - {None} - set(order))
    if None in held:
        order.append(None)

    def label(stored: str | None) -> str:
        return _("(none)") if stored is None else field.display(field.kind.load(stored))

    return Section(_("By {field}").format(field=field.label), (field.label, *head), _grouped(
        reading, groups, OFFICE_GROUP + field.key, lambda key: key[0], label, order), (1,))


def _row(reading: Reading, label: str, groups: list[_Group],
         group: tuple[tuple[str, Any], ...]) -> tuple[Figure, ...]:
    every = sum(g.archives for g in groups)
    complete = sum(g.archives for g in groups if g.complete)
    return (Figure(label), reading.count(every, "customers", "archives", group),
            reading.count(complete, "customers", "complete", group), rate(complete, every))


def _grouped(reading: Reading, groups: list[_Group], name: str,
             key: Callable[[tuple[Any, ...]], Any], label: Callable[[Any], str],
             order: list[Any] | None = None) -> tuple[tuple[Figure, ...], ...]:
    together: dict[Any, list[_Group]] = {}
    for group in groups:
        together.setdefault(key(group.key), []).append(group)
    sizes = {k: sum(g.archives for g in gs) for k, gs in together.items()}
    keys = order if order is not None else sorted(together, key=lambda k: (-sizes[k], label(k)))
    return (*(_row(reading, label(k), together.get(k, []), ((name, k),)) for k in keys),
            _row(reading, _("Total"), groups, ()))


def archive_growth(period: Period, by: str, scope: Scope) -> Report:
    """New archives in ``period`` by ``by``, source and owner, with card completeness."""
    reading = Reading(NAME, period, by, scope.staff_id)
    names = staff_names()
    # Two readings of the period's archives: by day, and by source and owner together.
    days = _groups(period, scope, "day", monthly=by in ("month", "quarter", "year"))
    kept = _groups(period, scope, "kept", monthly=True)
    head = (_("New archives"), _("Complete cards"), _("Complete %"))
    starts = [bucket_start(b.start, by) for b in buckets(period, by)]
    sections = (
        Section(_("By period"), (_("Period"), *head), _grouped(
            reading, days, "bucket", lambda key: bucket_start(key[0], by),
            lambda k: bucket_label(k, by), starts), (1,)),
        Section(_("By source"), (_("Source"), *head), _grouped(
            reading, kept, "source", lambda key: key[0],
            lambda k: source_label(k) or _("(none)")), (1,)),
        Section(_("By owner"), (_("Salesperson"), *head), _grouped(
            reading, kept, "owner", lambda key: key[1],
            lambda k: names.get(k, _("(none)"))), (1,)),
        *(_office_section(reading, period, scope, field, head) for field in _grouping_fields()),
    )
    return Report(NAME, _("Archive growth"), period, by, scope.text(), sections)


def members(drill: Drill, scope: Scope) -> peewee.Select:
    """The new archives (or the complete ones among them) a figure counts."""
    fields = {OFFICE_GROUP + f.key: f for f in office_fields(include_hidden=True)}
    answers = [(fields[name], value) for name, value in drill.group if name in fields]
    drill = replace(drill, group=tuple((n, v) for n, v in drill.group if n not in fields))
    period, conditions = narrowed(drill, {"source": Customer.source, "owner": Customer.owner})
    conditions += [_answered(field, stored) for field, stored in answers]
    if drill.key == "complete":
        conditions.append(complete_card() == 1)
    return Customer.select(Customer.id).where(
        reduce(and_, conditions, _registered(period, scope)))


def _answered(field: OfficeField, stored: str | None) -> peewee.Expression:
    """Customers whose ``field`` holds the stored value ``stored`` (None: no answer)."""
    holders = OfficeValue.select(OfficeValue.customer).where(OfficeValue.field == field.id)
    if stored is None:
        return Customer.id.not_in(holders)
    return Customer.id.in_(holders.where(OfficeValue.value == stored))

"""Archive growth: new archives per day, week or month, by source and by owner, and how many
of them have every important field of the card filled.

The database counts: one row per day, or per source and owner, and completeness, whatever the
number of archives; buckets, sources and owners are summed from those rows.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce
from operator import and_
from typing import Any

import peewee

from crmdesk.i18n import _
from crmdesk.models import Customer
from crmdesk.models.card import Applies, FieldSpec, Need, all_fields
from crmdesk.services.staff import staff_names
from crmdesk.services.statistics.counting import as_date, day_of, narrowed, within
from crmdesk.services.statistics.periods import Period, bucket_label, bucket_start, buckets
from crmdesk.services.statistics.report import Drill, Figure, Reading, Report, Section, rate
from crmdesk.services.statistics.scope import Scope
from crmdesk.services.visit_register import source_label

NAME = "growth"


def _filled(spec: FieldSpec) -> peewee.Node:
    """True when the card's field ``spec`` holds something (or does not apply to its kind)."""
    column = getattr(Customer, spec.name)
    filled = column.is_null(False)
    if isinstance(column, peewee.TextField | peewee.CharField):
        filled = filled & (column != "")
    if spec.applies is not Applies.BOTH:
        filled = filled | (peewee.fn.COALESCE(Customer.kind, "") != spec.applies.value)
    return filled


def complete_card() -> peewee.Node:
    """True for a card with every important field filled that applies to its kind."""
    condition: peewee.Node | None = None
    for spec in all_fields():
        if spec.need is Need.IMPORTANT:
            condition = _filled(spec) if condition is None else condition & _filled(spec)
    return peewee.Case(None, ((condition, 1),), 0) if condition is not None else peewee.Value(1)


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


def _groups(period: Period, scope: Scope, *keys: peewee.Node) -> list[_Group]:
    """The period's new archives counted by ``keys`` and completeness."""
    complete = complete_card()
    query = (Customer.select(*keys, complete, peewee.fn.COUNT(Customer.id))
             .where(_registered(period, scope)).group_by(*keys, complete))
    return [_Group(tuple(row[:-2]), bool(row[-2]), row[-1]) for row in query.tuples()]


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
    days = _groups(period, scope, day_of(Customer.created_at))
    kept = _groups(period, scope, Customer.source, Customer.owner)
    head = (_("New archives"), _("Complete cards"), _("Complete %"))
    starts = [bucket_start(b.start, by) for b in buckets(period, by)]
    sections = (
        Section(_("By period"), (_("Period"), *head), _grouped(
            reading, days, "bucket", lambda key: bucket_start(as_date(key[0]), by),
            lambda k: bucket_label(k, by), starts), (1,)),
        Section(_("By source"), (_("Source"), *head), _grouped(
            reading, kept, "source", lambda key: key[0] or "",
            lambda k: source_label(k) or _("(none)")), (1,)),
        Section(_("By owner"), (_("Salesperson"), *head), _grouped(
            reading, kept, "owner", lambda key: key[1],
            lambda k: names.get(k, _("(none)"))), (1,)),
    )
    return Report(NAME, _("Archive growth"), period, by, scope.text(), sections)


def members(drill: Drill, scope: Scope) -> peewee.Select:
    """The new archives (or the complete ones among them) a figure counts."""
    period, conditions = narrowed(drill, {"source": Customer.source, "owner": Customer.owner})
    if drill.key == "complete":
        conditions.append(complete_card() == 1)
    return Customer.select(Customer.id).where(
        reduce(and_, conditions, _registered(period, scope)))

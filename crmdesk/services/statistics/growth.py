"""Archive growth: new archives per day, week or month, by source and by owner, and how many
of them have every important field of the card filled.

The database counts: one row per day, or per source and owner, and completeness, whatever the
number of archives; buckets, sources and owners are summed from those rows.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import peewee

from crmdesk.i18n import _
from crmdesk.models import Customer
from crmdesk.models.card import Applies, FieldSpec, Need, all_fields
from crmdesk.services.staff import staff_names
from crmdesk.services.statistics.counting import as_date, day_of, id_list, ids
from crmdesk.services.statistics.periods import Period, bucket_label, bucket_start, buckets
from crmdesk.services.statistics.report import Figure, Report, Section, count, rate
from crmdesk.services.statistics.scope import Scope
from crmdesk.services.visit_register import source_label


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
    """The archives registered in ``period`` sharing the values of some keys, complete or not."""

    key: tuple[Any, ...]
    complete: bool
    ids: tuple[int, ...]


def _groups(period: Period, scope: Scope, *keys: peewee.Node) -> list[_Group]:
    """The period's new archives counted by ``keys`` and completeness."""
    complete = complete_card()
    query = (Customer.select(*keys, complete, id_list(Customer.id, distinct=False))
             .where((Customer.created_at >= period.first_moment)
                    & (Customer.created_at < period.after_last_moment)
                    & scope.visible(Customer.id))
             .group_by(*keys, complete))
    if scope.staff_id is not None:
        query = query.where(Customer.owner == scope.staff_id)
    return [_Group(tuple(row[:-2]), bool(row[-2]), tuple(ids(row[-1])))
            for row in query.tuples()]


def _row(label: str, groups: list[_Group]) -> tuple[Figure, ...]:
    every = [cid for g in groups for cid in g.ids]
    complete = [cid for g in groups if g.complete for cid in g.ids]
    return (Figure(label), count("customers", every), count("customers", complete),
            rate(len(complete), len(every)))


def _grouped(groups: list[_Group], key: Callable[[tuple[Any, ...]], Any],
             label: Callable[[Any], str],
             order: list[Any] | None = None) -> tuple[tuple[Figure, ...], ...]:
    together: dict[Any, list[_Group]] = {}
    sizes: dict[Any, int] = {}
    for group in groups:
        together.setdefault(key(group.key), []).append(group)
        sizes[key(group.key)] = sizes.get(key(group.key), 0) + len(group.ids)
    keys = order if order is not None else sorted(together, key=lambda k: (-sizes[k], label(k)))
    return (*(_row(label(k), together.get(k, [])) for k in keys), _row(_("Total"), groups))


def archive_growth(period: Period, by: str, scope: Scope) -> Report:
    """New archives in ``period`` by ``by``, source and owner, with card completeness."""
    names = staff_names()
    # Two readings of the period's archives: by day, and by source and owner together.
    days = _groups(period, scope, day_of(Customer.created_at))
    kept = _groups(period, scope, Customer.source, Customer.owner)
    head = (_("New archives"), _("Complete cards"), _("Complete %"))
    starts = [bucket_start(b.start, by) for b in buckets(period, by)]
    sections = (
        Section(_("By period"), (_("Period"), *head), _grouped(
            days, lambda key: bucket_start(as_date(key[0]), by), lambda k: bucket_label(k, by),
            starts), (1,)),
        Section(_("By source"), (_("Source"), *head), _grouped(
            kept, lambda key: key[0] or "",
            lambda k: source_label(k) or _("(none)")), (1,)),
        Section(_("By owner"), (_("Salesperson"), *head), _grouped(
            kept, lambda key: key[1],
            lambda k: names.get(k, _("(none)"))), (1,)),
    )
    return Report("growth", _("Archive growth"), period, by, scope.text(), sections)

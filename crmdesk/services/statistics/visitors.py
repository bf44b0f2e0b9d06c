"""来人来电统计表: walk-ins and calls per day, week or month, first and return, by source, by
channel and by the salesperson who received them, people per party, and the deals those
visitors closed within N days of coming."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from crmdesk.i18n import _
from crmdesk.models import Deal, Visit
from crmdesk.services.staff import staff_names
from crmdesk.services.statistics.periods import Period, bucket_label, bucket_start, buckets
from crmdesk.services.statistics.report import Figure, Report, Section, average, count
from crmdesk.services.statistics.scope import Scope
from crmdesk.services.visit_register import channel_label, source_label

DEAL_DAYS = 30


@dataclass(frozen=True)
class VisitFact:
    """One register line as the report counts it."""

    id: int
    day: dt.date
    channel: str
    returning: bool
    source: str
    salesperson_id: int | None
    party_size: int
    customer_id: int | None


def _as_datetime(value: object) -> dt.datetime:
    return dt.datetime.fromisoformat(value) if isinstance(value, str) else value  # type: ignore[return-value]


def visit_facts(period: Period, scope: Scope) -> list[VisitFact]:
    """Every register line of ``period`` in ``scope``."""
    query = Visit.select(Visit.id, Visit.arrived_at, Visit.channel, Visit.returning,
                         Visit.source, Visit.salesperson, Visit.party_size, Visit.customer
                         ).where((Visit.arrived_at >= period.first_moment)
                                 & (Visit.arrived_at < period.after_last_moment))
    if scope.staff_id is not None:
        query = query.where(Visit.salesperson == scope.staff_id)
    return [VisitFact(vid, _as_datetime(at).date(), channel, bool(returning), source or "",
                      salesperson, party or 1, customer)
            for vid, at, channel, returning, source, salesperson, party, customer
            in query.tuples() if scope.counts(customer)]


def deals_after(facts: list[VisitFact], days: int) -> dict[int, set[int]]:
    """For each visit, the customers who closed a deal from its day to ``days`` after."""
    if not facts:
        return {}
    first = min(f.day for f in facts)
    last = max(f.day for f in facts) + dt.timedelta(days=days)
    closed: dict[int, list[dt.date]] = {}
    for customer, day in Deal.select(Deal.customer, Deal.closed_on).where(
            Deal.closed_on.between(first, last)).tuples():
        closed.setdefault(customer, []).append(day)
    return {f.id: {f.customer_id} for f in facts if f.customer_id in closed and any(
        f.day <= day <= f.day + dt.timedelta(days=days) for day in closed[f.customer_id])}


def columns(days: int) -> tuple[str, ...]:
    return (_("Walk-ins"), _("Calls"), _("First"), _("Return"), _("People"),
            _("People per party"), _("Deals within {days} days").format(days=days))


def _row(label: str, facts: list[VisitFact], won: dict[int, set[int]]) -> tuple[Figure, ...]:
    walk_ins = [f for f in facts if f.channel == "visit"]
    return (
        Figure(label),
        count("visits", (f.id for f in walk_ins)),
        count("visits", (f.id for f in facts if f.channel == "call")),
        count("visits", (f.id for f in facts if not f.returning)),
        count("visits", (f.id for f in facts if f.returning)),
        Figure(sum(f.party_size for f in walk_ins)),
        average([f.party_size for f in walk_ins]),
        count("customers", (c for f in facts for c in won.get(f.id, ()))),
    )


def grouped(facts: list[VisitFact], key: Callable[[VisitFact], Any],
            label: Callable[[Any], str], won: dict[int, set[int]],
            order: list[Any] | None = None) -> list[tuple[Figure, ...]]:
    """One row per value of ``key`` (in ``order`` when given, else by size), then the total."""
    groups: dict[object, list[VisitFact]] = {}
    for fact in facts:
        groups.setdefault(key(fact), []).append(fact)
    keys = order if order is not None else sorted(groups, key=lambda k: -len(groups[k]))
    rows = [_row(label(k), groups.get(k, []), won) for k in keys]
    return [*rows, _row(_("Total"), facts, won)]


def visitor_statistics(period: Period, by: str, scope: Scope,
                       deal_days: int = DEAL_DAYS) -> Report:
    """The visitor and caller statistics of ``period``, broken down ``by`` day, week or month."""
    facts = visit_facts(period, scope)
    won = deals_after(facts, deal_days)
    names = staff_names()
    starts = [bucket_start(b.start, by) for b in buckets(period, by)]
    head = (_("Period"), *columns(deal_days))
    chart = (1, 2)
    sections = (
        Section(_("By period"), head, tuple(grouped(
            facts, lambda f: bucket_start(f.day, by), lambda k: bucket_label(k, by), won,
            order=starts)), chart),
        Section(_("By source"), (_("Source"), *columns(deal_days)), tuple(grouped(
            facts, lambda f: f.source, lambda k: source_label(k) or _("(none)"), won)), chart),
        Section(_("By channel"), (_("Channel"), *columns(deal_days)), tuple(grouped(
            facts, lambda f: f.channel, channel_label, won, order=["visit", "call"]))),
        Section(_("By receiving salesperson"), (_("Salesperson"), *columns(deal_days)),
                tuple(grouped(facts, lambda f: f.salesperson_id,
                              lambda k: names.get(k, _("(none)")), won)), chart),
    )
    return Report("visitors", _("Visitor and caller statistics"), period, by, scope.text(),
                  sections)

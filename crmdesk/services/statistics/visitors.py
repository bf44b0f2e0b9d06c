"""来人来电统计表: walk-ins and calls per day, week or month, first and return, by source, by
channel and by the salesperson who received them, people per party, and the deals those
visitors closed within N days of coming.

The database counts: per section one row per group, channel and first or return; the deals
read only the lines of visitors who went on to buy.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import reduce
from operator import and_
from typing import Any

import peewee

from crmdesk.i18n import _
from crmdesk.models import Deal, Visit
from crmdesk.services.staff import staff_names
from crmdesk.services.statistics.counting import as_date, day_of, days_between, narrowed, within
from crmdesk.services.statistics.periods import Period, bucket_label, bucket_start, buckets
from crmdesk.services.statistics.report import Drill, Figure, Reading, Report, Section, mean
from crmdesk.services.statistics.scope import Scope
from crmdesk.services.visit_register import channel_label, source_label

NAME = "visitors"
DEAL_DAYS = 30


def register_lines(period: Period, scope: Scope) -> peewee.Node:
    """The register lines of ``period`` in ``scope`` (received by its salesperson, if any)."""
    return within(Visit.arrived_at, period) & scope.read(Visit.customer, Visit.salesperson)


def _figures() -> dict[str, peewee.Node]:
    """What each count of the register counts, as a condition on a line."""
    return {"walk_ins": Visit.channel == "visit", "calls": Visit.channel == "call",
            "first": ~Visit.returning, "return": Visit.returning}


def _won(days: int) -> peewee.Node:
    """The line's customer closed a deal from its day to ``days`` after."""
    return Visit.customer.is_null(False) & peewee.fn.EXISTS(Deal.select(Deal.id).where(
        (Deal.customer == Visit.customer)
        & days_between(day_of(Visit.arrived_at), Deal.closed_on).between(0, days)))


@dataclass(frozen=True)
class _Dimension:
    """A way the register is broken down: its column and the row key a value read back has."""

    column: peewee.Node
    key: Callable[[Any], Any]


def _dimensions(by: str) -> dict[str, _Dimension]:
    return {"bucket": _Dimension(day_of(Visit.arrived_at),
                                 lambda day: bucket_start(as_date(day), by)),
            "source": _Dimension(Visit.source, lambda source: source or ""),
            "channel": _Dimension(Visit.channel, lambda channel: channel),
            "salesperson": _Dimension(Visit.salesperson, lambda staff: staff)}


@dataclass
class _Tally:
    """What one row counts."""

    walk_ins: int = 0
    calls: int = 0
    first: int = 0
    returning: int = 0
    people: int = 0
    won: set[int] = field(default_factory=set)

    def add(self, channel: str, returning: bool, lines: int, people: int) -> None:
        if channel == "visit":
            self.walk_ins, self.people = self.walk_ins + lines, self.people + people
        elif channel == "call":
            self.calls += lines
        if returning:
            self.returning += lines
        else:
            self.first += lines


def _tallies(period: Period, scope: Scope, dimension: _Dimension) -> dict[Any, _Tally]:
    """One tally per key of ``dimension``, counted by the database."""
    party = peewee.fn.COALESCE(peewee.fn.NULLIF(Visit.party_size, 0), 1)
    query = (Visit.select(dimension.column, Visit.channel, Visit.returning,
                          peewee.fn.COUNT(Visit.id), peewee.fn.SUM(party))
             .where(register_lines(period, scope))
             .group_by(dimension.column, Visit.channel, Visit.returning))
    tallies: dict[Any, _Tally] = {}
    for value, channel, returning, lines, people in query.tuples():
        tallies.setdefault(dimension.key(value), _Tally()).add(channel, bool(returning), lines,
                                                               int(people or 0))
    return tallies


def _add_deals(period: Period, scope: Scope, dimensions: dict[str, _Dimension],
               tallies: dict[str, dict[Any, _Tally]], total: _Tally) -> None:
    """The customers who bought within ``DEAL_DAYS`` of a line, added to each row's tally
    (a customer counts once per row however often they came)."""
    columns = [d.column for d in dimensions.values()]
    query = (Visit.select(*columns, Visit.customer)
             .where(register_lines(period, scope) & _won(DEAL_DAYS)).distinct())
    for *values, customer in query.tuples():
        total.won.add(customer)
        for (name, dimension), value in zip(dimensions.items(), values, strict=True):
            tallies[name].setdefault(dimension.key(value), _Tally()).won.add(customer)


def columns() -> tuple[str, ...]:
    return (_("Walk-ins"), _("Calls"), _("First"), _("Return"), _("People"),
            _("People per party"), _("Deals within {days} days").format(days=DEAL_DAYS))


def _row(reading: Reading, label: str, tally: _Tally,
         group: tuple[tuple[str, Any], ...]) -> tuple[Figure, ...]:
    count = reading.count
    return (Figure(label),
            count(tally.walk_ins, "visits", "walk_ins", group),
            count(tally.calls, "visits", "calls", group),
            count(tally.first, "visits", "first", group),
            count(tally.returning, "visits", "return", group),
            Figure(tally.people), mean(tally.people, tally.walk_ins),
            count(len(tally.won), "customers", "deals", group))


def _rows(reading: Reading, name: str, tallies: dict[Any, _Tally], total: _Tally,
          label: Callable[[Any], str],
          order: list[Any] | None = None) -> tuple[tuple[Figure, ...], ...]:
    """One row per key (in ``order`` when given, else by size), then the total."""
    keys = order if order is not None else sorted(
        tallies, key=lambda k: -(tallies[k].walk_ins + tallies[k].calls))
    rows = [_row(reading, label(k), tallies.get(k, _Tally()), ((name, k),)) for k in keys]
    return (*rows, _row(reading, _("Total"), total, ()))


def visitor_statistics(period: Period, by: str, scope: Scope) -> Report:
    """The visitor and caller statistics of ``period``, broken down ``by`` day, week or month."""
    reading = Reading(NAME, period, by, scope.staff_id)
    dimensions = _dimensions(by)
    tallies = {name: _tallies(period, scope, d) for name, d in dimensions.items()}
    total = _Tally()
    for tally in tallies["channel"].values():
        total.walk_ins, total.calls = total.walk_ins + tally.walk_ins, total.calls + tally.calls
        total.first, total.returning = total.first + tally.first, total.returning + tally.returning
        total.people += tally.people
    _add_deals(period, scope, dimensions, tallies, total)
    names = staff_names()
    starts = [bucket_start(b.start, by) for b in buckets(period, by)]
    chart = (1, 2)
    sections = (
        Section(_("By period"), (_("Period"), *columns()), _rows(
            reading, "bucket", tallies["bucket"], total, lambda k: bucket_label(k, by),
            starts), chart),
        Section(_("By source"), (_("Source"), *columns()), _rows(
            reading, "source", tallies["source"], total,
            lambda k: source_label(k) or _("(none)")), chart),
        Section(_("By channel"), (_("Channel"), *columns()), _rows(
            reading, "channel", tallies["channel"], total, channel_label, ["visit", "call"])),
        Section(_("By receiving salesperson"), (_("Salesperson"), *columns()), _rows(
            reading, "salesperson", tallies["salesperson"], total,
            lambda k: names.get(k, _("(none)"))), chart),
    )
    return Report(NAME, _("Visitor and caller statistics"), period, by, scope.text(), sections)


def members(drill: Drill, scope: Scope) -> peewee.Select:
    """The lines (or, for deals, the customers) a figure of this report counts."""
    dimensions = _dimensions(drill.reading.by)
    period, conditions = narrowed(drill, {name: d.column for name, d in dimensions.items()})
    where = reduce(and_, conditions, register_lines(period, scope))
    if drill.key == "deals":
        return Visit.select(Visit.customer).where(where & _won(DEAL_DAYS)).distinct()
    return Visit.select(Visit.id).where(where & _figures()[drill.key])


def first_visits(period: Period, scope: Scope) -> int:
    """How many first visits and calls ``period`` has in ``scope``."""
    return Visit.select().where(register_lines(period, scope) & ~Visit.returning).count()


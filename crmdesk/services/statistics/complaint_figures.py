"""客户月投诉统计表 and the quarterly analysis: complaints received per month (or quarter) and
per category, how many were major, closed and overdue, the days to close them and how satisfied
the customers were afterwards.

The database counts, one row per day and category; months and categories are summed from
those rows.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, fields
from functools import reduce
from operator import and_
from typing import Any

import peewee

from crmdesk.i18n import _
from crmdesk.models import Complaint, Customer
from crmdesk.models.complaints import CATEGORIES
from crmdesk.services.complaints import label
from crmdesk.services.statistics.counting import (
    as_date,
    day_of,
    day_value,
    days_between,
    flag,
    narrowed,
    within,
)
from crmdesk.services.statistics.periods import Period, bucket_label, bucket_start, buckets
from crmdesk.services.statistics.report import Drill, Figure, Reading, Report, Section, mean, rate
from crmdesk.services.statistics.scope import Scope

NAME = "complaints"
SATISFIED = ("very_satisfied", "satisfied")


def _received(period: Period, scope: Scope) -> peewee.Expression:
    """The complaints received within ``period`` in ``scope`` (handled by its salesperson or
    about their customers); the query joins the customer."""
    condition = within(Complaint.received_at, period) & scope.visible(Complaint.customer)
    if scope.staff_id is not None:
        condition &= (Complaint.handler == scope.staff_id) | (Customer.owner == scope.staff_id)
    return condition


def _as_of(period: Period) -> dt.date:
    """Overdue as it stood at the period's end (or today, for a period still running)."""
    return min(period.end, dt.date.today())


def _figures(period: Period) -> dict[str, peewee.Node]:
    """What each count counts among the complaints received, as a condition."""
    return {"major": Complaint.severity == "major", "closed": Complaint.closed_on.is_null(False),
            "overdue": Complaint.closed_on.is_null() & Complaint.due_on.is_null(False)
            & (Complaint.due_on < day_value(_as_of(period)))}


@dataclass
class _Tally:
    """What one row counts."""

    received: int = 0
    major: int = 0
    closed: int = 0
    overdue: int = 0
    days_to_close: int = 0
    rated: int = 0
    satisfied: int = 0

    def add(self, other: tuple[int, ...]) -> None:
        for each, value in zip(fields(self), other, strict=True):
            setattr(self, each.name, getattr(self, each.name) + int(value or 0))


def _tallies(period: Period, scope: Scope) -> list[tuple[dt.date, str, tuple[int, ...]]]:
    """(day, category, counts) of the complaints received in ``period``, one per day and
    category, the counts in the order of ``_Tally``'s fields."""
    figures = _figures(period)
    closed = figures["closed"]
    rated = closed & Complaint.satisfaction.is_null(False) & (Complaint.satisfaction != "")
    day = day_of(Complaint.received_at)
    query = (Complaint.select(
        day, Complaint.category, peewee.fn.COUNT(Complaint.id),
        peewee.fn.SUM(flag(figures["major"])), peewee.fn.SUM(flag(closed)),
        peewee.fn.SUM(flag(figures["overdue"])),
        peewee.fn.SUM(peewee.Case(None, ((closed, days_between(day, Complaint.closed_on)),), 0)),
        peewee.fn.SUM(flag(rated)),
        peewee.fn.SUM(flag(rated & Complaint.satisfaction.in_(SATISFIED))))
        .join(Customer, on=(Complaint.customer == Customer.id))
        .where(_received(period, scope)).group_by(day, Complaint.category))
    return [(as_date(row[0]), row[1], row[2:]) for row in query.tuples()]


def _row(reading: Reading, name: str, tally: _Tally,
         group: tuple[tuple[str, Any], ...]) -> tuple[Figure, ...]:
    count = reading.count
    return (Figure(name), count(tally.received, "complaints", "received", group),
            count(tally.major, "complaints", "major", group),
            count(tally.closed, "complaints", "closed", group),
            count(tally.overdue, "complaints", "overdue", group),
            mean(tally.days_to_close, tally.closed), rate(tally.satisfied, tally.rated))


def _grouped(reading: Reading, rows: list[tuple[dt.date, str, tuple[int, ...]]], name: str,
             key: Callable[[dt.date, str], Any], label: Callable[[Any], str],
             order: list[Any] | None = None) -> tuple[tuple[Figure, ...], ...]:
    tallies: dict[Any, _Tally] = {}
    total = _Tally()
    for day, category, counts in rows:
        tallies.setdefault(key(day, category), _Tally()).add(counts)
        total.add(counts)
    keys = order if order is not None else sorted(tallies, key=lambda k: -tallies[k].received)
    return (*(_row(reading, label(k), tallies.get(k, _Tally()), ((name, k),)) for k in keys),
            _row(reading, _("Total"), total, ()))


def complaint_statistics(period: Period, by: str, scope: Scope) -> Report:
    """Complaints received in ``period`` by ``by`` (month for the monthly table, quarter for
    the quarterly analysis) and by category; overdue counted at the period's end."""
    reading = Reading(NAME, period, by, scope.staff_id)
    rows = _tallies(period, scope)
    head = (_("Received"), _("Major"), _("Closed"), _("Overdue"), _("Average days to close"),
            _("Satisfied %"))
    starts = [bucket_start(b.start, by) for b in buckets(period, by)]
    sections = (
        Section(_("By period"), (_("Period"), *head), _grouped(
            reading, rows, "bucket", lambda day, _category: bucket_start(day, by),
            lambda k: bucket_label(k, by), starts), (1, 3)),
        Section(_("By category"), (_("Category"), *head), _grouped(
            reading, rows, "category", lambda _day, category: category,
            lambda k: label(CATEGORIES, k)), (1,)),
    )
    return Report(NAME, _("Complaint statistics"), period, by, scope.text(), sections)


def members(drill: Drill, scope: Scope) -> peewee.Select:
    """The complaints a figure counts."""
    figures = _figures(drill.reading.period)  # overdue at the report's end, whatever the row
    period, conditions = narrowed(drill, {"category": Complaint.category})
    if drill.key != "received":
        conditions.append(figures[drill.key])
    return (Complaint.select(Complaint.id).join(Customer, on=(Complaint.customer == Customer.id))
            .where(reduce(and_, conditions, _received(period, scope))))

"""Periods of the statistics: a day, a week from Monday, a month, a quarter, a year or any range,
and the buckets (day, week, month, quarter) a period is broken into. Days are the office's local
calendar days: a moment belongs to the day on the office's clock it was recorded at.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from crmdesk.i18n import _

PERIOD_KINDS = ("day", "week", "month", "quarter", "year")
BUCKETS = ("day", "week", "month", "quarter", "year")


@dataclass(frozen=True)
class Period:
    """From ``start`` to ``end``, both days included."""

    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("a period cannot end before it starts")

    @property
    def first_moment(self) -> dt.datetime:
        return dt.datetime.combine(self.start, dt.time.min)

    @property
    def after_last_moment(self) -> dt.datetime:
        return dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min)

    def text(self) -> str:
        """The period as a report's heading shows it."""
        if self.start == self.end:
            return self.start.isoformat()
        return _("From {start} to {end}").format(start=self.start.isoformat(),
                                                 end=self.end.isoformat())


def bucket_start(day: dt.date, by: str) -> dt.date:
    """The first day of the bucket ``by`` that holds ``day``."""
    if by == "day":
        return day
    if by == "week":
        return day - dt.timedelta(days=day.weekday())
    if by == "month":
        return day.replace(day=1)
    if by == "quarter":
        return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    if by == "year":
        return day.replace(month=1, day=1)
    raise ValueError(f"unknown bucket {by!r}")


def _next_start(start: dt.date, by: str) -> dt.date:
    if by == "day":
        return start + dt.timedelta(days=1)
    if by == "week":
        return start + dt.timedelta(days=7)
    months = {"month": 1, "quarter": 3, "year": 12}[by]
    month = start.month - 1 + months
    return dt.date(start.year + month // 12, month % 12 + 1, 1)


def period_of(kind: str, day: dt.date) -> Period:
    """The ``kind`` of period (day, week from Monday, month, quarter, year) holding ``day``."""
    start = bucket_start(day, kind)
    return Period(start, _next_start(start, kind) - dt.timedelta(days=1))


def buckets(period: Period, by: str) -> list[Period]:
    """The buckets ``by`` covering ``period``, the first and last cut to the period."""
    result = []
    start = bucket_start(period.start, by)
    while start <= period.end:
        following = _next_start(start, by)
        result.append(Period(max(start, period.start), min(following - dt.timedelta(days=1),
                                                           period.end)))
        start = following
    return result


def bucket_of(start: dt.date, by: str, period: Period) -> Period:
    """The bucket ``by`` starting on ``start``, cut to ``period``."""
    return Period(max(start, period.start),
                  min(_next_start(start, by) - dt.timedelta(days=1), period.end))


def bucket_label(start: dt.date, by: str) -> str:
    """How a bucket is named in a report: 2026-03-02, 2026-W10, 2026-03, 2026-Q1, 2026."""
    if by == "day":
        return start.isoformat()
    if by == "week":
        year, week, _day = start.isocalendar()
        return f"{year}-W{week:02d}"
    if by == "month":
        return f"{start.year}-{start.month:02d}"
    if by == "quarter":
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    return str(start.year)


def whole_months(period: Period) -> tuple[Period | None, list[Period]]:
    """The whole calendar months within ``period`` (one span, or None) and the days of it
    outside them (none, one or two stretches): monthly tallies count the first, the
    day-by-day rows the rest."""
    first = bucket_start(period.start, "month")
    if first < period.start:
        first = _next_start(first, "month")
    after = bucket_start(period.end + dt.timedelta(days=1), "month")
    if first >= after:
        return None, [period]
    edges = []
    if period.start < first:
        edges.append(Period(period.start, first - dt.timedelta(days=1)))
    if after <= period.end:
        edges.append(Period(after, period.end))
    return Period(first, after - dt.timedelta(days=1)), edges

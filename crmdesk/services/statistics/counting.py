"""Counting in the database: the few expressions the reports need that SQLite and PostgreSQL
spell differently (the day of a moment, days between two days), and the conditions a count
and its drill share.

Reports group and count in SQL and read back one row per group, never a row per record; a
figure's drill runs the same conditions, narrowed to its group, when it is clicked.
"""
from __future__ import annotations

import datetime as dt

import peewee

from crmdesk.models.db import is_sqlite
from crmdesk.services.statistics.periods import Period, bucket_of
from crmdesk.services.statistics.report import Drill


def within(moment: peewee.Node, period: Period) -> peewee.Node:
    """The moment column ``moment`` falls on a day of ``period``."""
    return (moment >= period.first_moment) & (moment < period.after_last_moment)


def narrowed(drill: Drill, columns: dict[str, peewee.Node]) -> tuple[Period, list[peewee.Node]]:
    """The period of ``drill``'s report cut to the bucket of its row, if its row is one, and
    the conditions its other groups put on ``columns`` (by dimension)."""
    period, conditions = drill.reading.period, []
    for name, value in drill.group:
        if name == "bucket":
            period = bucket_of(value, drill.reading.by, period)
        else:
            conditions.append(same(columns[name], value))
    return period, conditions


def same(column: peewee.Node, value: object) -> peewee.Node:
    """``column`` holds ``value``, a group's key as the reports read it back: None (an id) or
    "" (a text) stands for an empty column."""
    if value is None:
        return column.is_null()
    if value == "":
        return column.is_null() | (column == "")
    return column == value


def flag(condition: peewee.Node) -> peewee.Node:
    """1 where ``condition`` holds, else 0: summed, it counts the rows that meet it."""
    return peewee.Case(None, ((condition, 1),), 0)


def day_of(column: peewee.Node) -> peewee.Node:
    """The calendar day of a moment column (the office's local time, as stored)."""
    if is_sqlite():
        return peewee.fn.DATE(column).coerce(False)
    return peewee.Cast(column, "DATE")


def days_between(earlier: peewee.Node, later: peewee.Node) -> peewee.Node:
    """Whole days from the day ``earlier`` to the day ``later``."""
    if is_sqlite():
        return peewee.Cast(peewee.fn.JULIANDAY(later) - peewee.fn.JULIANDAY(earlier), "INTEGER")
    return later - earlier


def day_value(day: dt.date) -> peewee.Node:
    """``day`` as a date in SQL (SQLite keeps dates as ISO text)."""
    if is_sqlite():
        return peewee.Value(day.isoformat())
    return peewee.Cast(peewee.Value(day.isoformat()), "DATE")


def as_date(value: object) -> dt.date:
    """A day read back from SQL (SQLite answers ISO text)."""
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    if isinstance(value, dt.datetime):
        return value.date()
    return value  # type: ignore[return-value]

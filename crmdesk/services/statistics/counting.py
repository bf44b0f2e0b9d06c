"""Counting in the database: the few expressions the reports need that SQLite and PostgreSQL
spell differently (a group's ids as one text, the day of a moment, days between two days).

Reports group and count in SQL and read back one row per group; a figure's ids come back as
one comma-separated text per group, which is far cheaper than a row per record.
"""
from __future__ import annotations

import datetime as dt

import peewee

from crmdesk.models.db import is_sqlite


def id_list(column: peewee.Node, distinct: bool = True) -> peewee.Node:
    """The ids ``column`` holds in a group, as one text (NULLs left out): read with ``ids``."""
    if is_sqlite():
        inner = peewee.NodeList((peewee.SQL("DISTINCT"), column)) if distinct else column
        return peewee.fn.GROUP_CONCAT(inner).coerce(False)
    text = peewee.Cast(column, "TEXT")
    inner = peewee.NodeList((peewee.SQL("DISTINCT"), text)) if distinct else text
    return peewee.fn.STRING_AGG(inner, ",").coerce(False)


def ids(text: str | None) -> list[int]:
    """The ids of an ``id_list`` text."""
    return [int(part) for part in text.split(",")] if text else []


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

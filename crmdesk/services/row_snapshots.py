"""Rows kept as they were, to put back exactly: every column, the id included.

A snapshot is plain JSON (dates, moments and amounts as text) and is read back with each
column's own type, so a restored row equals the one taken, value for value.
"""
from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import peewee

from crmdesk.models import ALL_MODELS

MODELS_BY_TABLE = {model._meta.table_name: model for model in ALL_MODELS}


def take(model: type[peewee.Model], where: peewee.Expression) -> list[dict[str, Any]]:
    """The rows of ``model`` matching ``where``, every column, by id."""
    return list(model.select().where(where).order_by(model._meta.primary_key).dicts())


def encode(data: Any) -> str:
    """Snapshots (and anything else JSON holds) as text; dates, moments, amounts as text."""
    return json.dumps(data, ensure_ascii=False, default=_text, sort_keys=True)


def typed(tables: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """Snapshots of tables read back from ``encode``'s JSON, each value of its column's type."""
    return {table: [_typed(MODELS_BY_TABLE[table], row) for row in rows]
            for table, rows in tables.items()}


def restore(model: type[peewee.Model], rows: list[dict[str, Any]]) -> None:
    """Put rows back as they were: insert those gone, then rewrite those still there (which may
    point at a row just put back)."""
    key = model._meta.primary_key
    present = {r[0] for r in model.select(key).where(
        key.in_([row[key.name] for row in rows])).tuples()} if rows else set()
    for row in rows:
        if row[key.name] not in present:
            model.insert(**row).execute()
    for row in rows:
        if row[key.name] in present:
            values = {k: v for k, v in row.items() if k != key.name}
            model.update(**values).where(key == row[key.name]).execute()


def _text(value: Any) -> str:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(type(value).__name__)


def _typed(model: type[peewee.Model], row: dict[str, Any]) -> dict[str, Any]:
    fields = model._meta.fields
    typed = {}
    for name, value in row.items():
        field = fields[name]
        if value is not None and isinstance(field, peewee.DateTimeField):
            value = dt.datetime.fromisoformat(value)
        elif value is not None and isinstance(field, peewee.DateField):
            value = dt.date.fromisoformat(value)
        elif value is not None and isinstance(field, peewee.DecimalField):
            value = Decimal(value)
        typed[name] = value
    return typed

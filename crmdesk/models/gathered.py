"""Rows of a table gathered into one JSON column of another query, so that a card and its
tables are read in one statement, and read back typed as their fields read them."""
from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import peewee

from crmdesk.models.db import is_sqlite


def json_rows(*columns: peewee.Node) -> peewee.Node:
    """An aggregate of ``columns`` over the rows of its query as JSON text
    ([[column, ...], ...]; on PostgreSQL null when there are no rows)."""
    if is_sqlite():
        return peewee.fn.json_group_array(peewee.fn.json_array(*columns))
    # PostgreSQL writes a moment in JSON as ISO text with a "T", which peewee does not parse.
    return peewee.fn.json_agg(peewee.fn.json_build_array(*(
        c.cast("text") if isinstance(c, peewee.DateTimeField) else c for c in columns
    ))).cast("text")


def typed_rows(columns: tuple[peewee.Field, ...], text: str | None) -> list[tuple[Any, ...]]:
    """The rows ``json_rows(*columns)`` gathered, each value as its field reads it from a row."""
    rows = json.loads(text, parse_float=Decimal) if text else []
    return [tuple(c.python_value(value) for c, value in zip(columns, row, strict=True))
            for row in rows or ()]


def model_rows_column(model: type[peewee.Model], where: peewee.Expression) -> peewee.Node:
    """A column gathering every field of ``model``'s rows matching ``where`` (read them with
    ``model_rows``)."""
    return model.select(json_rows(*model._meta.sorted_fields)).where(where)


def model_rows(model: type[peewee.Model], text: str | None) -> list[peewee.Model]:
    """The ``model`` rows ``model_rows_column`` gathered, in no particular order."""
    fields = tuple(model._meta.sorted_fields)
    return [model(**{f.name: value for f, value in zip(fields, row, strict=True)})
            for row in typed_rows(fields, text)]

"""The columns and rows an export writes, as plain data: what the writers of .xlsx and .csv
take (``services.exports`` reads the archive and fills them)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from crmdesk.i18n import _
from crmdesk.models.fieldtypes import FieldKind, Kind


@dataclass(frozen=True)
class ExportColumn:
    """One exported column: the archive number or a card field, its header and width."""

    key: str
    header: str
    kind: FieldKind
    width: int


@dataclass(frozen=True)
class Table:
    """One export ready to write: what it is (for the audit trail and the sheet's name), its
    columns, and its rows of typed values (dates, numbers, text), read as they are written."""

    what: str
    columns: Sequence[ExportColumn]
    rows: Iterable[Sequence[Any]]


def column(key: str, header: str, kind: FieldKind = Kind.TEXT, width: int | None = None,
           ) -> ExportColumn:
    """A column that is not a card field (a visit's arrival, days overdue, ...)."""
    width = width if width is not None else kind.width
    return ExportColumn(key, header, kind, max(width, len(header) * 2 + 2))


def plain_text(value: Any) -> str:
    """A cell value as CSV text: dates in ISO, moments to the minute, amounts unformatted."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return str(value)

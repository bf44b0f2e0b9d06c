"""The columns and rows an export writes, as plain data: what the writers of .xlsx and .csv
take (``services.exports`` reads the archive and fills them)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from crmdesk.i18n import _
from crmdesk.models.fieldtypes import Kind

_WIDTHS = {Kind.LONGTEXT: 40, Kind.DATE: 12, Kind.MOBILE: 14, Kind.PHONE: 15, Kind.EMAIL: 24,
           Kind.MONEY: 14, Kind.BOOL: 8, Kind.INTEGER: 10, Kind.PERCENT: 8}


@dataclass(frozen=True)
class ExportColumn:
    """One exported column: the archive number or a card field, its header and width."""

    key: str
    header: str
    kind: Kind
    width: int


@dataclass(frozen=True)
class Table:
    """One export ready to write: what it is (for the audit trail and the sheet's name), its
    columns, and its rows of typed values (dates, numbers, text), read as they are written."""

    what: str
    columns: Sequence[ExportColumn]
    rows: Iterable[Sequence[Any]]


def column(key: str, header: str, kind: Kind = Kind.TEXT, width: int | None = None,
           ) -> ExportColumn:
    """A column that is not a card field (a visit's arrival, days overdue, ...)."""
    width = width if width is not None else _WIDTHS.get(kind, 14)
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

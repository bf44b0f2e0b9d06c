"""The columns of a customer export and how each stored value is written in a cell.

Values are written so that importing the file again gives the same archive: staff by name,
levels by code, choices by label, referrers by archive number, yes/no as 是/否, phones as
their stored digits (always text), dates as real dates, amounts as numbers.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from crmdesk.i18n import _
from crmdesk.importers.mapping import ARCHIVE_NO, target_label
from crmdesk.models import Customer, Level
from crmdesk.models.card import FIELDS
from crmdesk.models.fieldtypes import MULTI_SEPARATOR, Kind
from crmdesk.services.staff import staff_names

MULTI_JOIN = "、"
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


def export_columns(keys: Sequence[str] | None = None) -> list[ExportColumn]:
    """The columns for ``keys`` (field names or "archive_no"); all of the card when None.

    Raises:
        KeyError: a key is neither a card field nor the archive number.
    """
    chosen = list(keys) if keys else [ARCHIVE_NO, *FIELDS]
    columns = []
    for key in chosen:
        if key != ARCHIVE_NO and key not in FIELDS:
            raise KeyError(key)
        kind = Kind.TEXT if key == ARCHIVE_NO else FIELDS[key].kind
        header = target_label(key)
        width = 16 if key == ARCHIVE_NO else _WIDTHS.get(kind, 14)
        columns.append(ExportColumn(key, header, kind, max(width, len(header) * 2 + 2)))
    return columns


class Renderer:
    """Turns stored customer values into cell values; looks names up once per export."""

    def __init__(self) -> None:
        self._staff = staff_names()
        self._levels = dict(Level.select(Level.id, Level.code).tuples())
        self._referrers: dict[int, str] = {}

    def prepare(self, records: Iterable[dict[str, Any]]) -> None:
        """Look up the archive numbers of the referrers named in ``records``."""
        wanted = {r.get("referrer") for r in records} - set(self._referrers) - {None}
        if wanted:
            self._referrers.update(Customer.select(Customer.id, Customer.archive_no).where(
                Customer.id.in_(list(wanted))).tuples())

    def value(self, column: ExportColumn, record: dict[str, Any]) -> Any:
        """The typed value for an .xlsx cell (dates, numbers and text)."""
        key = column.key
        value = record.get(key)
        if value is None or value == "":
            return None
        if key == ARCHIVE_NO:
            return value
        kind, spec = column.kind, FIELDS[key]
        if kind is Kind.STAFF:
            return self._staff.get(value, "")
        if kind is Kind.LEVEL:
            return self._levels.get(value, "")
        if kind is Kind.CUSTOMER:
            return self._referrers.get(value, "")
        if kind is Kind.CHOICE:
            choice = spec.choice(value)
            return choice.label if choice else value
        if kind is Kind.MULTICHOICE:
            labels = [spec.choice(k) for k in str(value).split(MULTI_SEPARATOR)]
            return MULTI_JOIN.join(c.label for c in labels if c)
        if kind is Kind.BOOL:
            return _("Yes") if value else _("No")
        return value

    def text(self, column: ExportColumn, record: dict[str, Any]) -> str:
        """The value as plain text, for CSV (dates in ISO, amounts without separators)."""
        return plain_text(self.value(column, record))

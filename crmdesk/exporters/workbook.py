"""Writing .xlsx sheets with openpyxl's write-only (constant-memory) mode, safely and readably.

Used by the import error workbook and the import template (the exports write with XlsxWriter,
faster, in ``exporters.excel``, with this module's names, formats and colours): a styled,
frozen, filtered header row; sensible column widths; real dates; and text that can never turn
into a formula (openpyxl writes any string starting with = as a formula unless the cell is
typed as a string).
"""
from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from crmdesk.i18n import is_chinese
from crmdesk.models.fieldtypes import DATE_FORMAT, MONEY_FORMAT

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="4F6D8F")
MIN_WIDTH, MAX_WIDTH = 8, 50

# Sheet names, in Chinese for the office and English for an English interface.
SHEET_NAMES = {
    "customers": ("客户", "Customers"),
    "visits": ("来访来电登记", "Visits and calls"),
    "communications": ("沟通记录", "Communications"),
    "overdue": ("逾期跟进", "Overdue follow-ups"),
    "sales_by_year": ("历年销售额", "Sales by year"),
    "errors": ("未导入的行", "Rejected rows"),
    "fields": ("字段说明", "Fields"),
    "lists": ("选项", "Lists"),
}


def sheet_name(key: str) -> str:
    """The name of one of crmdesk's sheets in the interface language."""
    zh, en = SHEET_NAMES[key]
    return zh if is_chinese() else en


def text_width(text: str) -> int:
    """Columns a text needs: Chinese characters are about twice as wide as Latin ones."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def cell(sheet: WriteOnlyWorksheet, value: Any) -> Any:
    """A value ready to append: dates formatted, amounts as numbers, text always text."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if value.startswith("="):
            typed = WriteOnlyCell(sheet, value=value)
            typed.data_type = "s"
            return typed
        return value
    if isinstance(value, dt.datetime | dt.date):
        typed = WriteOnlyCell(sheet, value=value)
        typed.number_format = DATE_FORMAT if not isinstance(value, dt.datetime) else (
            DATE_FORMAT + " hh:mm")
        return typed
    if isinstance(value, Decimal):
        typed = WriteOnlyCell(sheet, value=value)
        typed.number_format = MONEY_FORMAT
        return typed
    return value


def append(sheet: WriteOnlyWorksheet, values: Iterable[Any]) -> None:
    """Append one row of values, each made safe by ``cell``."""
    sheet.append([cell(sheet, v) for v in values])


def start_sheet(sheet: WriteOnlyWorksheet, headers: Sequence[str],
                widths: Sequence[int] | None = None, rows: int | None = None) -> None:
    """Set widths, freeze and filter the header row, then write it styled.

    Write-only sheets take their layout before the first row, so call this first; ``rows``
    (the number of data rows, if known) sizes the filter.
    """
    for index, header in enumerate(headers, start=1):
        width = widths[index - 1] if widths else text_width(header) + 2
        sheet.column_dimensions[get_column_letter(index)].width = max(
            MIN_WIDTH, min(MAX_WIDTH, width))
    sheet.freeze_panes = "A2"
    if headers:
        last = get_column_letter(len(headers))
        sheet.auto_filter.ref = f"A1:{last}{(rows or 0) + 1}"
    styled = []
    for header in headers:
        head = WriteOnlyCell(sheet, value=header)
        head.data_type = "s"
        head.font, head.fill = HEADER_FONT, HEADER_FILL
        head.alignment = Alignment(vertical="center")
        styled.append(head)
    sheet.append(styled)


def workbook_bytes(book: Workbook) -> bytes:
    """The .xlsx file of ``book``, made in memory: writing it out is then one step that either
    succeeds or fails with an OSError, never half-way through openpyxl's sheet writers."""
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

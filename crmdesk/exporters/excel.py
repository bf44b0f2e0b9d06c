"""Writing an export to an .xlsx workbook in constant memory (XlsxWriter's constant_memory mode).

Real dates as dates, amounts as numbers, phones and archive numbers as text (never 1.38E+10),
a styled, frozen and filtered header row, and no text ever written as a formula: every text
cell goes through ``write_string``, which XlsxWriter never reads as a formula (its plain
``write`` would). Rows go to disk as they come, so a 200,000-row export needs no more memory
than a 200-row one. A customer export imports back into the same archive
(``services.exports.customers``).
"""
from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from crmdesk.exporters.columns import Table
from crmdesk.exporters.workbook import (
    DATE_FORMAT,
    HEADER_FILL,
    HEADER_FONT,
    MAX_WIDTH,
    MIN_WIDTH,
    MONEY_FORMAT,
    sheet_name,
)

Writer = Callable[[Any, int, int, Any], Any]


def _header_style(book: xlsxwriter.Workbook) -> Any:
    """The header format: the same colours as the openpyxl sheets of ``exporters.workbook``."""
    return book.add_format({"bold": True, "font_color": "#" + HEADER_FONT.color.rgb[-6:],
                            "bg_color": "#" + HEADER_FILL.fgColor.rgb[-6:], "pattern": 1,
                            "valign": "vcenter"})


def _writers(sheet: Any, book: xlsxwriter.Workbook) -> dict[type, Writer]:
    """For each type of value, how a cell of it is written (looked up once per cell by type)."""
    date = book.add_format({"num_format": DATE_FORMAT})
    moment = book.add_format({"num_format": DATE_FORMAT + " hh:mm"})
    money = book.add_format({"num_format": MONEY_FORMAT})

    def text(row: int, col: int, value: str) -> Any:
        if value:
            sheet.write_string(row, col, ILLEGAL_CHARACTERS_RE.sub("", value))

    return {
        str: text,
        dt.date: lambda row, col, value: sheet.write_datetime(row, col, value, date),
        dt.datetime: lambda row, col, value: sheet.write_datetime(row, col, value, moment),
        Decimal: lambda row, col, value: sheet.write_number(row, col, value, money),
        int: sheet.write_number,
        float: sheet.write_number,
        bool: sheet.write_boolean,
    }


def write_xlsx(path: Path | str, table: Table) -> int:
    """Write ``table`` to ``path`` as one sheet; return the number of data rows.

    A failure or a cancel (raised by the table's rows) leaves no file behind.
    """
    path = Path(path)
    columns = table.columns
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "remove_timezone": True})
    sheet = book.add_worksheet(sheet_name(table.what))
    writers = _writers(sheet, book)
    text = writers[str]
    for index, col in enumerate(columns):
        sheet.set_column(index, index, max(MIN_WIDTH, min(MAX_WIDTH, col.width)))
    sheet.freeze_panes(1, 0)
    header = _header_style(book)
    for index, col in enumerate(columns):
        sheet.write_string(0, index, col.header, header)
    count = 0
    try:
        for count, values in enumerate(table.rows, start=1):
            for index, value in enumerate(values):
                if value is None:
                    continue
                write = writers.get(type(value))
                if write is None:
                    text(count, index, str(value))
                else:
                    write(count, index, value)
        if columns:
            sheet.autofilter(0, 0, count, len(columns) - 1)
        book.close()
    except BaseException:
        # The sheet spools its rows to a temporary file that only closing removes; close the
        # half-written book, then delete it.
        with contextlib.suppress(Exception):
            book.close()
        path.unlink(missing_ok=True)
        raise
    return count

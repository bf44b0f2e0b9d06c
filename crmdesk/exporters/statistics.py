"""A statistics report as an .xlsx workbook (XlsxWriter, for its charts): one sheet per
section with the figures as numbers, the header styled as the exports', and a native Excel
column chart of the charted columns, so the manager can keep working on the numbers."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import xlsxwriter
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from crmdesk.exporters.workbook import HEADER_FILL, HEADER_FONT, MAX_WIDTH, MIN_WIDTH, text_width

# Excel's limit on sheet names, and the characters it refuses in them.
SHEET_NAME_MAX = 31
_BAD_SHEET_CHARACTERS = str.maketrans({c: " " for c in "[]:*?/\\"})


def _header_style(book: xlsxwriter.Workbook) -> object:
    """The header format: the colours of the exports' header row (``exporters.workbook``)."""
    return book.add_format({"bold": True, "font_color": "#" + HEADER_FONT.color.rgb[-6:],
                            "bg_color": "#" + HEADER_FILL.fgColor.rgb[-6:], "pattern": 1,
                            "valign": "vcenter"})


@dataclass(frozen=True)
class SheetTable:
    """One section: headings, rows (labels as text, figures as numbers or None), and the
    indexes of the columns its chart shows."""

    title: str
    columns: Sequence[str]
    rows: Sequence[Sequence[str | int | float | None]]
    chart: Sequence[int] = ()


def _sheet_name(title: str, index: int, used: set[str]) -> str:
    name = f"{index}.{title}".translate(_BAD_SHEET_CHARACTERS)[:SHEET_NAME_MAX]
    while name in used:
        name = name[:-1] + "~"
    used.add(name)
    return name


def write_statistics(path: Path | str, heading: str, tables: Sequence[SheetTable]) -> int:
    """Write the workbook; returns the number of data rows written."""
    book = xlsxwriter.Workbook(str(path))
    header = _header_style(book)
    title = book.add_format({"bold": True, "font_size": 13})
    used: set[str] = set()
    written = 0
    for index, table in enumerate(tables, start=1):
        sheet = book.add_worksheet(_sheet_name(table.title, index, used))
        sheet.write_string(0, 0, ILLEGAL_CHARACTERS_RE.sub("", f"{heading} · {table.title}"),
                           title)
        for col, label in enumerate(table.columns):
            sheet.write_string(2, col, label, header)
            width = max([text_width(label) + 2] + [text_width(str(r[col] or "")) + 2
                                                    for r in table.rows])
            sheet.set_column(col, col, max(MIN_WIDTH, min(MAX_WIDTH, width)))
        for r, row in enumerate(table.rows, start=3):
            for col, value in enumerate(row):
                if isinstance(value, str):
                    sheet.write_string(r, col, ILLEGAL_CHARACTERS_RE.sub("", value))
                elif value is not None:
                    sheet.write_number(r, col, value)
        written += len(table.rows)
        sheet.freeze_panes(3, 1)
        if table.chart and table.rows:
            # The total is the last row: the chart compares the groups, not the sum.
            last = 3 + max(len(table.rows) - 2, 0)
            chart = book.add_chart({"type": "column"})
            for col in table.chart:
                chart.add_series({"name": [sheet.name, 2, col],
                                  "categories": [sheet.name, 3, 0, last, 0],
                                  "values": [sheet.name, 3, col, last, col]})
            chart.set_title({"name": table.title})
            chart.set_legend({"position": "bottom"})
            sheet.insert_chart(2, len(table.columns) + 1, chart,
                               {"x_scale": 1.4, "y_scale": 1.2})
    book.close()
    return written

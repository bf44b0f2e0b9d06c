"""The error workbook: every rejected row as it was in the file, with the reasons beside it.

The user fixes the cells in Excel or WPS and imports the workbook again: the header row is the
file's own, the reasons sit in the last column (which the mapping ignores), and values keep
their type (numbers, dates) so nothing is lost on the way back.
"""
from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from crmdesk.exporters.workbook import (
    append,
    sheet_name,
    start_sheet,
    text_width,
    workbook_bytes,
)
from crmdesk.i18n import _
from crmdesk.importers.preview import Preview
from crmdesk.output_files import check_output, write_bytes


def write_error_workbook(preview: Preview, path: Path | str) -> int:
    """Write the rejected rows of ``preview`` to ``path``; return how many there were.

    Raises:
        OutputFileError: ``path`` is a folder, in a missing folder, or cannot be written.
    """
    check_output(path)
    rows = preview.error_rows()
    width = max([len(preview.mapping.headers), *(len(r.raw) for r in rows)])
    headers = list(preview.mapping.headers) + [""] * (width - len(preview.mapping.headers))
    headers.append(_("Why the row was not imported"))
    widths = [max(text_width(h) + 2, 12) for h in headers[:-1]] + [60]
    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_name("errors"))
    start_sheet(sheet, headers, widths, len(rows))
    for row in rows:
        cells = list(row.raw) + [None] * (width - len(row.raw))
        reasons = "；".join(f"{p.cell} {p.header or p.label}: {p.message}" for p in row.problems)
        append(sheet, [*cells, reasons])
    write_bytes(path, workbook_bytes(book))
    return len(rows)

"""The error workbook: every rejected row as it was in the file, with the reasons beside it.

The user fixes the cells in Excel or WPS and imports the workbook again: the header row is the
file's own, the reasons sit in the last column (which the mapping ignores), and values keep
their type (numbers, dates) so nothing is lost on the way back.
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from crmdesk.exporters.workbook import (
    append,
    sheet_name,
    start_sheet,
    text_width,
    workbook_bytes,
)
from crmdesk.i18n import _
from crmdesk.output_files import check_output, write_bytes

# One rejected row: its cells as the file had them, and why it was not imported.
RejectedRow = tuple[Sequence[Any], str]


def write_rejected_rows(path: Path | str, headers: Sequence[str],
                        rows: Sequence[RejectedRow]) -> int:
    """Write ``rows`` under the file's own ``headers`` to ``path``; return how many.

    Raises:
        OutputFileError: ``path`` is a folder, in a missing folder, or cannot be written.
    """
    check_output(path)
    width = max([len(headers), *(len(cells) for cells, _why in rows)])
    heading = list(headers) + [""] * (width - len(headers))
    heading.append(_("Why the row was not imported"))
    widths = [max(text_width(h) + 2, 12) for h in heading[:-1]] + [60]
    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_name("errors"))
    start_sheet(sheet, heading, widths, len(rows))
    for cells, reasons in rows:
        append(sheet, [*cells, *[None] * (width - len(cells)), reasons])
    write_bytes(path, workbook_bytes(book))
    return len(rows)

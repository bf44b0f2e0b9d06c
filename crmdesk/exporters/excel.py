"""Exporting customers to an .xlsx workbook in constant memory (openpyxl write-only mode).

Real dates as dates, amounts as numbers, phones and archive numbers as text (never 1.38E+10),
a styled, frozen and filtered header row, and no customer text ever written as a formula.
The file imports back into the same archive (see ``exporters.columns``).
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook

from crmdesk.exporters.columns import Renderer, export_columns
from crmdesk.exporters.source import customer_chunks
from crmdesk.exporters.workbook import append, sheet_name, start_sheet
from crmdesk.importers.progress import CancelFlag, Progress
from crmdesk.services.context import Actor
from crmdesk.services.imports import record_export
from crmdesk.services.search import ListQuery


def export_customers_xlsx(path: Path | str, actor: Actor | None,
                          query: ListQuery | None = None, columns: Sequence[str] | None = None,
                          progress: Progress | None = None,
                          cancel: CancelFlag | None = None) -> int:
    """Write the customers the list ``query`` shows (all when None) to ``path``; return how many.

    ``columns`` are field names (or "archive_no"), all of the card when None. The export is
    recorded in the audit trail. A cancel leaves no file behind.

    Raises:
        Cancelled: ``cancel`` was set.
    """
    path = Path(path)
    chosen = export_columns(columns)
    renderer = Renderer()
    total, chunks = customer_chunks(actor, query, progress, cancel)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_name("customers"))
    start_sheet(sheet, [c.header for c in chosen], [c.width for c in chosen], total)
    try:
        for records in chunks:
            renderer.prepare(records)
            for record in records:
                append(sheet, (renderer.value(c, record) for c in chosen))
        book.save(path)
    except BaseException:
        # The write-only sheet spools rows to a temporary file; close it so nothing is left.
        sheet.close()
        path.unlink(missing_ok=True)
        raise
    record_export(actor, "customers", total, path.name)
    return total

"""Exporting customers to CSV (UTF-8 with a byte-order mark, so Excel shows Chinese right).

A spreadsheet program runs a cell starting with = + - or @ as a formula, so such cells are
written with a leading apostrophe, which spreadsheets hide; crmdesk's reader takes it off
again, so the file still imports back unchanged.
"""
from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from crmdesk.exporters.columns import Renderer, export_columns
from crmdesk.exporters.source import customer_chunks
from crmdesk.importers.progress import CancelFlag, Progress
from crmdesk.services.context import Actor
from crmdesk.services.imports import record_export
from crmdesk.services.search import ListQuery

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(text: str) -> str:
    """``text`` made safe from formula injection: a leading apostrophe when it could run."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def export_customers_csv(path: Path | str, actor: Actor | None,
                         query: ListQuery | None = None, columns: Sequence[str] | None = None,
                         progress: Progress | None = None,
                         cancel: CancelFlag | None = None) -> int:
    """Write the customers the list ``query`` shows (all when None) to ``path`` as CSV.

    Same columns and values as the .xlsx export; returns how many customers were written.

    Raises:
        Cancelled: ``cancel`` was set; no file is left behind.
    """
    path = Path(path)
    chosen = export_columns(columns)
    renderer = Renderer()
    total, chunks = customer_chunks(actor, query, progress, cancel)
    try:
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow([escape_formula(c.header) for c in chosen])
            for records in chunks:
                renderer.prepare(records)
                writer.writerows(
                    [escape_formula(renderer.text(c, record)) for c in chosen]
                    for record in records)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    record_export(actor, "customers", total, path.name)
    return total

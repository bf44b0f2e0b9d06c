"""Writing an export to CSV (UTF-8 with a byte-order mark, so Excel shows Chinese right).

A spreadsheet program runs a cell starting with = + - or @ as a formula, so such cells are
written with a leading apostrophe, which spreadsheets hide; crmdesk's reader takes it off
again, so a customer export still imports back unchanged.
"""
from __future__ import annotations

import csv
from pathlib import Path

from crmdesk.exporters.columns import Table, plain_text

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(text: str) -> str:
    """``text`` made safe from formula injection: a leading apostrophe when it could run."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def write_csv(path: Path | str, table: Table) -> int:
    """Write ``table`` to ``path`` as CSV; return the number of data rows.

    Dates are written in ISO form, moments to the minute. A failure or a cancel (raised by the
    table's rows) leaves no file behind.
    """
    path = Path(path)
    count = 0
    try:
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow([escape_formula(c.header) for c in table.columns])
            for count, values in enumerate(table.rows, start=1):  # noqa: B007 (the total)
                writer.writerow([escape_formula(plain_text(v)) for v in values])
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return count

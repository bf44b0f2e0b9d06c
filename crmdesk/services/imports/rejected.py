"""The rows an import rejects, written out with their reasons for the user to fix."""
from __future__ import annotations

from pathlib import Path

from crmdesk.exporters.rejected_rows import write_rejected_rows
from crmdesk.importers.preview import Preview


def write_error_workbook(preview: Preview, path: Path | str) -> int:
    """Write the rejected rows of ``preview`` to ``path``; return how many there were.

    Raises:
        OutputFileError: ``path`` is a folder, in a missing folder, or cannot be written.
    """
    rows = [(row.raw or (), "；".join(f"{p.cell} {p.header or p.label}: {p.message}"
                                     for p in row.problems))
            for row in preview.error_rows()]
    return write_rejected_rows(path, preview.mapping.headers, rows)

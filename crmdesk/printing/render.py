"""The printing API: plain data in, PDF bytes out (and optionally written to a file).

A file is written only once the whole PDF has been made, through a temporary file in the same
folder, so a failed print never leaves half a file behind.
"""
from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from crmdesk.i18n import _
from crmdesk.printing import registers
from crmdesk.printing.card import cards_story, confidentiality_mark
from crmdesk.printing.inputs import CardSheet, LogSheet, OverdueRow, PrintContext, VisitSheet
from crmdesk.printing.layout import CardPage, build_pdf


def write_pdf(data: bytes, path: str | os.PathLike[str]) -> None:
    """Write ``data`` to ``path`` whole or not at all."""
    target = Path(path)
    fd, temp = tempfile.mkstemp(prefix=".print-", suffix=".pdf", dir=target.parent or ".")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _finish(data: bytes, path: str | os.PathLike[str] | None) -> bytes:
    if path is not None:
        write_pdf(data, path)
    return data


def cards(sheets: Sequence[CardSheet], context: PrintContext,
          path: str | os.PathLike[str] | None = None) -> bytes:
    """Archive cards, front and back, each from a new page; returns the PDF (and writes
    ``path`` when given).

    Raises:
        ValueError: ``sheets`` is empty.
    """
    if not sheets:
        raise ValueError("no cards to print")
    first = CardPage(context, sheets[0].archive_no, confidentiality_mark(sheets[0]))
    title = " ".join(s.archive_no for s in sheets[:3]) + (" …" if len(sheets) > 3 else "")
    data = build_pdf(cards_story(sheets, context), first,
                     f"{_('Customer archive card')} {title}")
    return _finish(data, path)


def _register(register: registers.Register, path: str | os.PathLike[str] | None) -> bytes:
    return _finish(build_pdf(register.story, register.page, register.title), path)


def roster(columns: Sequence[str], rows: Sequence[Sequence[str]], filter_text: str,
           context: PrintContext, path: str | os.PathLike[str] | None = None) -> bytes:
    """The customer roster of ``rows`` (values named by ``columns``) under ``filter_text``."""
    return _register(registers.roster(columns, rows, filter_text, context), path)


def communication_log(sheet: LogSheet, context: PrintContext,
                      path: str | os.PathLike[str] | None = None) -> bytes:
    """One customer's communication log."""
    return _register(registers.communication_log(sheet, context), path)


def overdue(rows: Sequence[OverdueRow], period_text: str, context: PrintContext,
            path: str | os.PathLike[str] | None = None) -> bytes:
    """The overdue follow-up list, grouped by owner."""
    return _register(registers.overdue(rows, period_text, context), path)


def visits(sheet: VisitSheet, context: PrintContext,
           path: str | os.PathLike[str] | None = None) -> bytes:
    """The visitor and caller register of a day or range, with its counts."""
    return _register(registers.visits(sheet, context), path)


def loans(rows: Sequence[Sequence[str]], scope_text: str, context: PrintContext,
          path: str | os.PathLike[str] | None = None) -> bytes:
    """The lending register of printed cards."""
    return _register(registers.loans(rows, scope_text, context), path)

"""Rules for text typed by hand into the register and the staff list: names, purposes, reasons.

Such text lands in registers, printouts, exports and the audit trail, so it may hold neither
control characters (a NUL, a line feed in a name, terminal escapes) nor the Unicode controls
that reorder what is shown (U+202A-U+202E, U+2066-U+2069: a name that displays as another),
and it is kept to a length that fits a form, a register line and a printed cell.
"""
from __future__ import annotations

import unicodedata

from crmdesk.errors import Problem
from crmdesk.i18n import _
from crmdesk.models.parsers import LINE_MAX, NAME_MAX, NOTE_MAX

__all__ = ["LINE_MAX", "NAME_MAX", "NOTE_MAX", "text_problem", "text_problems"]

BIDI_CONTROLS = frozenset(map(chr, (*range(0x202A, 0x202F), *range(0x2066, 0x206A))))


def _has_forbidden(text: str, multiline: bool) -> bool:
    allowed = {"\n", "\t"} if multiline else set()
    return any(ch in BIDI_CONTROLS or (unicodedata.category(ch) == "Cc" and ch not in allowed)
               for ch in text)


def text_problem(field: str, label: str, text: str | None, limit: int,
                 multiline: bool = False) -> Problem | None:
    """What is wrong with ``text`` typed for ``field`` (shown as ``label``), or None.

    ``multiline`` text may hold line breaks and tabs; nothing may hold other control
    characters or direction overrides, and the text without surrounding spaces may be at most
    ``limit`` characters long.
    """
    if not text:
        return None
    if _has_forbidden(text, multiline):
        return Problem(field, label, _("must not contain control characters or direction "
                                       "overrides"))
    if len(text.strip()) > limit:
        return Problem(field, label, _("at most {n} characters").format(n=limit))
    return None


def text_problems(*checks: tuple[str, str, str | None, int]) -> list[Problem]:
    """The problems of several single-line texts, each given as (field, label, text, limit)."""
    found = (text_problem(field, label, text, limit) for field, label, text, limit in checks)
    return [problem for problem in found if problem is not None]

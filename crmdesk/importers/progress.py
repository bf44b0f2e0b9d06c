"""Progress and cancel for long imports and exports, usable from a worker thread.

The caller passes ``progress(done, total)`` to hear how far the work is, and a cancel flag (a
``threading.Event`` will do) that the work checks between steps. Cancelling raises
``Cancelled``; work that writes does so inside a transaction, so a cancel writes nothing.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from crmdesk.errors import CrmError
from crmdesk.i18n import _

Progress = Callable[[int, int], None]


class CancelFlag(Protocol):
    """Anything with ``is_set()``, such as ``threading.Event``."""

    def is_set(self) -> bool: ...


class Cancelled(CrmError):
    """The user cancelled; nothing was written."""

    def __init__(self) -> None:
        super().__init__(_("Cancelled; nothing was changed."))


def check_cancel(cancel: CancelFlag | None) -> None:
    """Raise Cancelled when ``cancel`` is set."""
    if cancel is not None and cancel.is_set():
        raise Cancelled


def report(progress: Progress | None, done: int, total: int) -> None:
    """Tell ``progress`` how far the work is, if anyone listens."""
    if progress is not None:
        progress(done, total)

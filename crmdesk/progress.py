"""How far long work is, and whether it should stop: headless, for any thread.

Services, importers and exporters take ``progress(done, total)`` to say how far they are and a
cancel flag (anything with ``is_set()``) that they check between steps; cancelling raises
``Cancelled``, and work that writes does so inside a transaction, so a cancel writes nothing.
A ``Job`` is both at once: the window's operation layer hands one to the work and reads it from
the UI thread, so the work knows nothing of windows.
"""
from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Protocol

from crmdesk.errors import CrmError
from crmdesk.i18n import _

Progress = Callable[[int, int], None]


class CancelFlag(Protocol):
    """Anything with ``is_set()``, such as ``threading.Event`` or a ``Job``."""

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


class Job:
    """One run of long work: the progress it reported and the cancel asked of it.

    Pass it as ``progress`` (it is called with ``done, total``) and as ``cancel`` (``is_set``).
    The worker writes, any other thread reads ``state()``; a pair of ints needs no lock.
    """

    def __init__(self) -> None:
        self._cancel = threading.Event()
        self._state = (0, 0)

    def __call__(self, done: int, total: int) -> None:
        self._state = (done, total)

    def state(self) -> tuple[int, int]:
        """``(done, total)`` as last reported; total 0 while the work has not said."""
        return self._state

    def cancel(self) -> None:
        """Ask the work to stop at its next check."""
        self._cancel.set()

    def is_set(self) -> bool:
        """True once cancelling was asked for (the ``CancelFlag`` protocol)."""
        return self._cancel.is_set()

    def check(self) -> None:
        """Raise Cancelled when cancelling was asked for."""
        check_cancel(self)

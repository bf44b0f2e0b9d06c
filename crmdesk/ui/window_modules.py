"""The main window's modules, loaded on a worker thread while the login dialog waits.

The user reads the dialog and types; checking the password (argon2id) leaves the interpreter
free, too. Meanwhile the window's modules (the list, the card, every page and menu) load, so
the window opens as soon as the login succeeds. Importing defines classes only: no widget is
made off the UI thread.
"""
from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)


def _import_window() -> None:
    try:
        from crmdesk.ui import desk_session  # noqa: F401  (the main window and the card)
        from crmdesk.ui.features import installers

        installers()
    except Exception:  # the window imports them again itself, and reports a failure then
        log.exception("loading the window's modules ahead failed")


class WindowModules(QObject):
    """Loads the window's modules from the moment ``dialog`` is first painted (it is ready for
    typing then: the painting itself needs no Python, so nothing delays it); ``wait()`` before
    opening the window."""

    def __init__(self, dialog: QWidget) -> None:
        super().__init__()
        self._dialog = dialog
        self._thread = threading.Thread(target=_import_window, name="window-modules",
                                        daemon=True)
        self._waited = False
        dialog.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._dialog and event.type() == QEvent.Type.Paint:
            self._dialog.removeEventFilter(self)
            if not self._waited:
                self._thread.start()
        return False

    def wait(self) -> None:
        """Until the modules are loaded (at once if loading never started)."""
        self._waited = True
        if self._thread.is_alive():
            self._thread.join()

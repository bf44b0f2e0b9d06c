"""Unexpected errors in the window: logged with their traceback and shown plainly once."""
from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox

from crmdesk.i18n import _

log = logging.getLogger("crmdesk.crash")


def install_excepthook(log_file: str) -> None:
    """Show uncaught exceptions in a dialog (details expandable) instead of dying silently.

    The database is left as it was: every change runs in a transaction that an exception
    rolls back.
    """

    def hook(kind: type[BaseException], error: BaseException,
             trace: TracebackType | None) -> None:
        details = "".join(traceback.format_exception(kind, error, trace))
        log.error("unexpected error\n%s", details)
        if QApplication.instance() is None:
            sys.__excepthook__(kind, error, trace)
            return
        box = QMessageBox(QMessageBox.Icon.Critical, _("Something went wrong"),
                          _("crmdesk met an unexpected error. Your saved data is safe; what "
                            "was not saved yet may need to be entered again.\n\nDetails are "
                            "in the log: {path}").format(path=log_file))
        box.setDetailedText(details)
        box.exec()

    sys.excepthook = hook

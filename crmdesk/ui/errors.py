"""Errors in the window: refusals shown as messages; unexpected errors logged and shown once."""
from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from crmdesk.errors import CrmError
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


def attempt(parent: QWidget, title: str, action: Callable[[], object]) -> bool:
    """Run ``action``; a refusal the user can act on (CrmError) is shown, not raised.

    Returns True when the action went through.
    """
    try:
        action()
    except CrmError as exc:
        QMessageBox.warning(parent, title, str(exc))
        return False
    return True

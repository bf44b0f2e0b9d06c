"""Long spreadsheet work off the UI thread: a cancel flag, and progress shown in the window.

Imports and exports run on the window's TaskRunner. They report ``progress(done, total)`` from
the worker thread, so a ``Job`` carries it to the UI thread as a queued signal, and they check
the job's cancel flag (a ``threading.Event``) between steps.
"""
from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from crmdesk.errors import CrmError
from crmdesk.i18n import _
from crmdesk.importers.progress import CancelFlag, Cancelled, Progress
from crmdesk.ui.tasks import TaskRunner


class Job(QObject):
    """One run of background work: ``cancel`` for the worker to check, ``moved`` for the UI."""

    moved = Signal(int, int)  # done, total

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.cancel = threading.Event()

    def progress(self, done: int, total: int) -> None:
        """The worker's progress callback; safe to call from any thread."""
        self.moved.emit(done, total)


class WorkingPage(QWidget):
    """What the worker is doing, how far it is, and Cancel."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.bar = QProgressBar(self)
        self.cancel = QPushButton(_("Cancel"), self)
        self.cancel.setObjectName("importCancel")
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.cancel)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.text)
        layout.addWidget(self.bar)
        layout.addLayout(row)
        layout.addStretch(2)

    def start(self, text: str) -> None:
        """Show ``text`` and a busy bar until the work first reports."""
        self.text.setText(text)
        self.bar.setRange(0, 0)
        self.cancel.setEnabled(True)

    def show_progress(self, done: int, total: int) -> None:
        """Show how far the work is."""
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(min(done, total))


def show_failure(parent: QWidget, title: str, error: Exception) -> None:
    """Tell the user why work stopped: their own cause plainly, anything else as unexpected."""
    if isinstance(error, CrmError):
        QMessageBox.warning(parent, title, str(error))
    else:
        QMessageBox.critical(parent, _("Something went wrong"), _(
            "{title}: an unexpected error stopped the work; nothing was changed.\n\n{error}"
        ).format(title=title, error=error))


def run_with_progress(parent: QWidget, tasks: TaskRunner, text: str,
                      work: Callable[[Progress, CancelFlag], Any],
                      done: Callable[[Any], None]) -> Job:
    """Run ``work(progress, cancel)`` in the background behind a progress dialog with Cancel.

    ``done(result)`` follows on the UI thread; a cancel is reported in the status bar (the work
    leaves nothing behind), any other error in a message box titled ``text``.
    """
    job = Job(parent)
    dialog = QProgressDialog(text, _("Cancel"), 0, 0, parent)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setMinimumDuration(300)
    dialog.canceled.connect(job.cancel.set)

    def moved(step: int, total: int) -> None:
        dialog.setMaximum(total)
        dialog.setValue(min(step, total))

    job.moved.connect(moved)  # queued: the job lives on the UI thread

    def end() -> None:
        job.moved.disconnect()
        dialog.close()
        job.deleteLater()

    def finished(result: Any) -> None:
        end()
        done(result)

    def failed(error: Exception) -> None:
        end()
        if isinstance(error, Cancelled):
            _status(parent, str(error))
        else:
            show_failure(parent, text, error)

    tasks.run(lambda: work(job.progress, job.cancel), finished, on_error=failed)
    return job


def _status(parent: QWidget, message: str) -> None:
    window = parent.window()
    bar = getattr(window, "statusBar", None)
    if callable(bar):
        bar().showMessage(message, 8000)

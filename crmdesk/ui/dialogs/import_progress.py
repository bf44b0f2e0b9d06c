"""The import wizard's working page: what the operation is doing, how far it is, and Cancel.

The wizard runs its reading, checking and importing as operations of the window
(crmdesk.ui.operations) without a progress window of their own: this page shows their progress.
"""
from __future__ import annotations

from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from crmdesk.i18n import _


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

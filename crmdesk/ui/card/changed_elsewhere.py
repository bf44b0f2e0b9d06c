"""The line above a card with unsaved edits when another desk has just saved the same card."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from crmdesk.i18n import _


class ChangedElsewhere(QFrame):
    """"Another desk changed this card" with Reload (theirs) and Keep mine.

    Keeping mine leaves the edits on screen; saving them is then refused as stale, which says
    so, so nothing is overwritten without the user seeing the other desk's version first.
    """

    reload_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("changed_elsewhere")
        self.setStyleSheet("#changed_elsewhere { background: #fef7e0; }")
        self.text = QLabel(self)
        self.reload = QPushButton(_("Reload the card"), self)
        self.keep = QPushButton(_("Keep my edits"), self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 3, 6, 3)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.reload)
        layout.addWidget(self.keep)
        self.reload.clicked.connect(self._reload)
        self.keep.clicked.connect(self.hide)
        self.hide()

    def tell(self, at: str) -> None:
        self.text.setText(_("Another desk changed this card at {time}.").format(time=at))
        self.show()

    def _reload(self) -> None:
        self.hide()
        self.reload_requested.emit()

"""A line in the status bar while the archive server's connection is being restored."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QWidget

from crmdesk.i18n import _
from crmdesk.models.postgresql import add_connection_listener, remove_connection_listener


class ConnectionStatus(QLabel):
    """Hidden while connected; "connection lost, retrying" while the core reconnects.

    The core reports from whichever thread ran the query; the signal brings it to the UI
    thread. Nothing blocks: the user goes on typing while it retries.
    """

    changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("connection_status")
        self.setStyleSheet("color: #c5221f;")
        self.hide()
        self.changed.connect(self._show_state)
        listener = self.changed.emit
        add_connection_listener(listener)
        self.destroyed.connect(lambda: remove_connection_listener(listener))

    def _show_state(self, state: str) -> None:
        if state == "lost":
            self.setText(_("Connection to the archive server lost: retrying…"))
            self.show()
        else:
            self.hide()

"""A line in the status bar while the archive's connection is restored or another desk saves."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QWidget

from crmdesk.i18n import _
from crmdesk.models.connection_events import add_connection_listener, remove_connection_listener


class ConnectionStatus(QLabel):
    """Hidden while all is well; says so while the core reconnects or waits for another desk.

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
        elif state == "busy":
            self.setText(_("Another desk is saving to the archive: waiting for it to finish…"))
            self.show()
        else:
            self.hide()

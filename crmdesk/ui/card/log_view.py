"""The card's back: the communication log, newest first, and "add contact"."""
from __future__ import annotations

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from crmdesk.i18n import _
from crmdesk.models.lists.communications import COMMUNICATION_LOG
from crmdesk.services.context import Actor
from crmdesk.services.customers import Card
from crmdesk.ui.dialogs.contact_dialog import ContactDialog
from crmdesk.ui.operations import Operations

RECORD_COLUMN = COMMUNICATION_LOG.keys.index("record")


class CommunicationTab(QWidget):
    """Lists a card's contacts and logs new ones; ``logged`` fires after each new contact."""


    def __init__(self, actor: Actor | None, operations: Operations,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._actor, self._operations = actor, operations
        self._card = Card()
        self._rows_fitted = True
        self.table = QTableWidget(0, len(COMMUNICATION_LOG), self)
        self.table.setHorizontalHeaderLabels(list(COMMUNICATION_LOG.titles()))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(RECORD_COLUMN, QHeaderView.ResizeMode.Stretch)
        self.add_button = QPushButton(_("Add contact (Ctrl+L)"), self)
        self.add_button.clicked.connect(self.add_contact)
        self.hint = QLabel(self)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.hint, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table)

    def show_card(self, card: Card) -> None:
        """Show the log of ``card`` (newest first)."""
        self._card = card
        self.table.setRowCount(len(card.communications))
        for row, entry in enumerate(card.communications):
            for col, text in enumerate(COMMUNICATION_LOG.displayed(entry)):
                self.table.setItem(row, col, QTableWidgetItem(text))
        # Fitting the rows to their text is the dearest part of showing a long log: done when
        # the tab is on screen, not for every card opened on another tab.
        self._rows_fitted = self.table.isVisible()
        if self._rows_fitted:
            self.table.resizeRowsToContents()
        saved = card.id is not None
        self.add_button.setEnabled(saved)
        self.hint.setText("" if saved else _("Save the new card before logging contacts."))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._rows_fitted:
            self._rows_fitted = True
            self.table.resizeRowsToContents()

    def add_contact(self) -> None:
        """Ask for a contact and log it on this card."""
        if self._card.id is None:
            return
        dialog = ContactDialog(self._card.id, self._card.values.get("name") or "",
                               self._card.values.get("level"), self._actor, self._operations,
                               self)
        dialog.exec()  # the card and the lists follow the contact's change event

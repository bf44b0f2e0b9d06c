"""Choosing who may read a top-secret archive."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from crmdesk.i18n import _
from crmdesk.services.readers import readers
from crmdesk.services.staff import active_staff


class ReadersDialog(QDialog):
    """Tick the people who may read this card; ``chosen()`` gives their ids."""

    def __init__(self, customer_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Who may read this top-secret archive"))
        named = set(readers(customer_id))
        self.people = QListWidget(self)
        for staff_id, name in active_staff():
            item = QListWidgetItem(name, self.people)
            item.setData(Qt.ItemDataRole.UserRole, staff_id)
            item.setCheckState(Qt.CheckState.Checked if staff_id in named
                               else Qt.CheckState.Unchecked)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("Besides the owner, only the people ticked here may read or "
                                  "even find this archive."), self))
        layout.addWidget(self.people)
        layout.addWidget(buttons)

    def chosen(self) -> list[int]:
        return [self.people.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(self.people.count())
                if self.people.item(i).checkState() == Qt.CheckState.Checked]

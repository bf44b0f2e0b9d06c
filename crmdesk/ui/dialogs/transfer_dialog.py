"""A manager hands customers to another salesperson (调离交接): to whom, and why."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QWidget,
)

from crmdesk.errors import CrmError
from crmdesk.i18n import _
from crmdesk.services import ownership, rotation
from crmdesk.services.context import Actor


def _salespeople(parent: QWidget, name: str) -> QComboBox:
    combo = QComboBox(parent)
    combo.setObjectName(name)
    for staff_id, staff_name in rotation.salespeople():
        combo.addItem(staff_name, staff_id)
    return combo


class TransferDialog(QDialog):
    """Transfers ``customer_ids`` (None: every customer of a salesperson chosen in the dialog)
    when accepted; ``moved`` then says how many changed owner."""

    def __init__(self, customer_ids: list[int] | None, actor: Actor | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Hand customers over"))
        self._ids, self._actor = customer_ids, actor
        self.moved = 0
        self.source = _salespeople(self, "transferFrom")
        self.to = _salespeople(self, "transferTo")
        self.reason = QLineEdit(self)
        self.reason.setObjectName("transferReason")
        self.reason.setPlaceholderText(_("e.g. staff leaving, long leave (required)"))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.transfer)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        if customer_ids is None:
            form.addRow(QLabel(_("Every customer of the salesperson leaving or on leave; the "
                                 "reason is kept on each card."), self))
            form.addRow(_("Customers of"), self.source)
        else:
            self.source.hide()
            form.addRow(QLabel(_("{n} customers; the reason is kept on each card.").format(
                n=len(customer_ids)), self))
        form.addRow(_("New salesperson"), self.to)
        form.addRow(_("Reason"), self.reason)
        form.addRow(buttons)

    def transfer(self) -> None:
        """Hand the customers over; on refusal say why and stay open."""
        ids = self._ids
        if ids is None:
            ids = ownership.customers_of(self.source.currentData())
        try:
            self.moved = ownership.transfer(ids, self.to.currentData(), self.reason.text(),
                                            self._actor)
        except CrmError as exc:
            QMessageBox.warning(self, _("Not handed over"), str(exc))
            return
        self.accept()

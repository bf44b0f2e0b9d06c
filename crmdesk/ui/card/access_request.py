"""Asking to read a card one may not (申请查阅): when opening a card is refused, the refusal
offers "Request access…", a form with the purpose and the reason that goes to every manager."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QLineEdit, QMessageBox, QPushButton, QWidget

from crmdesk.i18n import _
from crmdesk.services import access_requests
from crmdesk.services.accounts import PermissionDenied
from crmdesk.services.context import Actor
from crmdesk.ui.dialogs.complaint_dialog import ServiceDialog
from crmdesk.ui.operations import Operations


class AccessRequestDialog(ServiceDialog):
    """Asks for access to one card; ``outcome`` is the request's id once sent."""

    def __init__(self, customer_id: int, actor: Actor, operations: Operations,
                 parent: QWidget | None = None) -> None:
        super().__init__(_("Request access to the card"), operations, parent)
        self.setObjectName("accessRequestDialog")
        self.refused_title = _("Request not sent")
        self._customer_id, self._actor = customer_id, actor
        self.purpose = QLineEdit(self)
        self.purpose.setObjectName("accessPurpose")
        self.purpose.setPlaceholderText(_("e.g. check the contract terms (required)"))
        self.reason = QLineEdit(self)
        self.reason.setObjectName("accessReason")
        self.reason.setPlaceholderText(_("e.g. the customer called me about it (required)"))
        self.form.addRow(_("Purpose") + " *", self.purpose)
        self.form.addRow(_("Reason") + " *", self.reason)
        self.finish_form()
        self.resize(460, 150)

    def work(self) -> Callable[[], int]:
        customer_id, actor = self._customer_id, self._actor
        purpose, reason = self.purpose.text(), self.reason.text()
        return lambda: access_requests.request(customer_id, purpose, reason, actor)


class AccessRequestOffer:
    """What the card editor does when opening a card is refused: says why, and for a refusal
    of permission offers to request access. ``box`` and ``dialog`` are the last ones shown."""

    def __init__(self, parent: QWidget, actor: Actor | None, operations: Operations) -> None:
        self._parent, self._actor, self._operations = parent, actor, operations
        self.box: QMessageBox | None = None
        self.dialog: AccessRequestDialog | None = None

    def refused(self, customer_id: int, error: Exception) -> None:
        """Opening ``customer_id`` failed with ``error``."""
        if not isinstance(error, PermissionDenied) or self._actor is None:
            self._operations.fail(error, _("Card not opened"), self._parent)
            return
        box = QMessageBox(QMessageBox.Icon.Warning, _("Card not opened"), str(error),
                          QMessageBox.StandardButton.Close, self._parent)
        box.setObjectName("cardRefused")
        box.setInformativeText(_("A manager may let you read it for a while."))
        ask: QPushButton = box.addButton(_("Request access…"), QMessageBox.ButtonRole.ActionRole)
        ask.setObjectName("requestAccess")
        ask.clicked.connect(lambda: self.request(customer_id))
        self.box = box
        box.open()

    def request(self, customer_id: int) -> AccessRequestDialog | None:
        """Open the request form for ``customer_id``; a sent request is confirmed."""
        if self._actor is None:
            return None
        dialog = AccessRequestDialog(customer_id, self._actor, self._operations, self._parent)
        dialog.accepted.connect(lambda: QMessageBox.information(
            self._parent, _("Request access to the card"),
            _("Your request was sent to the managers; you will be told their answer.")))
        self.dialog = dialog
        dialog.open()
        return dialog

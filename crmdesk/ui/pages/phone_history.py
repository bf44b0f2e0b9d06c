"""One phone's whole history, for settling "whose customer is this" (客户首访原则)."""
from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from crmdesk.errors import ValidationError
from crmdesk.i18n import _
from crmdesk.services.context import Actor
from crmdesk.services.visit_register import phone_history
from crmdesk.ui.rows_table import RowsTable


class PhoneHistoryView(QWidget):
    """Type a phone, press Enter: every registration, visit, call and change of owner."""

    def __init__(self, actor: Actor | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._actor = actor
        self.phone = QLineEdit(self)
        self.phone.setObjectName("historyPhone")
        self.phone.setPlaceholderText(_("The phone in any format, e.g. 138 0013 8000"))
        self.phone.returnPressed.connect(self.show_history)
        show = QPushButton(_("Show history"), self)
        show.clicked.connect(self.show_history)
        self.message = QLabel(_("The earliest registration decides whose customer it is."), self)
        self.table = RowsTable([_("When"), _("What"), _("Archive no."), _("Customer name"),
                                _("Registered or changed by"), _("Salesperson"), _("Details")],
                               self, empty=_("Type a phone above to see who registered it first."))
        self.table.setObjectName("phoneHistory")
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Phone"), self))
        top.addWidget(self.phone, 1)
        top.addWidget(show)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)

    def show_history(self, phone: str | None = None) -> None:
        """Show the history of ``phone`` (or of the number typed)."""
        if isinstance(phone, str):
            self.phone.setText(phone)
        try:
            entries = phone_history(self.phone.text(), self._actor)
        except ValidationError as exc:
            self.message.setText(str(exc))
            self.table.set_rows([])
            return
        self.message.setText(_("{n} entries, earliest first.").format(n=len(entries)))
        self.table.set_rows([(n, (e.at.strftime("%Y-%m-%d %H:%M"), e.event, e.archive_no,
                                  e.name, e.receptionist, e.salesperson, e.details))
                             for n, e in enumerate(entries)])

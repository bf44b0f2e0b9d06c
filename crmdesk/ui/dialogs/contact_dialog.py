"""Logging a contact: method, person, what happened, conclusion, level after it, next date."""
from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QWidget,
)

from crmdesk.errors import ValidationError
from crmdesk.i18n import _
from crmdesk.models.card import CONTACT_METHODS
from crmdesk.models.fieldtypes import ValueProblem, parse_date
from crmdesk.services import contacts
from crmdesk.services.context import Actor
from crmdesk.services.levels import levels


class ContactDialog(QDialog):
    """Asks for one contact and logs it; the level chosen becomes the customer's level."""

    def __init__(self, customer_id: int, customer_name: str, level_id: int | None,
                 actor: Actor | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Log a contact: {name}").format(name=customer_name))
        self._customer_id, self._actor = customer_id, actor
        self._next_edited = False
        self.when = QDateTimeEdit(dt.datetime.now().replace(second=0, microsecond=0), self)
        self.when.setCalendarPopup(True)
        self.when.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.method = QComboBox(self)
        for choice in CONTACT_METHODS:
            self.method.addItem(choice.label, choice.key)
        self.person = QLineEdit(self)
        self.role = QLineEdit(self)
        self.record = QPlainTextEdit(self)
        self.record.setTabChangesFocus(True)
        self.conclusion = QLineEdit(self)
        self.level = QComboBox(self)
        for info in levels(active_only=True):
            self.level.addItem(info.name, info.id)
        self.level.setCurrentIndex(max(self.level.findData(level_id), 0))
        self.next_date = QLineEdit(self)
        self.next_date.setPlaceholderText("2023-05-06")
        self.next_date.textEdited.connect(self._mark_next_edited)
        self.level.currentIndexChanged.connect(self._offer_next_date)
        self.when.dateTimeChanged.connect(self._offer_next_date)
        self._offer_next_date()
        form = QFormLayout(self)
        form.addRow(_("Date"), self.when)
        form.addRow(_("Method"), self.method)
        form.addRow(_("Person contacted"), self.person)
        form.addRow(_("Their role"), self.role)
        form.addRow(_("What happened"), self.record)
        form.addRow(_("Conclusion"), self.conclusion)
        form.addRow(_("Level after this contact"), self.level)
        form.addRow(_("Next follow-up"), self.next_date)
        form.addRow(QLabel(_("The next date is offered from the level's interval; change it "
                             "freely."), self))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self._log)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.resize(520, 460)

    def _mark_next_edited(self) -> None:
        self._next_edited = True

    def _offer_next_date(self) -> None:
        if self._next_edited:
            return
        planned = contacts.planned_date(self.level.currentData(), self._when())
        self.next_date.setText(planned.isoformat() if planned else "")

    def _when(self) -> dt.datetime:
        return self.when.dateTime().toPython()

    def contact(self) -> contacts.Contact:
        """The contact as entered.

        Raises:
            ValidationError: the next date is not a date.
        """
        next_text = self.next_date.text().strip()
        try:
            next_date = parse_date(next_text) if next_text else None
        except ValueProblem as exc:
            raise ValidationError([contacts.problem("next_follow_up", str(exc))]) from exc
        return contacts.Contact(
            contacted_at=self._when(),
            method=self.method.currentData(),
            record=self.record.toPlainText(),
            level_id=self.level.currentData(),
            person=self.person.text().strip() or None,
            person_role=self.role.text().strip() or None,
            conclusion=self.conclusion.text().strip() or None,
            next_follow_up=next_date,
        )

    def _log(self) -> None:
        try:
            contacts.log_contact(self._customer_id, self.contact(), self._actor)
        except ValidationError as exc:
            QMessageBox.warning(self, _("Contact not logged"), str(exc))
            return
        self.accept()

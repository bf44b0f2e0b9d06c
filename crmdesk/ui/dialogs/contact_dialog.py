"""Logging a contact: method, person, what happened, conclusion, level after it, next date.

The levels are read and the contact is logged as operations, off the UI thread; OK pressed
before the levels are in logs once they are (the level shown is the one logged).
"""
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
from crmdesk.models.parsers import ValueProblem, parse_date
from crmdesk.services import contacts
from crmdesk.services.context import Actor
from crmdesk.services.levels import LevelInfo, levels
from crmdesk.ui.operations import Operation, Operations

DEFAULT_METHOD = "phone"


class ContactDialog(QDialog):
    """Asks for one contact and logs it; the level chosen becomes the customer's level."""

    def __init__(self, customer_id: int, customer_name: str, level_id: int | None,
                 actor: Actor | None, operations: Operations,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Log a contact: {name}").format(name=customer_name))
        self._customer_id, self._actor = customer_id, actor
        self._operations = operations
        self._next_edited = False
        self._intervals: dict[int, int | None] = {}  # follow-up interval by level id
        self._levels_read = self._log_waiting = self._logging = False
        self.when = QDateTimeEdit(dt.datetime.now().replace(second=0, microsecond=0), self)
        self.when.setCalendarPopup(True)
        self.when.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.method = QComboBox(self)
        for choice in CONTACT_METHODS:
            self.method.addItem(choice.label, choice.key)
        # Most contacts are phone calls.
        self.method.setCurrentIndex(max(self.method.findData(DEFAULT_METHOD), 0))
        self.person = QLineEdit(self)
        self.role = QLineEdit(self)
        self.record = QPlainTextEdit(self)
        self.record.setTabChangesFocus(True)
        self.conclusion = QLineEdit(self)
        self.level = QComboBox(self)
        self.next_date = QLineEdit(self)
        self.next_date.setPlaceholderText("2023-05-06")
        self.next_date.textEdited.connect(self._mark_next_edited)
        self.level.currentIndexChanged.connect(self._offer_next_date)
        self.when.dateTimeChanged.connect(self._offer_next_date)
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
        self._ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        form.addRow(buttons)
        self.resize(520, 460)
        operations.run(lambda: levels(active_only=True),
                       lambda read: self._take_levels(read, level_id),
                       title=_("Contact not logged"), parent=self)

    def _take_levels(self, read: list[LevelInfo], level_id: int | None) -> None:
        self._intervals = {info.id: info.interval_days for info in read}
        self.level.blockSignals(True)
        for info in read:
            self.level.addItem(info.name, info.id)
        self.level.setCurrentIndex(max(self.level.findData(level_id), 0))
        self.level.blockSignals(False)
        self._levels_read = True
        self._offer_next_date()
        if self._log_waiting:
            self._log_waiting = False
            self._log()

    def _mark_next_edited(self) -> None:
        self._next_edited = True

    def _offer_next_date(self) -> None:
        if self._next_edited:
            return
        planned = contacts.offered_date(self._intervals.get(self.level.currentData()),
                                        self._when())
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

    def _log(self) -> Operation | None:
        """Log the contact as an operation; the dialog closes once it is logged."""
        if self._logging:
            return None
        if not self._levels_read:
            self._log_waiting = True
            return None
        try:
            contact = self.contact()
        except ValidationError as exc:
            self._refused(exc)
            return None
        customer_id, actor = self._customer_id, self._actor
        self._set_logging(True)
        return self._operations.run(lambda: contacts.log_contact(customer_id, contact, actor),
                                    self._logged, on_error=self._refused,
                                    title=_("Contact not logged"), parent=self)

    def _set_logging(self, busy: bool) -> None:
        self._logging = busy
        self._ok.setEnabled(not busy)

    def _logged(self, _entry_id: int) -> None:
        self._set_logging(False)
        self.accept()

    def _refused(self, error: Exception) -> None:
        self._set_logging(False)
        if isinstance(error, ValidationError):
            QMessageBox.warning(self, _("Contact not logged"), str(error))
        else:
            self._operations.fail(error, _("Contact not logged"), self)

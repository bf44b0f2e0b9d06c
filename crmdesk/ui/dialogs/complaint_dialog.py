"""Recording a complaint (客户投诉记录表): when and how it came, what the customer says, its
category and severity, who handles it and when the answer is due.

``ServiceDialog`` is the shape of every complaint dialog: a form whose OK runs one service call
as an operation; a refusal lists every problem and keeps the dialog open with what was typed.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QWidget,
)

from crmdesk.errors import CrmError, Problem, ValidationError
from crmdesk.i18n import _
from crmdesk.models.card import Choice
from crmdesk.models.complaints import CATEGORIES, CHANNELS, SEVERITIES
from crmdesk.models.parsers import ValueProblem, parse_date
from crmdesk.services import complaints
from crmdesk.services.context import Actor
from crmdesk.services.staff import active_staff
from crmdesk.services.visibility import Duty, may
from crmdesk.ui.operations import Operations


def choice_combo(choices: tuple[Choice, ...], parent: QWidget, empty: str | None = None
                 ) -> QComboBox:
    """A combo of ``choices`` (keys as data), with a first item ``empty`` (None) when given."""
    combo = QComboBox(parent)
    if empty is not None:
        combo.addItem(empty, None)
    for choice in choices:
        combo.addItem(choice.label, choice.key)
    return combo


def staff_combo(parent: QWidget, people: list[tuple[int, str]], empty: str | None) -> QComboBox:
    """A combo of staff (ids as data), with a first item ``empty`` (None) when given."""
    combo = QComboBox(parent)
    if empty is not None:
        combo.addItem(empty, None)
    for staff_id, name in people:
        combo.addItem(name, staff_id)
    return combo


def optional_date(edit: QLineEdit, field: str, label: str) -> dt.date | None:
    """The day typed in ``edit`` (None when empty).

    Raises:
        ValidationError: naming ``label`` when the text is not a day.
    """
    text = edit.text().strip()
    if not text:
        return None
    try:
        return parse_date(text)
    except ValueProblem as exc:
        raise ValidationError([Problem(field, label, str(exc))]) from exc


class ServiceDialog(QDialog):
    """A form whose OK runs ``work()`` (a service call) as an operation."""

    refused_title = ""

    def __init__(self, title: str, operations: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self._operations = operations
        self.outcome: object = None
        self.form = QFormLayout(self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

    def finish_form(self) -> None:
        """Put OK and Cancel under the fields (subclasses call it last)."""
        self.form.addRow(self.buttons)

    def work(self) -> Callable[[], Any]:
        """The service call the form asks for (may raise ValidationError for what it reads)."""
        raise NotImplementedError

    def submit(self) -> None:
        """Run the service call; close on success, else list the problems and stay."""
        try:
            call = self.work()
        except ValidationError as exc:
            self._refused(exc)
            return
        self._operations.run(call, self._done, on_error=self._refused, parent=self)

    def _done(self, outcome: object) -> None:
        self.outcome = outcome
        self.accept()

    def _refused(self, error: Exception) -> None:
        if isinstance(error, CrmError):
            QMessageBox.warning(self, self.refused_title or self.windowTitle(),
                                _("Please correct the following; nothing you typed was lost.")
                                + "\n\n" + str(error))
        else:
            self._operations.fail(error, self.windowTitle(), self)


class ComplaintDialog(ServiceDialog):
    """Records a complaint about one customer; ``outcome`` is its number once recorded."""

    def __init__(self, customer_id: int, customer_name: str, actor: Actor | None,
                 operations: Operations, parent: QWidget | None = None) -> None:
        super().__init__(_("Record a complaint: {name}").format(name=customer_name),
                         operations, parent)
        self.refused_title = _("Complaint not recorded")
        self._customer_id, self._actor = customer_id, actor
        self.received_at = QDateTimeEdit(dt.datetime.now().replace(second=0, microsecond=0),
                                         self)
        self.received_at.setCalendarPopup(True)
        self.received_at.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.channel = choice_combo(CHANNELS, self)
        self.category = choice_combo(CATEGORIES, self, _("(choose)"))
        self.severity = choice_combo(SEVERITIES, self)
        self.content = QPlainTextEdit(self)
        self.content.setTabChangesFocus(True)
        self.content.setPlaceholderText(_("What the customer complains about, in their words"))
        people = active_staff()
        if not may(actor, Duty.ASSIGN_COMPLAINTS):  # others may name only themselves
            people = [p for p in people if actor is not None and p[0] == actor.staff_id]
        self.handler = staff_combo(self, people, _("(nobody yet)"))
        self.due_on = QLineEdit(self)
        self.due_on.setPlaceholderText(_("empty: {general} days after receipt, {major} for a "
                                         "major complaint").format(
            general=complaints.ANSWER_DAYS["general"], major=complaints.ANSWER_DAYS["major"]))
        for label, widget in ((_("Received at"), self.received_at),
                              (_("Received through"), self.channel),
                              (_("Category"), self.category), (_("Severity"), self.severity),
                              (_("Complaint"), self.content), (_("Handler"), self.handler),
                              (_("Answer due"), self.due_on)):
            self.form.addRow(label, widget)
        self.finish_form()
        self.resize(560, 460)

    def work(self) -> Callable[[], int]:
        new = complaints.NewComplaint(
            received_at=self.received_at.dateTime().toPython(),
            channel=self.channel.currentData(), content=self.content.toPlainText(),
            category=self.category.currentData() or "", severity=self.severity.currentData(),
            handler_id=self.handler.currentData(),
            due_on=optional_date(self.due_on, "due_on", _("Answer due")))
        customer_id, actor = self._customer_id, self._actor
        return lambda: complaints.record_complaint(customer_id, new, actor)

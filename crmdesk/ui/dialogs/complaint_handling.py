"""Handling a complaint: a step taken (处理过程), handing it to a handler (managers), and closing
it with the result and the customer's satisfaction."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit, QLineEdit, QPlainTextEdit, QWidget

from crmdesk.i18n import _
from crmdesk.models.card import SATISFACTION
from crmdesk.services import complaints
from crmdesk.services.context import Actor
from crmdesk.services.staff import active_staff
from crmdesk.ui.dialogs.complaint_dialog import (
    ServiceDialog,
    choice_combo,
    optional_date,
    staff_combo,
)
from crmdesk.ui.operations import Operations


def _day_edit(parent: QWidget) -> QDateEdit:
    today = dt.date.today()
    edit = QDateEdit(QDate(today.year, today.month, today.day), parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


def _text(parent: QWidget) -> QPlainTextEdit:
    edit = QPlainTextEdit(parent)
    edit.setTabChangesFocus(True)
    return edit


class StepDialog(ServiceDialog):
    """Adds one handling step to complaint ``complaint_id``."""

    def __init__(self, complaint_id: int, actor: Actor | None, operations: Operations,
                 parent: QWidget | None = None) -> None:
        super().__init__(_("Handling step for complaint no. {id}").format(id=complaint_id),
                         operations, parent)
        self.refused_title = _("Step not added")
        self._complaint_id, self._actor = complaint_id, actor
        self.done_on = _day_edit(self)
        self.action = _text(self)
        self.form.addRow(_("Date"), self.done_on)
        self.form.addRow(_("Handling"), self.action)
        self.finish_form()
        self.resize(480, 280)

    def work(self) -> Callable[[], int]:
        complaint_id, actor = self._complaint_id, self._actor
        day, action = self.done_on.date().toPython(), self.action.toPlainText()
        return lambda: complaints.add_step(complaint_id, day, action, actor)


class AssignDialog(ServiceDialog):
    """Hands complaint ``complaint_id`` to a handler, optionally with a new due date."""

    def __init__(self, complaint_id: int, actor: Actor | None, operations: Operations,
                 parent: QWidget | None = None) -> None:
        super().__init__(_("Hand complaint no. {id} to").format(id=complaint_id), operations,
                         parent)
        self.refused_title = _("Complaint not handed over")
        self._complaint_id, self._actor = complaint_id, actor
        self.handler = staff_combo(self, active_staff(), None)
        self.due_on = QLineEdit(self)
        self.due_on.setPlaceholderText(_("empty: keep the due date"))
        self.form.addRow(_("Handler"), self.handler)
        self.form.addRow(_("Answer due"), self.due_on)
        self.finish_form()
        self.resize(420, 160)

    def work(self) -> Callable[[], None]:
        complaint_id, actor, handler = self._complaint_id, self._actor, self.handler.currentData()
        due = optional_date(self.due_on, "due_on", _("Answer due"))
        return lambda: complaints.assign(complaint_id, handler, actor, due)


class CloseDialog(ServiceDialog):
    """Closes complaint ``complaint_id`` with its result and the customer's satisfaction."""

    def __init__(self, complaint_id: int, actor: Actor | None, operations: Operations,
                 parent: QWidget | None = None) -> None:
        super().__init__(_("Close complaint no. {id}").format(id=complaint_id), operations,
                         parent)
        self.refused_title = _("Complaint not closed")
        self._complaint_id, self._actor = complaint_id, actor
        self.closed_on = _day_edit(self)
        self.result_text = _text(self)
        self.satisfaction = choice_combo(SATISFACTION, self, _("(not asked)"))
        self.form.addRow(_("Closed on"), self.closed_on)
        self.form.addRow(_("Result"), self.result_text)
        self.form.addRow(_("Customer's satisfaction"), self.satisfaction)
        self.finish_form()
        self.resize(480, 300)

    def work(self) -> Callable[[], None]:
        complaint_id, actor = self._complaint_id, self._actor
        day, result = self.closed_on.date().toPython(), self.result_text.toPlainText()
        satisfaction = self.satisfaction.currentData()
        return lambda: complaints.close(complaint_id, day, result, satisfaction, actor)

"""The card's complaints (投诉): every complaint about the customer, newest first, with the
handling steps of the one chosen; record, add a step, hand over (managers), close, print the
handling form. The list follows the window's complaint change events, here or at another desk.
"""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget

from crmdesk.i18n import _
from crmdesk.models.card import SATISFACTION
from crmdesk.models.complaints import CATEGORIES, SEVERITIES
from crmdesk.services import complaints
from crmdesk.services.complaint_printout import complaint_printout
from crmdesk.services.complaints import ComplaintRow, label
from crmdesk.services.context import Actor
from crmdesk.services.visibility import Duty, may
from crmdesk.ui.change_hub import Changes
from crmdesk.ui.dialogs.complaint_dialog import ComplaintDialog, ServiceDialog
from crmdesk.ui.dialogs.complaint_handling import AssignDialog, CloseDialog, StepDialog
from crmdesk.ui.dialogs.print_preview import preview
from crmdesk.ui.operations import Operation, Operations
from crmdesk.ui.rows_table import RowsTable

if TYPE_CHECKING:
    from crmdesk.ui.card.editor import CardEditor


def complaint_state(row: ComplaintRow, today: dt.date) -> str:
    """Open, overdue or closed (on which day), as a list shows it."""
    if row.closed_on is not None:
        return _("Closed {day}").format(day=row.closed_on.isoformat())
    return _("Overdue") if row.overdue(today) else _("Open")


def complaint_columns() -> list[str]:
    return [_("No."), _("Received at"), _("Category"), _("Severity"), _("Handler"),
            _("Answer due"), _("State"), _("Customer's satisfaction")]


def complaint_cells(row: ComplaintRow, today: dt.date) -> tuple[str, ...]:
    """One complaint as a line of the card's list."""
    return (str(row.id), row.received_at.strftime("%Y-%m-%d %H:%M"),
            label(CATEGORIES, row.category), label(SEVERITIES, row.severity), row.handler,
            row.due_on.isoformat() if row.due_on else "", complaint_state(row, today),
            label(SATISFACTION, row.satisfaction or None))


class ComplaintsTab(QWidget):
    """The complaints of the card open in ``editor``."""

    def __init__(self, editor: CardEditor, actor: Actor | None, operations: Operations) -> None:
        super().__init__(editor)
        self._editor, self._actor, self._operations = editor, actor, operations
        self.rows: list[ComplaintRow] = []
        self.record_button = self._button(_("Record a complaint…"), self.record)
        self.step_button = self._button(_("Add a handling step…"), self.add_step)
        self.assign_button = self._button(_("Pass to a handler…"), self.assign)
        self.assign_button.setVisible(may(actor, Duty.ASSIGN_COMPLAINTS))
        self.close_button = self._button(_("Close…"), self.close_complaint)
        self.print_button = self._button(_("Print the handling form…"), self.print_form)
        # Two rows: in one, the buttons' longer English words made the card wider than its half
        # of a 1366-pixel screen.
        buttons = QVBoxLayout()
        for row in ((self.record_button, self.step_button, self.assign_button),
                    (self.close_button, self.print_button)):
            line = QHBoxLayout()
            for button in row:
                line.addWidget(button)
            line.addStretch(1)
            buttons.addLayout(line)
        self.table = RowsTable(complaint_columns(), self, empty=_("No complaints."))
        self.table.setObjectName("cardComplaints")
        self.table.itemSelectionChanged.connect(self._show_chosen)
        self.content = QLabel(self)
        self.content.setWordWrap(True)
        self.steps = RowsTable([_("Date"), _("Handling"), _("By")], self, stretch=1,
                               empty=_("No handling steps yet."))
        below = QWidget(self)
        below_layout = QVBoxLayout(below)
        below_layout.setContentsMargins(0, 0, 0, 0)
        below_layout.addWidget(self.content)
        below_layout.addWidget(self.steps, 1)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.table)
        splitter.addWidget(below)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(splitter, 1)
        if operations.hub is not None:
            operations.hub.subscribe(("complaints",), self._complaints_changed, owner=self)
        self._show_rows([])

    def _button(self, text: str, slot: object) -> QPushButton:
        button = QPushButton(text, self)
        button.clicked.connect(slot)
        return button

    # -- reading ----------------------------------------------------------------------------

    def show_read(self, rows: list[ComplaintRow]) -> None:
        """Show the open card's complaints as read with the card."""
        self._operations.supersede(f"complaints-{id(self)}")
        self.record_button.setEnabled(self._editor.customer_id is not None)
        self._show_rows(rows)

    def reload(self) -> Operation | None:
        """Read the open card's complaints (a new card has none)."""
        customer_id, actor = self._editor.customer_id, self._actor
        self.record_button.setEnabled(customer_id is not None)
        if customer_id is None:
            self._show_rows([])
            return None
        return self._operations.run(lambda: complaints.complaints_of(customer_id, actor),
                                    self._show_rows, channel=f"complaints-{id(self)}",
                                    title=_("Complaints"))

    def _complaints_changed(self, changes: Changes) -> None:
        if self._editor.customer_id in changes.ids("complaints"):
            self.reload()

    def _show_rows(self, rows: list[ComplaintRow]) -> None:
        chosen = self.chosen()
        self.rows = rows
        today = dt.date.today()
        self.table.set_rows([(row.id, complaint_cells(row, today)) for row in rows],
                            warn=[row.overdue(today) for row in rows])
        if chosen is not None:
            self.table.select_key(chosen.id)
        self._show_chosen()

    def chosen(self) -> ComplaintRow | None:
        """The complaint selected in the list."""
        key = self.table.current_key()
        return next((row for row in self.rows if row.id == key), None)

    def _show_chosen(self) -> None:
        row = self.chosen()
        self.content.setText(row.content if row else "")
        self.steps.set_rows([(step.seq, (step.done_on.isoformat(), step.action, step.done_by))
                             for step in (row.steps if row else ())])
        open_one = row is not None and row.closed_on is None
        for button in (self.step_button, self.assign_button, self.close_button):
            button.setEnabled(open_one)
        self.print_button.setEnabled(row is not None)

    # -- actions -----------------------------------------------------------------------------

    def _open(self, dialog: ServiceDialog) -> bool:
        """Run ``dialog``; the list follows the change event of what it saved."""
        return bool(dialog.exec())

    def record(self) -> bool:
        """Record a complaint about the open customer."""
        customer_id = self._editor.customer_id
        if customer_id is None:
            return False
        name = self._editor.editor("name").value() or ""
        return self._open(ComplaintDialog(customer_id, name, self._actor, self._operations,
                                          self))

    def add_step(self) -> bool:
        row = self.chosen()
        return row is not None and self._open(
            StepDialog(row.id, self._actor, self._operations, self))

    def assign(self) -> bool:
        row = self.chosen()
        return row is not None and self._open(
            AssignDialog(row.id, self._actor, self._operations, self))

    def close_complaint(self) -> bool:
        row = self.chosen()
        return row is not None and self._open(
            CloseDialog(row.id, self._actor, self._operations, self))

    def print_form(self) -> None:
        """Preview the chosen complaint's handling form for printing."""
        row, actor = self.chosen(), self._actor
        if row is not None:
            preview(self, self._operations, _("Complaint handling form no. {id}").format(
                id=row.id), lambda: complaint_printout(row.id, actor))

"""Overdue complaints (逾期投诉): open complaints past the day the customer was promised an
answer, most overdue first. A manager sees every one they may read and hands them over; a
salesperson sees those they handle or whose card they own. Double-click opens the card."""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from crmdesk.i18n import _, ngettext
from crmdesk.models.complaints import CATEGORIES, SEVERITIES
from crmdesk.services import complaints
from crmdesk.services.complaint_printout import complaint_printout
from crmdesk.services.complaints import ComplaintRow, label
from crmdesk.services.visibility import Duty, may
from crmdesk.ui.dialogs.complaint_handling import AssignDialog
from crmdesk.ui.dialogs.print_preview import preview
from crmdesk.ui.operations import Operation
from crmdesk.ui.rows_table import RowsTable

if TYPE_CHECKING:
    from crmdesk.ui.main_window import MainWindow


def _cells(row: ComplaintRow, today: dt.date) -> tuple[str, ...]:
    late = (today - row.due_on).days if row.due_on else 0
    return (str(row.id), row.archive_no, row.customer_name, label(CATEGORIES, row.category),
            label(SEVERITIES, row.severity), row.handler or _("(nobody yet)"),
            row.due_on.isoformat() if row.due_on else "", str(late),
            row.received_at.strftime("%Y-%m-%d %H:%M"))


class OverdueComplaintsPage(QWidget):
    """The overdue complaints, with Open card, Hand over (managers) and Print form."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setObjectName("overdueComplaints")
        self._window, self._actor = window, window.actor
        self.rows: list[ComplaintRow] = []
        self.total = QLabel(self)
        self.table = RowsTable([_("No."), _("Archive no."), _("Name"), _("Category"),
                                _("Severity"), _("Handler"), _("Answer due"), _("Days overdue"),
                                _("Received at")], self, empty=_("No complaint is overdue."))
        self.table.chosen.connect(self._open_card)
        buttons = QHBoxLayout()
        for text, slot, shown in ((_("Open card"), self.open_card, True),
                                  (_("Pass to a handler…"), self.assign,
                                   may(self._actor, Duty.ASSIGN_COMPLAINTS)),
                                  (_("Print the handling form…"), self.print_form, True),
                                  (_("Refresh"), self.reload, True)):
            button = QPushButton(text, self)
            button.clicked.connect(slot)
            button.setVisible(shown)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.total)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        if window.tasks.hub is not None:
            window.tasks.hub.subscribe(("complaints",), lambda _c: self.reload(), owner=self)

    def reload(self) -> Operation:
        """Read the overdue complaints as of today."""
        actor, today = self._actor, dt.date.today()
        return self._window.tasks.run(lambda: complaints.overdue(today, actor), self._show,
                                      channel="overdue-complaints", title=_("Complaints"))

    def _show(self, rows: list[ComplaintRow]) -> None:
        self.rows = rows
        today = dt.date.today()
        self.table.set_rows([(row.id, _cells(row, today)) for row in rows])
        self.total.setText(ngettext("{n} complaint past its due date",
                                    "{n} complaints past their due date",
                                    len(rows)).format(n=len(rows)))

    def _chosen(self) -> ComplaintRow | None:
        key = self.table.current_key()
        return next((row for row in self.rows if row.id == key), None)

    def _open_card(self, key: int | None) -> None:
        row = next((r for r in self.rows if r.id == key), None)
        if row is not None:
            self._window.show_customer(row.customer_id)

    def open_card(self) -> None:
        row = self._chosen()
        if row is not None:
            self._open_card(row.id)

    def assign(self) -> None:
        row = self._chosen()
        if row is not None:
            AssignDialog(row.id, self._actor, self._window.tasks, self).exec()

    def print_form(self) -> None:
        row, actor = self._chosen(), self._actor
        if row is not None:
            preview(self, self._window.tasks, _("Complaint handling form no. {id}").format(
                id=row.id), lambda: complaint_printout(row.id, actor))


def install(window: MainWindow) -> OverdueComplaintsPage | None:
    """Add the overdue complaints for managers and salespeople (not the front desk)."""
    if not may(window.actor, Duty.FOLLOW_UPS):
        return None
    page = OverdueComplaintsPage(window)
    window.add_page(page, _("Overdue complaints"))
    return page

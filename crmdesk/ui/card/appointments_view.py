"""The card's appointments (邀约到访), on the card's back under the contacts: every invitation
of the customer with its state (expected, arrived, cancelled, did not come); invite and cancel.
The list follows the window's change events, here or at another desk."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QMessageBox, QPushButton, QVBoxLayout

from crmdesk.i18n import _
from crmdesk.services import appointments
from crmdesk.services.appointments import AppointmentRow
from crmdesk.services.context import Actor
from crmdesk.ui.change_hub import Changes
from crmdesk.ui.dialogs.appointment_dialog import AppointmentDialog
from crmdesk.ui.operations import Operation, Operations
from crmdesk.ui.rows_table import RowsTable

if TYPE_CHECKING:
    from crmdesk.ui.card.editor import CardEditor

VISIBLE_ROWS = 4
# Booking and cancelling are recorded as changes of this kind (services.changes).
KINDS = ("contacts",)


def appointment_cells(row: AppointmentRow) -> tuple[str, ...]:
    """One appointment as a line of the card's list."""
    return (row.starts_at.strftime("%Y-%m-%d %H:%M"), row.purpose, row.expected,
            row.salesperson, row.state_label)


class AppointmentsSection(QGroupBox):
    """The appointments of the card open in ``editor``."""

    def __init__(self, editor: CardEditor, actor: Actor | None, operations: Operations) -> None:
        super().__init__(_("Appointments"), editor)
        self.setObjectName("cardAppointments")
        self._editor, self._actor, self._operations = editor, actor, operations
        self.rows: list[AppointmentRow] = []
        self.invite_button = QPushButton(_("Invite to the showroom…"), self)
        self.invite_button.setObjectName("inviteButton")
        self.invite_button.clicked.connect(self.invite)
        self.cancel_button = QPushButton(_("Cancel the appointment"), self)
        self.cancel_button.setObjectName("cancelAppointment")
        self.cancel_button.clicked.connect(self.cancel_chosen)
        self.table = RowsTable([_("Time"), _("Purpose"), _("Who is expected"),
                                _("Received by"), _("State")], self, stretch=1,
                               empty=_("No appointments."))
        self.table.setObjectName("appointmentRows")
        self.table.itemSelectionChanged.connect(self._enable)
        rows = self.table.verticalHeader().defaultSectionSize()
        self.table.setMaximumHeight(rows * (VISIBLE_ROWS + 1) + 6)
        buttons = QHBoxLayout()
        buttons.addWidget(self.invite_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table)
        if operations.hub is not None:
            operations.hub.subscribe(KINDS, self._changed, owner=self)
        self._show_rows([])

    def show_read(self, rows: list[AppointmentRow]) -> None:
        """Show the open card's appointments as read with the card."""
        self._operations.supersede(f"appointments-{id(self)}")
        self._show_rows(rows)

    def reload(self) -> Operation | None:
        """Read the open card's appointments (a new card has none)."""
        customer_id, actor = self._editor.customer_id, self._actor
        if customer_id is None:
            self._show_rows([])
            return None
        return self._operations.run(lambda: appointments.of_customer(customer_id, actor),
                                    self._show_rows, channel=f"appointments-{id(self)}",
                                    title=_("Appointments"))

    def _changed(self, changes: Changes) -> None:
        if self._editor.customer_id in changes.ids(*KINDS):
            self.reload()

    def _show_rows(self, rows: list[AppointmentRow]) -> None:
        self.rows = rows
        self.table.set_rows([(row.id, appointment_cells(row)) for row in rows],
                            warn=[row.state == "no_show" for row in rows])
        self._enable()

    def chosen(self) -> AppointmentRow | None:
        """The appointment selected in the list."""
        key = self.table.current_key()
        return next((row for row in self.rows if row.id == key), None)

    def _enable(self) -> None:
        writable = self._editor.customer_id is not None and not self._editor.read_only
        self.invite_button.setEnabled(writable)
        chosen = self.chosen()
        self.cancel_button.setEnabled(writable and chosen is not None
                                      and chosen.state == "booked")

    def invite(self) -> bool:
        """Book the open customer for a day and time; the list follows the change event."""
        customer_id = self._editor.customer_id
        if customer_id is None:
            return False
        dialog = AppointmentDialog(customer_id, self._editor.editor("name").value() or "",
                                   self._editor.editor("owner").value(), self._actor,
                                   self._operations, self)
        return bool(dialog.exec())

    def cancel_chosen(self) -> Operation | None:
        """Call off the chosen expected appointment."""
        row, actor = self.chosen(), self._actor
        if row is None or row.state != "booked" or QMessageBox.question(
                self, _("Cancel the appointment"),
                _("Call off the appointment of {time}?").format(
                    time=row.starts_at.strftime("%Y-%m-%d %H:%M"))
        ) != QMessageBox.StandardButton.Yes:
            return None
        return self._operations.run(lambda: appointments.cancel(row.id, actor),
                                    title=_("Appointment not cancelled"), parent=self)

"""Inviting a customer to the showroom (预约到访): the day and time, what for, who is expected
and which salesperson receives them."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtWidgets import QDateTimeEdit, QLineEdit, QWidget

from crmdesk.i18n import _
from crmdesk.services import appointments, rotation
from crmdesk.services.context import Actor
from crmdesk.ui.dialogs.complaint_dialog import ServiceDialog, staff_combo
from crmdesk.ui.operations import Operations

DEFAULT_HOUR = 10  # an invitation is offered for tomorrow morning


def default_time(now: dt.datetime | None = None) -> dt.datetime:
    """Tomorrow at ten: what an invitation is usually for, changed with two clicks."""
    now = now or dt.datetime.now()
    return dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time(DEFAULT_HOUR))


class AppointmentDialog(ServiceDialog):
    """Books one customer; ``outcome`` is the appointment's id once booked."""

    def __init__(self, customer_id: int, customer_name: str, owner_id: int | None,
                 actor: Actor | None, operations: Operations,
                 parent: QWidget | None = None) -> None:
        super().__init__(_("Invite to the showroom: {name}").format(name=customer_name),
                         operations, parent)
        self.setObjectName("appointmentDialog")
        self.refused_title = _("Appointment not booked")
        self._customer_id, self._actor = customer_id, actor
        self.starts_at = QDateTimeEdit(default_time(), self)
        self.starts_at.setObjectName("appointmentTime")
        self.starts_at.setCalendarPopup(True)
        self.starts_at.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.purpose = QLineEdit(self)
        self.purpose.setObjectName("appointmentPurpose")
        self.purpose.setPlaceholderText(_("e.g. test drive, sign the contract (required)"))
        self.expected = QLineEdit(self)
        self.expected.setObjectName("appointmentExpected")
        self.expected.setPlaceholderText(_("e.g. Mr Zhang and his wife"))
        self.salesperson = staff_combo(self, rotation.salespeople(), None)
        self.salesperson.setObjectName("appointmentSalesperson")
        found = self.salesperson.findData(owner_id)
        if found >= 0:
            self.salesperson.setCurrentIndex(found)
        for label, widget in ((_("Day and time"), self.starts_at),
                              (_("Purpose") + " *", self.purpose),
                              (_("Who is expected"), self.expected),
                              (_("Received by"), self.salesperson)):
            self.form.addRow(label, widget)
        self.finish_form()
        self.resize(460, 200)

    def work(self) -> Callable[[], int]:
        customer_id, actor = self._customer_id, self._actor
        starts_at = self.starts_at.dateTime().toPython()
        purpose, expected = self.purpose.text(), self.expected.text()
        salesperson = self.salesperson.currentData()
        return lambda: appointments.book(customer_id, starts_at, purpose, actor, expected,
                                         salesperson)

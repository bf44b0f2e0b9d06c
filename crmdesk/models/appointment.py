"""Appointments: a customer invited to the showroom at a day and time (邀约到访)."""
from __future__ import annotations

import peewee

from crmdesk.models.customer import Customer
from crmdesk.models.db import BaseModel
from crmdesk.models.frontdesk import Visit
from crmdesk.models.staff import Staff

# booked: expected; arrived: a visit of the customer was registered that day; cancelled: called
# off before the day; no_show: the day passed without the customer (worked out, never stored).
APPOINTMENT_STATES = ("booked", "arrived", "cancelled")


class Appointment(BaseModel):
    """One invitation: when, why, who is expected, and who receives them."""

    customer = peewee.ForeignKeyField(Customer, backref="appointments", on_delete="CASCADE")
    salesperson = peewee.ForeignKeyField(Staff, backref="+")
    starts_at = peewee.DateTimeField(index=True)
    purpose = peewee.TextField()
    expected = peewee.TextField(null=True)  # who comes: 张先生夫妇, the buyer and his engineer
    state = peewee.TextField(default="booked")
    visit = peewee.ForeignKeyField(Visit, null=True, backref="+", on_delete="SET NULL")
    booked_by = peewee.ForeignKeyField(Staff, null=True, backref="+")
    booked_at = peewee.DateTimeField()

    class Meta:
        indexes = ((("customer", "starts_at"), False), (("state", "starts_at"), False))

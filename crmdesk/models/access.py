"""Who may read an archive besides those the rules name: readers a manager named, card by card,
and the requests that ask for it (申请查阅)."""
from __future__ import annotations

import datetime as dt

import peewee

from crmdesk.models.customer import Customer
from crmdesk.models.db import BaseModel
from crmdesk.models.staff import Staff

# pending: waiting for a manager; approved: a reader until the day given; refused; withdrawn.
REQUEST_STATES = ("pending", "approved", "refused", "withdrawn")


class CardReader(BaseModel):
    """``staff`` may read the archive ``customer``, through ``until`` when it is set."""

    customer = peewee.ForeignKeyField(Customer, backref="readers", on_delete="CASCADE")
    staff = peewee.ForeignKeyField(Staff, on_delete="CASCADE")
    until = peewee.DateField(null=True)  # schema 19: a grant on request lapses by itself

    class Meta:
        indexes = ((("customer", "staff"), True),)

    @classmethod
    def in_force(cls, day: dt.date | None = None) -> peewee.Expression:
        """SQL for the grants still in force on ``day`` (today by default)."""
        return cls.until.is_null() | (cls.until >= (day or dt.date.today()))


class AccessRequest(BaseModel):
    """A member of staff asks to read a card they may not: why, for what, and the answer."""

    customer = peewee.ForeignKeyField(Customer, backref="+", on_delete="CASCADE")
    requester = peewee.ForeignKeyField(Staff, backref="+", on_delete="CASCADE")
    purpose = peewee.TextField()
    reason = peewee.TextField()
    requested_at = peewee.DateTimeField()
    state = peewee.TextField(default="pending", index=True)
    decided_by = peewee.ForeignKeyField(Staff, null=True, backref="+")
    decided_at = peewee.DateTimeField(null=True)
    until = peewee.DateField(null=True)

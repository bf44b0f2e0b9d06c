"""The confidentiality registers: printed cards lent out (外借登记册) and suspected leaks."""
from __future__ import annotations

import peewee

from crmdesk.models.customer import Customer
from crmdesk.models.db import BaseModel
from crmdesk.models.staff import Staff

# out: lent and not back; returned: back with the keeper; cancelled: recorded by mistake.
LOAN_STATES = ("out", "returned", "cancelled")


class Loan(BaseModel):
    """A printed card or copy of an archive lent to a member of staff, due back by ``due``."""

    customer = peewee.ForeignKeyField(Customer, backref="+", on_delete="CASCADE")
    borrower = peewee.ForeignKeyField(Staff, backref="+")
    copies = peewee.IntegerField(default=1)
    purpose = peewee.TextField()
    lent_at = peewee.DateTimeField()
    due = peewee.DateField(index=True)
    state = peewee.TextField(default="out")
    closed_at = peewee.DateTimeField(null=True)
    lent_by = peewee.ForeignKeyField(Staff, null=True, backref="+")


class LeakReport(BaseModel):
    """A suspected leak of customer information: what, when it happened, how it was noticed."""

    what = peewee.TextField()
    happened_at = peewee.DateTimeField(null=True)
    noticed_how = peewee.TextField()
    customer = peewee.ForeignKeyField(Customer, null=True, backref="+", on_delete="SET NULL")
    reported_by = peewee.ForeignKeyField(Staff, null=True, backref="+")
    reported_at = peewee.DateTimeField()


class CardReview(BaseModel):
    """A new card put to a manager for review and sign-off (审核签字确认)."""

    customer = peewee.ForeignKeyField(Customer, backref="+", on_delete="CASCADE", unique=True)
    marked_by = peewee.ForeignKeyField(Staff, null=True, backref="+")
    marked_at = peewee.DateTimeField(index=True)
    signed_by = peewee.ForeignKeyField(Staff, null=True, backref="+")
    signed_at = peewee.DateTimeField(null=True)
    remark = peewee.TextField(null=True)


class ExportApproval(BaseModel):
    """A second person's approval of an export that copies 机密 cards or many archives."""

    requested_by = peewee.ForeignKeyField(Staff, backref="+")
    what = peewee.TextField()  # the list: customers, communications
    purpose = peewee.TextField()
    archives = peewee.IntegerField()
    marked = peewee.IntegerField()  # how many of them are marked 机密 or 绝密
    requested_at = peewee.DateTimeField()
    state = peewee.TextField(default="pending", index=True)  # approved, refused, used
    decided_by = peewee.ForeignKeyField(Staff, null=True, backref="+")
    decided_at = peewee.DateTimeField(null=True)

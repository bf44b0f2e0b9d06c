"""What other desks need to hear: the change log every desk reads, and notices to a person.

Each write that other desks should see adds a ``ChangeEvent`` in its own transaction (so an
event exists exactly when its change was committed); every open window reads the events after
the last one it saw and refreshes what they touch. ``Notice`` is a message to one member of
staff (a visitor waiting at reception, the reply "I'm coming"), kept until read so someone
logged out sees it at the next login.
"""
from __future__ import annotations

import peewee

from crmdesk.models.customer import Customer
from crmdesk.models.db import BaseModel
from crmdesk.models.frontdesk import Visit
from crmdesk.models.staff import Staff

# What a change touched; windows decide by kind what to read again.
CHANGE_KINDS = ("customers", "visits", "contacts", "ownership", "levels", "staff", "settings",
                "notices", "complaints")
NOTICE_KINDS = ("visitor", "coming", "complaint_assigned", "complaint_overdue", "transfer",
                "due_today", "lapsing", "leak", "access_request", "access_answer",
                "export_approval")
# Notices left once a day per person (the day is part of a unique key, so never twice).
DAILY_NOTICE_KINDS = ("due_today", "lapsing")


class ChangeEvent(BaseModel):
    """One committed change: its kind, the ids it touched, which desk made it and when."""

    at = peewee.DateTimeField()
    kind = peewee.TextField()
    ids = peewee.TextField(default="")  # comma-separated ids of the kind's records
    origin = peewee.TextField()  # the desk (process) that made the change
    actor = peewee.ForeignKeyField(Staff, null=True, on_delete="SET NULL", backref="+")


class Notice(BaseModel):
    """A message to ``recipient``: a visitor handed to them, a colleague's reply, customers
    handed over, a complaint to handle, or the day's follow-ups and lapses (see NOTICE_KINDS)."""

    created_at = peewee.DateTimeField()
    recipient = peewee.ForeignKeyField(Staff, on_delete="CASCADE", backref="notices")
    sender = peewee.ForeignKeyField(Staff, null=True, on_delete="SET NULL", backref="+")
    kind = peewee.TextField()
    customer = peewee.ForeignKeyField(Customer, null=True, on_delete="CASCADE", backref="+")
    visit = peewee.ForeignKeyField(Visit, null=True, on_delete="CASCADE", backref="+")
    reply_to = peewee.ForeignKeyField("self", null=True, on_delete="SET NULL", backref="+")
    read_at = peewee.DateTimeField(null=True)
    # Schema 16: a daily notice's day; how many customers a notice is about; a short note
    # (a transfer's reason).
    day = peewee.DateField(null=True)
    count = peewee.IntegerField(null=True)
    note = peewee.TextField(null=True)

    class Meta:
        indexes = ((("recipient", "read_at"), False), (("recipient", "kind", "day"), True))

"""The card's tables: people in the decision, purchases, and the communication log (its back)."""
from __future__ import annotations

import peewee

from crmdesk.models.customer import Customer
from crmdesk.models.db import BaseModel
from crmdesk.models.level import Level
from crmdesk.models.staff import Staff


class DecisionPerson(BaseModel):
    """Someone around the purchase, with their role (决策者, 影响者, ...) and attitude."""

    customer = peewee.ForeignKeyField(Customer, backref="decision_people", on_delete="CASCADE")
    position = peewee.IntegerField(default=0)
    name = peewee.TextField()
    role = peewee.TextField()
    title = peewee.TextField(null=True)
    phone = peewee.TextField(null=True)
    attitude = peewee.TextField(null=True)
    notes = peewee.TextField(null=True)


class Purchase(BaseModel):
    """One line of the purchase history."""

    customer = peewee.ForeignKeyField(Customer, backref="purchases", on_delete="CASCADE")
    date = peewee.DateField()
    product = peewee.TextField()
    quantity = peewee.IntegerField()
    amount = peewee.DecimalField(max_digits=16, decimal_places=2, auto_round=True)


class Communication(BaseModel):
    """One contact on the card's back, in time order; ``seq`` numbers it within its card."""

    customer = peewee.ForeignKeyField(
        Customer, backref="communications", on_delete="CASCADE", index=False
    )
    seq = peewee.IntegerField()
    contacted_at = peewee.DateTimeField()
    method = peewee.TextField()
    person = peewee.TextField(null=True)
    person_role = peewee.TextField(null=True)
    level = peewee.ForeignKeyField(Level, null=True, on_delete="SET NULL")
    record = peewee.TextField()
    conclusion = peewee.TextField(null=True)
    next_follow_up = peewee.DateField(null=True)
    recorded_by = peewee.ForeignKeyField(Staff, null=True, on_delete="SET NULL")

    class Meta:
        indexes = ((("customer", "contacted_at"), False),)


# The statistics count each salesperson's contacts in a period, and compare each contact's level
# with the one before it, from these indexes alone (schema 20).
Communication.add_index(Communication.index(
    Communication.contacted_at, Communication.recorded_by, Communication.customer,
    name="communication_recorded"))
Communication.add_index(Communication.index(
    Communication.customer, Communication.contacted_at, Communication.seq, Communication.level,
    Communication.recorded_by, name="communication_graded",
    where=peewee.SQL("level_id IS NOT NULL")))

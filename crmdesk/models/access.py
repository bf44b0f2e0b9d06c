"""Who may read a top-secret (绝密) archive besides its owner: named by a manager, card by card."""
from __future__ import annotations

import peewee

from crmdesk.models.customer import Customer
from crmdesk.models.db import BaseModel
from crmdesk.models.staff import Staff


class CardReader(BaseModel):
    """``staff`` may read the top-secret archive ``customer``."""

    customer = peewee.ForeignKeyField(Customer, backref="readers", on_delete="CASCADE")
    staff = peewee.ForeignKeyField(Staff, on_delete="CASCADE")

    class Meta:
        indexes = ((("customer", "staff"), True),)

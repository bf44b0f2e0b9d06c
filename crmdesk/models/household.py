"""Members of one household kept as separate archives (区分准则 11: 家庭有一方先来看房)."""
from __future__ import annotations

import peewee

from crmdesk.models.customer import Customer
from crmdesk.models.db import BaseModel


class HouseholdLink(BaseModel):
    """``member`` belongs to the household of ``first``, the archive registered before it."""

    member = peewee.ForeignKeyField(Customer, backref="+", on_delete="CASCADE", unique=True)
    first = peewee.ForeignKeyField(Customer, backref="+", on_delete="CASCADE")

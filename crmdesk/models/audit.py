"""The audit trail: who did what to which archive, and when."""
from __future__ import annotations

import peewee

from crmdesk.models.customer import Customer
from crmdesk.models.db import BaseModel
from crmdesk.models.staff import Staff


class AuditEntry(BaseModel):
    """One recorded action; ``details`` is JSON (changed fields with old and new values, counts)."""

    at = peewee.DateTimeField(index=True)
    actor = peewee.ForeignKeyField(Staff, null=True, on_delete="SET NULL")
    action = peewee.TextField(index=True)
    customer = peewee.ForeignKeyField(Customer, null=True, on_delete="SET NULL", index=True)
    details = peewee.TextField(default="{}")

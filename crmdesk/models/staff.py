"""Staff: the people who register, own and follow up customers."""
from __future__ import annotations

import peewee

from crmdesk.models.db import BaseModel

ROLES = ("frontdesk", "sales", "manager", "admin")


class Staff(BaseModel):
    """A member of the branch office. ``roles`` holds role codes separated by commas."""

    name = peewee.TextField()
    username = peewee.TextField(unique=True)
    roles = peewee.TextField(default="sales")
    active = peewee.BooleanField(default=True)

    def has_role(self, role: str) -> bool:
        return role in self.roles.split(",")

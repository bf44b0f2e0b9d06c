"""Staff: the people who register, own and follow up customers."""
from __future__ import annotations

import peewee

from crmdesk.models.db import BaseModel

ROLES = ("frontdesk", "sales", "manager", "admin")


class Staff(BaseModel):
    """A member of the branch office. ``roles`` holds role codes separated by commas.

    ``password_hash`` is an argon2id hash (never the password); five wrong passwords in a row
    set ``locked_until``.
    """

    name = peewee.TextField()
    username = peewee.TextField(unique=True)
    roles = peewee.TextField(default="sales")
    active = peewee.BooleanField(default=True)
    password_hash = peewee.TextField(null=True)
    failed_logins = peewee.IntegerField(default=0)
    locked_until = peewee.DateTimeField(null=True)

    def has_role(self, role: str) -> bool:
        return role in self.roles.split(",")

"""Office-wide settings, shared by every desk: one row per key, value stored as JSON."""
from __future__ import annotations

import peewee

from crmdesk.models.db import BaseModel


class Setting(BaseModel):
    """A named office setting; ``value`` is JSON text."""

    key = peewee.TextField(primary_key=True)
    value = peewee.TextField()


class Counter(BaseModel):
    """A named counter that only ever goes up, such as the archive number serial."""

    name = peewee.TextField(primary_key=True)
    value = peewee.BigIntegerField(default=0)

"""Customer levels and their follow-up cadence (客户分级 / 追踪频率)."""
from __future__ import annotations

import peewee

from crmdesk.models.db import BaseModel


class Level(BaseModel):
    """One level of the scheme; ``interval_days`` is None when the level needs no follow-up."""

    code = peewee.TextField(unique=True)
    name = peewee.TextField()
    description = peewee.TextField(default="")
    interval_days = peewee.IntegerField(null=True)
    sort_order = peewee.IntegerField(default=0)
    active = peewee.BooleanField(default=True)


# The showroom scheme from the office handbook is the default (code, name, days, description).
DEFAULT_SCHEME = (
    ("O", "O 已订车", None, "已订单未交车,按需跟进"),
    ("H", "H 级", 2, "7 天内可能成交,每 2 天跟进"),
    ("A", "A 级", 3, "7-15 天内可能成交,每 3 天跟进"),
    ("B", "B 级", 5, "15-30 天内可能成交,每 5 天跟进"),
    ("C", "C 级", 7, "31-90 天内可能成交,每 7 天跟进"),
    ("战败", "战败", None, "已被竞争对手成交,不再跟进"),
)

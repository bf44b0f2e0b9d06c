"""The level scheme as the forms and lists need it."""
from __future__ import annotations

from dataclasses import dataclass

from crmdesk.models import Level


@dataclass(frozen=True)
class LevelInfo:
    """One level: id, code, name and follow-up interval (None: no follow-up)."""

    id: int
    code: str
    name: str
    interval_days: int | None
    active: bool


def levels(active_only: bool = False) -> list[LevelInfo]:
    """The levels in scheme order."""
    query = Level.select().order_by(Level.sort_order, Level.id)
    if active_only:
        query = query.where(Level.active)
    return [LevelInfo(lv.id, lv.code, lv.name, lv.interval_days, lv.active) for lv in query]

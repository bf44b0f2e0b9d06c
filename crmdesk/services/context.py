"""Who is acting: passed to every service call that records or changes something."""
from __future__ import annotations

from dataclasses import dataclass

from crmdesk.models import Staff


@dataclass(frozen=True)
class Actor:
    """The member of staff on whose behalf a service acts."""

    staff_id: int
    name: str
    roles: tuple[str, ...]

    @classmethod
    def of(cls, staff: Staff) -> Actor:
        return cls(staff.id, staff.name, tuple(staff.roles.split(",")))

"""Naming who may read a top-secret (绝密) archive besides its owner: a manager's decision."""
from __future__ import annotations

from crmdesk.models import CardReader
from crmdesk.models.db import database
from crmdesk.services import audit
from crmdesk.services.context import Actor
from crmdesk.services.visibility import Duty, require


def readers(customer_id: int) -> list[int]:
    """Staff ids named as readers of this archive."""
    return [r[0] for r in CardReader.select(CardReader.staff).where(
        CardReader.customer == customer_id).tuples()]


def set_readers(actor: Actor | None, customer_id: int, staff_ids: list[int]) -> None:
    """Name exactly these people as readers (managers only); the change is audited."""
    require(actor, Duty.REASSIGN)
    before = sorted(readers(customer_id))
    with database.atomic():
        CardReader.delete().where(CardReader.customer == customer_id).execute()
        for staff_id in sorted(set(staff_ids)):
            CardReader.create(customer=customer_id, staff=staff_id)
        audit.record(actor, "set_readers", customer_id, old=before, new=sorted(set(staff_ids)))

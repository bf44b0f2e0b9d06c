"""Appending to the audit trail, inside the caller's transaction."""
from __future__ import annotations

import datetime as dt
import json
from typing import Any

from crmdesk.models import AuditEntry
from crmdesk.services.context import Actor


def record(actor: Actor | None, action: str, customer_id: int | None = None,
           **details: Any) -> None:
    """Append one entry: ``action`` by ``actor`` on ``customer_id`` with JSON ``details``."""
    AuditEntry.create(
        at=dt.datetime.now(),
        actor=actor.staff_id if actor else None,
        action=action,
        customer=customer_id,
        details=json.dumps(details, ensure_ascii=False, default=str),
    )

"""Recording exports: who took which list out of the archive, how many rows, to which file."""
from __future__ import annotations

from crmdesk.models.db import database
from crmdesk.services import audit
from crmdesk.services.context import Actor


def record_export(actor: Actor | None, what: str, rows: int, file_name: str) -> None:
    """Record in the audit trail that ``actor`` exported ``rows`` rows of ``what``."""
    with database.atomic():
        audit.record(actor, "export", None, what=what, rows=rows, file=file_name)

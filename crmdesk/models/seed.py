"""What a new archive starts with: the default level scheme and the archive-number counter."""
from __future__ import annotations

from crmdesk.models.level import DEFAULT_SCHEME, Level
from crmdesk.models.setting import Counter

ARCHIVE_COUNTER = "archive_no"
AUDIT_COUNTER = "audit"


def seed_defaults() -> None:
    """Insert the default levels (O/H/A/B/C/战败) and start the archive-number counter."""
    for order, (code, name, days, description) in enumerate(DEFAULT_SCHEME):
        Level.create(code=code, name=name, interval_days=days, description=description,
                     sort_order=order)
    Counter.create(name=ARCHIVE_COUNTER, value=0)
    Counter.create(name=AUDIT_COUNTER, value=0)

"""Archive numbers (档案编号): assigned from a counter in the database, never reused."""
from __future__ import annotations

import datetime as dt

from crmdesk.models import Counter
from crmdesk.models.seed import ARCHIVE_COUNTER

PREFIX = "KH"


def format_archive_no(year: int, serial: int) -> str:
    """KH + year of registration + a six-digit serial: KH2026000123."""
    return f"{PREFIX}{year}{serial:06d}"


def reserve_archive_numbers(count: int, when: dt.date | None = None) -> list[str]:
    """Take the next ``count`` numbers. Call inside the transaction that stores the customers.

    The counter only goes up, so a number is never handed out twice, even after deletions;
    the UPDATE locks the counter row, so two desks on one PostgreSQL archive queue here.
    """
    year = (when or dt.date.today()).year
    Counter.update(value=Counter.value + count).where(Counter.name == ARCHIVE_COUNTER).execute()
    last = Counter.get_by_id(ARCHIVE_COUNTER).value
    return [format_archive_no(year, serial) for serial in range(last - count + 1, last + 1)]

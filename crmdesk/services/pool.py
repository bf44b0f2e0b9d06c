"""The public pool (公海) and the customers about to fall into it, as list rows.

The pool is worked out in SQL from the protection rule (crmdesk.services.protection), so it is
always current; a page of it is read at a time.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from crmdesk.models import Customer, Level
from crmdesk.models.card import FIELDS
from crmdesk.models.phones import format_phone
from crmdesk.services import settings
from crmdesk.services.protection import in_pool, lapsed_by, not_exempt, protection_of
from crmdesk.services.staff import staff_names

PAGE = 500


@dataclass(frozen=True)
class PoolRow:
    """A customer in (or about to fall into) the pool; ``lapses_on``: its first day unprotected."""

    customer_id: int
    archive_no: str
    name: str
    phone: str
    level: str
    status: str
    owner: str
    last_contact: dt.date | None
    lapses_on: dt.date | None


@dataclass(frozen=True)
class PoolPage:
    """One page of the pool and how many customers it holds in all."""

    total: int
    rows: list[PoolRow]


def _rows(ids: list[int]) -> list[PoolRow]:
    protection = protection_of(ids)
    names = staff_names()
    codes = dict(Level.select(Level.id, Level.code).tuples())
    status = FIELDS["status"]
    query = Customer.select(Customer.id, Customer.archive_no, Customer.name, Customer.mobile,
                            Customer.phone, Customer.level, Customer.status, Customer.owner,
                            Customer.last_contact_at).where(Customer.id.in_(ids)).tuples()
    found = {}
    for cid, archive_no, name, mobile, phone, level_id, status_key, owner_id, last in query:
        choice = status.choice(status_key)
        found[cid] = PoolRow(cid, archive_no, name or "", format_phone(mobile or phone),
                             codes.get(level_id, ""), choice.label if choice else "",
                             names.get(owner_id, ""), last.date() if last else None,
                             protection[cid].lapses_on)
    return [found[cid] for cid in ids if cid in found]


def pool(today: dt.date | None = None, limit: int = PAGE, offset: int = 0) -> PoolPage:
    """Customers in the public pool on ``today``, by archive number, a page at a time."""
    today = today or dt.date.today()
    where = in_pool(today)
    total = Customer.select().where(where).count()
    ids = [row[0] for row in Customer.select(Customer.id).where(where)
           .order_by(Customer.archive_no).limit(limit).offset(offset).tuples()]
    return PoolPage(total, _rows(ids))


def due_to_lapse(owner_id: int, today: dt.date | None = None) -> list[PoolRow]:
    """The owner's customers whose protection lapses within ``lapse_warning_days``, soonest first.

    They are still the owner's: a contact logged now keeps them.
    """
    today = today or dt.date.today()
    horizon = today + dt.timedelta(days=int(settings.get("lapse_warning_days")))
    ids = [row[0] for row in Customer.select(Customer.id).where(
        (Customer.owner == owner_id) & lapsed_by(horizon) & ~lapsed_by(today) & not_exempt()
    ).tuples()]
    rows = _rows(ids)
    return sorted(rows, key=lambda r: (r.lapses_on or dt.date.max, r.archive_no))


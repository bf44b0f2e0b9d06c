"""The public pool (公海) and the customers about to fall into it, as list rows.

The pool is worked out in SQL from the protection rule (crmdesk.services.protection), so it is
always current; a page of it is read at a time.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from crmdesk.models import Customer
from crmdesk.services.context import Actor
from crmdesk.services.glance import Glance, glances
from crmdesk.services.lapsing import lapsing_rows
from crmdesk.services.protection import in_pool
from crmdesk.services.visibility import Duty, require, searchable

PAGE = 500


@dataclass(frozen=True)
class PoolPage:
    """One page of the pool and how many customers it holds in all."""

    total: int
    rows: list[Glance]


def pool(actor: Actor | None, today: dt.date | None = None, limit: int = PAGE,
         offset: int = 0) -> PoolPage:
    """Customers in the public pool on ``today``, by archive number, a page at a time.

    Top-secret archives ``actor`` may not read are left out; their lapse is the manager's.
    """
    today = today or dt.date.today()
    where = in_pool(today)
    hidden = searchable(actor)
    if hidden is not None:
        where &= hidden
    total = Customer.select().where(where).count()
    ids = [row[0] for row in Customer.select(Customer.id).where(where)
           .order_by(Customer.archive_no).limit(limit).offset(offset).tuples()]
    return PoolPage(total, glances(ids, actor, today))


def due_to_lapse(owner_id: int, actor: Actor | None,
                 today: dt.date | None = None) -> list[Glance]:
    """The owner's customers whose protection lapses within ``lapse_warning_days``, soonest first.

    They are still the owner's: a contact logged now keeps them. Another owner's list is a
    manager's (PermissionDenied otherwise).
    """
    if actor is None or actor.staff_id != owner_id:
        require(actor, Duty.LIST_ALL_FOLLOW_UPS)
    today = today or dt.date.today()
    ids = [customer_id for customer_id, _owner in lapsing_rows(today, owner_id)]
    rows = glances(ids, actor, today)
    return sorted(rows, key=lambda r: (r.lapses_on or dt.date.max, r.archive_no))


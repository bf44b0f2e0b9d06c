"""Customers lapsed to the public pool, per salesperson, for the follow-up discipline.

Nothing records a lapse: protection is worked out from the archive (crmdesk.services.
protection). A customer counts for the owner who lost it, once:

- still theirs and in the pool: in the period holding its first day without protection (not
  protected the period's last day, or today for a period still running, and protected the day
  before the period);
- since taken from the pool by someone else (a claim, or a return after the lapse): in the
  period it was taken, the day the record of the change proves it was in the pool.
"""
from __future__ import annotations

import datetime as dt

import peewee

from crmdesk.models import Customer, OwnershipChange
from crmdesk.services.protection import lapsed_by, not_exempt
from crmdesk.services.statistics.counting import within
from crmdesk.services.statistics.periods import Period
from crmdesk.services.statistics.scope import Scope

TAKEN_FROM_POOL = ("claim", "return")


def _still_lapsed(period: Period, scope: Scope) -> peewee.Expression:
    """Customers still with their owner whose protection ended within ``period``."""
    last = min(period.end, dt.date.today())
    return (Customer.owner.is_null(False) & lapsed_by(last)
            & ~lapsed_by(period.start - dt.timedelta(days=1)) & not_exempt()
            & scope.read(Customer.id, Customer.owner))


def _taken(period: Period, scope: Scope) -> peewee.Expression:
    """Changes of owner within ``period`` that took a customer from the pool."""
    where = (within(OwnershipChange.at, period) & OwnershipChange.kind.in_(TAKEN_FROM_POOL)
             & OwnershipChange.from_staff.is_null(False)
             & scope.visible(OwnershipChange.customer))
    if scope.staff_id is not None:
        where &= OwnershipChange.from_staff == scope.staff_id
    return where


def lapsed_per_owner(period: Period, scope: Scope) -> dict[int, int]:
    """How many customers each salesperson lost to the pool within ``period``."""
    counts: dict[int, int] = {}
    still = (Customer.select(Customer.owner, peewee.fn.COUNT(Customer.id))
             .where(_still_lapsed(period, scope)).group_by(Customer.owner))
    taken = (OwnershipChange.select(OwnershipChange.from_staff,
                                    peewee.fn.COUNT(OwnershipChange.customer.distinct()))
             .where(_taken(period, scope)).group_by(OwnershipChange.from_staff))
    for query in (still, taken):
        for owner, customers in query.tuples():
            counts[owner] = counts.get(owner, 0) + customers
    return counts


def lapsed_customers(period: Period, scope: Scope, staff_id: int | None) -> peewee.Select:
    """The customers ``staff_id`` lost to the pool within ``period`` (a figure's drill)."""
    still = Customer.select(Customer.id).where(_still_lapsed(period, scope)
                                               & (Customer.owner == staff_id))
    taken = OwnershipChange.select(OwnershipChange.customer).where(
        _taken(period, scope) & (OwnershipChange.from_staff == staff_id))
    return Customer.select(Customer.id).where(Customer.id.in_(still) | Customer.id.in_(taken))

"""Owner protection (建档有效期): how long an archive stays with its owner before the pool.

An owner's protection runs ``protection_days`` (per level where set, else the office default,
60: the handbook's 客户建档有效期为2个月) from when they got the customer (registration, transfer,
claim or a return after a lapse; the archive's creation when no change is recorded). Where the
office renews protection with contacts (``protection_renewed_by_contact``), the owner's own
latest logged contact starts it again.
The customer is protected through the day ``start + N days`` and lapses the day after; a lapsed
customer, or one nobody owns, is in the public pool (公海). Customers with a deal may be exempt.

Nothing is stored: protection is worked out from the archive whenever it is asked for, so a
contact logged anywhere renews it at once.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import peewee

from crmdesk.i18n import _
from crmdesk.models import Communication, Customer, Level, OwnershipChange
from crmdesk.services import settings

# Statuses that count as a deal (成交, and after-sales, which follows one) for the exemption.
DEAL_STATUSES = ("deal", "after_sales")


@dataclass(frozen=True)
class Protection:
    """One archive's protection: from when it runs, its last protected day, exemption."""

    customer_id: int
    owner_id: int | None
    start: dt.datetime | None
    expires: dt.date | None
    exempt: bool

    def valid_on(self, day: dt.date) -> bool:
        """True when the owner is protected on ``day`` (exempt customers always are)."""
        if self.owner_id is None:
            return False
        return self.exempt or (self.expires is not None and day <= self.expires)

    @property
    def lapses_on(self) -> dt.date | None:
        """The first day without protection (None for exempt or unowned customers)."""
        if self.exempt or self.expires is None or self.owner_id is None:
            return None
        return self.expires + dt.timedelta(days=1)


def days_by_level() -> tuple[int, dict[int, int]]:
    """The default protection days, and the days of levels that differ from it (by level id)."""
    return _days_by_level(int(settings.get("protection_days")),
                          settings.get("protection_days_by_level") or {})


def _days_by_level(default: int, by_code: dict[str, int]) -> tuple[int, dict[int, int]]:
    if not by_code:  # every level keeps the default: no need to read the levels
        return default, {}
    special = {}
    for level_id, code in Level.select(Level.id, Level.code).tuples():
        days = by_code.get(code)
        if days is not None and int(days) != default:
            special[level_id] = int(days)
    return default, special


def renewed_by_contact() -> bool:
    """Whether the owner's contacts renew protection (the office's choice; off by default)."""
    return bool(settings.get("protection_renewed_by_contact"))


@dataclass(frozen=True)
class ProtectionRule:
    """The office's protection rule as its settings state it."""

    default_days: int
    days_by_level: dict[int, int]  # levels whose days differ from the default, by level id
    exempt_statuses: tuple[str, ...]
    renewed_by_contact: bool

    def describe(self) -> str:
        """The rule in one sentence, shown wherever protection is."""
        if self.renewed_by_contact:
            return _("Protection: {days} days from when the owner got the customer or their "
                     "latest contact with them.").format(days=self.default_days)
        return _("Protection: {days} days from when the owner got the customer; contacts do "
                 "not extend it.").format(days=self.default_days)


# The settings that make up the rule, for ``settings.get_many``.
RULE_SETTINGS = ("protection_days", "protection_days_by_level", "pool_exempt_deals",
                 "protection_renewed_by_contact")


def rule(stored: dict | None = None) -> ProtectionRule:
    """The office's protection rule from its settings (``stored``, read with
    ``settings.get_many(RULE_SETTINGS)`` when not given); the levels are read only when some
    level's days differ."""
    stored = stored or settings.get_many(RULE_SETTINGS)
    default, special = _days_by_level(int(stored["protection_days"]),
                                      stored["protection_days_by_level"] or {})
    return ProtectionRule(default, special,
                          DEAL_STATUSES if stored["pool_exempt_deals"] else (),
                          bool(stored["protection_renewed_by_contact"]))


def rule_in_force() -> str:
    """The office's protection rule in one sentence, shown wherever protection is."""
    return rule().describe()


def _exempt_statuses() -> tuple[str, ...]:
    return DEAL_STATUSES if settings.get("pool_exempt_deals") else ()


def owner_contacts(customer_ids: list[int]) -> dict[int, dt.datetime]:
    """The latest contact each customer's owner recorded with them (customers without one are
    left out)."""
    return dict(
        Communication.select(Communication.customer, peewee.fn.MAX(Communication.contacted_at))
        .join(Customer, on=(Communication.customer == Customer.id)
              & (Communication.recorded_by == Customer.owner))
        .where(Communication.customer.in_(customer_ids))
        .group_by(Communication.customer).tuples()
    )


def owner_contact_column() -> peewee.Node:
    """A column for a query of customers: ``owner_contacts`` of that customer (read it with
    ``owner_contact_from``), so a card is read in one statement with it."""
    return (Communication.select(Communication.contacted_at)
            .where((Communication.customer == Customer.id)
                   & (Communication.recorded_by == Customer.owner))
            .order_by(Communication.contacted_at.desc()).limit(1))


def owner_contact_from(read: Any) -> dt.datetime | None:
    """The owner's latest contact as ``owner_contact_column`` read it."""
    return Communication.contacted_at.python_value(read)


def protection_from(rule: ProtectionRule, customer_id: int, owner_id: int | None,
                    level_id: int | None, status: str | None, created: dt.datetime,
                    since: dt.datetime | None, owner_contact: dt.datetime | None) -> Protection:
    """The protection of one customer from its row, its latest ownership change (``since``)
    and its owner's latest contact (used only when contacts renew protection)."""
    marks = (created, since, owner_contact if rule.renewed_by_contact else None)
    start = max(m for m in marks if m)
    days = rule.days_by_level.get(level_id, rule.default_days)
    return Protection(customer_id, owner_id, start, start.date() + dt.timedelta(days=days),
                      status in rule.exempt_statuses)


def protection_of(customer_ids: list[int]) -> dict[int, Protection]:
    """The protection of each of these customers, read in three queries whatever their number."""
    if not customer_ids:
        return {}
    now = rule()
    since = dict(
        OwnershipChange.select(OwnershipChange.customer, peewee.fn.MAX(OwnershipChange.at))
        .where(OwnershipChange.customer.in_(customer_ids))
        .group_by(OwnershipChange.customer).tuples()
    )
    contacts = owner_contacts(customer_ids) if now.renewed_by_contact else {}
    query = Customer.select(Customer.id, Customer.owner, Customer.level, Customer.status,
                            Customer.created_at).where(Customer.id.in_(customer_ids)).tuples()
    return {cid: protection_from(now, cid, owner_id, level_id, status, created, since.get(cid),
                                 contacts.get(cid))
            for cid, owner_id, level_id, status, created in query}


def _owner_since() -> peewee.Node:
    latest = (OwnershipChange.select(peewee.fn.MAX(OwnershipChange.at))
              .where(OwnershipChange.customer == Customer.id))
    return peewee.fn.COALESCE(latest, Customer.created_at)


def _owner_contact() -> peewee.Node:
    return (Communication.select(peewee.fn.MAX(Communication.contacted_at))
            .where((Communication.customer == Customer.id)
                   & (Communication.recorded_by == Customer.owner)))


def _started_before(cut: dt.datetime) -> peewee.Expression:
    """Protection started before ``cut``: owned since before it (and, where contacts renew
    protection, no owner contact since)."""
    if not renewed_by_contact():
        return _owner_since() < cut
    # The owner's contacts are among all contacts, so a customer whose latest contact of all
    # came before the cut needs no look at the log (most of the pool, read straight from the
    # row). COALESCE keeps NULLs out: a NULL would drop the row from NOT(...) as well.
    recent_contact = ((peewee.fn.COALESCE(Customer.last_contact_at, Customer.created_at) >= cut)
                      & (peewee.fn.COALESCE(_owner_contact(), Customer.created_at) >= cut))
    return (_owner_since() < cut) & ~recent_contact


def lapsed_by(day: dt.date) -> peewee.Expression:
    """SQL for customers without protection on ``day`` (deal exemption not applied)."""
    default, special = days_by_level()
    by_days: dict[int, list[int]] = defaultdict(list)
    for level_id, days in special.items():
        by_days[days].append(level_id)

    def cut(days: int) -> dt.datetime:
        return dt.datetime.combine(day - dt.timedelta(days=days), dt.time())

    others = Customer.level.is_null() | Customer.level.not_in(list(special)) if special else None
    condition = _started_before(cut(default))
    if others is not None:
        condition = others & condition
    for days, level_ids in by_days.items():
        condition |= Customer.level.in_(level_ids) & _started_before(cut(days))
    return Customer.owner.is_null() | condition


def not_exempt() -> peewee.Expression:
    """SQL for customers the deal exemption does not keep out of the pool."""
    statuses = _exempt_statuses()
    if not statuses:
        return peewee.SQL("1 = 1")
    return Customer.status.is_null() | Customer.status.not_in(statuses)


def in_pool(day: dt.date) -> peewee.Expression:
    """SQL for the customers in the public pool on ``day``."""
    return lapsed_by(day) & not_exempt()

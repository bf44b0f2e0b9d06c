"""Who may see and do what: the office's rules, enforced here for every desk and command.

- front desk: searches everything it may see, but reads only archive no., name, masked mobile,
  owner, level and protection; registers visitors and creates new archives; prints registers.
- salesperson: full read and write of the customers they own; others' as the front desk sees.
- manager: every customer of the branch (but see 绝密), lists, reassignment, settings, audit,
  export and import.
- administrator: staff, roles, backups; reading customers needs the manager role too.
- 机密 (confidential): the owner and managers only. 绝密 (top secret): the owner and the people a
  manager names on the card; it does not even appear in other people's searches.

While an archive has no accounts yet (being set up), what is done without naming anyone is not
checked; a named member of staff is held to their roles from the start.
"""
from __future__ import annotations

from enum import Enum

import peewee

from crmdesk.i18n import _
from crmdesk.models import CardReader, Customer
from crmdesk.services.accounts import PermissionDenied, accounts_exist
from crmdesk.services.context import Actor

SECRET, CONFIDENTIAL = "secret", "confidential"


class Duty(Enum):
    """Things allowed by role alone, whatever the customer: (name, roles that may)."""

    REGISTER_VISITS = ("register_visits", ("frontdesk", "manager"))
    CREATE_CUSTOMER = ("create_customer", ("frontdesk", "sales", "manager"))
    PRINT_REGISTERS = ("print_registers", ("frontdesk", "manager"))
    LIST_ALL_FOLLOW_UPS = ("list_all_follow_ups", ("manager",))
    REASSIGN = ("reassign", ("manager",))
    EXPORT = ("export", ("manager",))
    IMPORT = ("import", ("manager",))
    BUSINESS_SETTINGS = ("business_settings", ("manager", "admin"))
    READ_AUDIT = ("read_audit", ("manager",))
    STAFF_ADMIN = ("staff_admin", ("admin",))
    BACKUP = ("backup", ("admin", "manager"))

    @property
    def roles(self) -> tuple[str, ...]:
        return self.value[1]


def unchecked(actor: Actor | None) -> bool:
    """True while the archive is being set up (no accounts): nothing is restricted yet."""
    return actor is None and not accounts_exist()


def _refuse() -> PermissionDenied:
    return PermissionDenied(_("You do not have permission to do this; ask a manager."))


def may(actor: Actor | None, duty: Duty) -> bool:
    """True when ``actor`` holds one of the roles ``duty`` needs."""
    if unchecked(actor):
        return True
    return actor is not None and any(role in actor.roles for role in duty.roles)


def require(actor: Actor | None, duty: Duty) -> None:
    """Raise PermissionDenied unless ``actor`` may carry out ``duty``."""
    if not may(actor, duty):
        raise _refuse()


def may_read(actor: Actor | None, customer_id: int, owner_id: int | None,
             confidentiality: str | None) -> bool:
    """True when ``actor`` may read (and so write) the full card of this customer."""
    return customer_id in readable_ids(actor, [(customer_id, owner_id, confidentiality)])


def require_card(actor: Actor | None, customer_id: int) -> None:
    """Raise PermissionDenied unless ``actor`` may read the full card of ``customer_id``."""
    row = Customer.select(Customer.owner, Customer.confidentiality).where(
        Customer.id == customer_id).tuples().first()
    if row is None or not may_read(actor, customer_id, row[0], row[1]):
        raise _refuse()


def searchable(actor: Actor | None) -> peewee.Expression | None:
    """The WHERE clause hiding top-secret archives from those who may not read them."""
    if unchecked(actor):
        return None
    if actor is None:
        return Customer.id < 0
    # "Not one of the few hidden ids" rather than a test of each customer's own mark and owner:
    # that test read every row of the table, where a sorted list otherwise reads only its sort
    # index (200,000 customers by name: 0.7 s instead of 0.06 s).
    readers = CardReader.select(CardReader.customer).where(CardReader.staff == actor.staff_id)
    secret = peewee.ModelAlias(Customer, "secret")
    hidden = secret.select(secret.id).where(
        (secret.confidentiality == SECRET)
        & (secret.owner.is_null() | (secret.owner != actor.staff_id))
        & secret.id.not_in(readers))
    return Customer.id.not_in(hidden)


def readable_ids(actor: Actor | None, rows: list[tuple[int, int | None, str | None]]) -> set[int]:
    """Of (id, owner, confidentiality) rows, the ids whose full card ``actor`` may read."""
    if unchecked(actor):
        return {row[0] for row in rows}
    if actor is None:
        return set()
    manager = "manager" in actor.roles
    secret_ids = [cid for cid, _owner, mark in rows if mark == SECRET]
    named = set()
    if secret_ids:
        named = {r[0] for r in CardReader.select(CardReader.customer).where(
            CardReader.customer.in_(secret_ids) & (CardReader.staff == actor.staff_id)).tuples()}
    readable = set()
    for cid, owner, mark in rows:
        if owner == actor.staff_id or cid in named or (manager and mark != SECRET):
            readable.add(cid)
    return readable


def own_only(actor: Actor | None) -> int | None:
    """The staff id a list must be limited to (salespeople see their own), or None for all."""
    if may(actor, Duty.LIST_ALL_FOLLOW_UPS) or actor is None:
        return None
    return actor.staff_id

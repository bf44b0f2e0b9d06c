"""Who may see and do what: the office's rules, enforced here for every desk and command.

- front desk: searches everything it may see; lists show archive no., name, masked mobile,
  owner, level and protection; opens (read-only) and prints the card of any customer it may see
  except 机密 and 绝密 ones; registers visitors and creates new archives; prints registers.
- salesperson: full read and write of the customers they own; prints their own overdue list.
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
    # Open (read-only) and print the card of an ordinary customer someone else owns.
    VIEW_CARDS = ("view_cards", ("frontdesk",))
    # Have customers to follow up: the follow-up and reminder lists are theirs.
    FOLLOW_UPS = ("follow_ups", ("sales", "manager"))
    # Print the overdue list one may see (a salesperson's: their own customers).
    PRINT_FOLLOW_UPS = ("print_follow_ups", ("sales", "manager"))
    LIST_ALL_FOLLOW_UPS = ("list_all_follow_ups", ("manager",))
    REASSIGN = ("reassign", ("manager",))
    EXPORT = ("export", ("manager",))
    # The second person who lets an export of marked cards or many archives be written.
    APPROVE_EXPORTS = ("approve_exports", ("manager", "admin"))
    IMPORT = ("import", ("manager",))
    BUSINESS_SETTINGS = ("business_settings", ("manager", "admin"))
    READ_AUDIT = ("read_audit", ("manager",))
    STAFF_ADMIN = ("staff_admin", ("admin",))
    BACKUP = ("backup", ("admin", "manager"))
    # Demo data, only into an empty archive (services.demo).
    LOAD_DEMO = ("load_demo", ("admin",))
    TAKE_COMPLAINTS = ("take_complaints", ("frontdesk", "manager"))
    ASSIGN_COMPLAINTS = ("assign_complaints", ("manager",))
    READ_OFFICE_STATISTICS = ("read_office_statistics", ("manager",))
    READ_OWN_STATISTICS = ("read_own_statistics", ("manager", "sales"))

    @property
    def roles(self) -> tuple[str, ...]:
        return self.value[1]


def unchecked(actor: Actor | None) -> bool:
    """True while the archive is being set up (no accounts): nothing is restricted yet."""
    return actor is None and not accounts_exist()


def may(actor: Actor | None, duty: Duty) -> bool:
    """True when ``actor`` holds one of the roles ``duty`` needs."""
    if unchecked(actor):
        return True
    return actor is not None and any(role in actor.roles for role in duty.roles)


def require(actor: Actor | None, duty: Duty) -> None:
    """Raise PermissionDenied, naming who may, unless ``actor`` may carry out ``duty``."""
    if not may(actor, duty):
        from crmdesk.services.permissions import duty_refusal

        raise duty_refusal(actor, duty)


def may_read(actor: Actor | None, customer_id: int, owner_id: int | None,
             confidentiality: str | None) -> bool:
    """True when ``actor`` may read (and so write) the full card of this customer."""
    return customer_id in readable_ids(actor, [(customer_id, owner_id, confidentiality)])


def refusal(confidentiality: str | None) -> str:
    """Why a card may not be opened, naming its confidentiality mark when it has one."""
    if confidentiality == SECRET:
        return _("This archive is marked 绝密 (top secret): only its owner and the people a "
                 "manager named may open it.")
    if confidentiality == CONFIDENTIAL:
        return _("This archive is marked 机密 (confidential): only its owner and managers may "
                 "open it.")
    return _("This is another salesperson's customer: only its owner and managers may open "
             "the card.")


def _mark(customer_id: int) -> tuple[int | None, str | None] | None:
    return Customer.select(Customer.owner, Customer.confidentiality).where(
        Customer.id == customer_id).tuples().first()


def require_card(actor: Actor | None, customer_id: int) -> None:
    """Raise PermissionDenied unless ``actor`` may read (and so write) the full card."""
    row = _mark(customer_id)
    if row is None or not may_read(actor, customer_id, row[0], row[1]):
        raise PermissionDenied(refusal(row[1] if row else None))


def may_view(actor: Actor | None, customer_id: int, owner_id: int | None,
             confidentiality: str | None) -> bool:
    """True when ``actor`` may open (at least read-only) and print this customer's card."""
    if confidentiality not in (SECRET, CONFIDENTIAL) and may(actor, Duty.VIEW_CARDS):
        return True
    return may_read(actor, customer_id, owner_id, confidentiality)


def require_view(actor: Actor | None, customer_id: int) -> None:
    """Raise PermissionDenied (naming the card's mark) unless ``actor`` may view the card."""
    row = _mark(customer_id)
    if row is None or not may_view(actor, customer_id, row[0], row[1]):
        raise PermissionDenied(refusal(row[1] if row else None))


def closed_marks(actor: Actor | None, rows: list[tuple[int, int | None, str | None]]
                 ) -> dict[int, str]:
    """Of (id, owner, confidentiality) rows, the 机密/绝密 ones ``actor`` may not open: id -> mark.

    Lists show these rows marked, so nobody opens a card only to be refused.
    """
    marked = [row for row in rows if row[2] in (SECRET, CONFIDENTIAL)]
    readable = readable_ids(actor, marked) if marked else set()
    return {cid: mark for cid, _owner, mark in marked if cid not in readable}


def closed_marks_of(actor: Actor | None, ids: list[int]) -> dict[int, str]:
    """``closed_marks`` for customers by id (a page of a list)."""
    if not ids:
        return {}
    rows = Customer.select(Customer.id, Customer.owner, Customer.confidentiality).where(
        Customer.id.in_(ids) & Customer.confidentiality.in_((SECRET, CONFIDENTIAL))).tuples()
    return closed_marks(actor, list(rows))


def searchable(actor: Actor | None) -> peewee.Expression | None:
    """The WHERE clause hiding top-secret archives from those who may not read them."""
    if unchecked(actor):
        return None
    if actor is None:
        return Customer.id < 0
    # "Not one of the few hidden ids" rather than a test of each customer's own mark and owner:
    # that test read every row of the table, where a sorted list otherwise reads only its sort
    # index (200,000 customers by name: 0.7 s instead of 0.06 s).
    return Customer.id.not_in(hidden_archives(actor))


def hidden_archives(actor: Actor) -> peewee.Select:
    """The ids of the top-secret archives the member of staff ``actor`` may not read.

    They are few: a count subtracts those among what it counted (see services.followup)
    instead of testing every counted customer against them.
    """
    secret = peewee.ModelAlias(Customer, "secret")
    return secret.select(secret.id).where(
        (secret.confidentiality == SECRET)
        & (secret.owner.is_null() | (secret.owner != actor.staff_id))
        & secret.id.not_in(granted_archives(actor)))


def granted_archives(actor: Actor) -> peewee.Select:
    """The ids of the archives ``actor`` was named a reader of, the grant still in force."""
    return CardReader.select(CardReader.customer).where(
        (CardReader.staff == actor.staff_id) & CardReader.in_force())


def readable_ids(actor: Actor | None, rows: list[tuple[int, int | None, str | None]]) -> set[int]:
    """Of (id, owner, confidentiality) rows, the ids whose full card ``actor`` may read."""
    if unchecked(actor):
        return {row[0] for row in rows}
    if actor is None:
        return set()
    manager = "manager" in actor.roles
    readable = {cid for cid, owner, mark in rows
                if owner == actor.staff_id or (manager and mark != SECRET)}
    # The rest only as a named reader whose grant is in force (a manager's naming of a 绝密
    # card's readers, or an approved request to read any card).
    others = [cid for cid, _owner, _mark in rows if cid not in readable]
    if others:
        readable |= {r[0] for r in CardReader.select(CardReader.customer).where(
            CardReader.customer.in_(others) & (CardReader.staff == actor.staff_id)
            & CardReader.in_force()).tuples()}
    return readable


def readable_among_found(actor: Actor | None) -> peewee.Expression | None:
    """The WHERE clause that keeps, of the customers a search finds (``searchable``), those
    whose full card ``actor`` may read (the rule of ``readable_ids``, in SQL); None when the
    search finds nothing else (a manager reads every card the search shows them)."""
    if unchecked(actor) or (actor is not None and "manager" in actor.roles):
        return None
    if actor is None:
        return Customer.id < 0
    return (Customer.owner == actor.staff_id) | Customer.id.in_(granted_archives(actor))


def own_only(actor: Actor | None) -> int | None:
    """The staff id a list must be limited to (salespeople see their own), or None for all."""
    if may(actor, Duty.LIST_ALL_FOLLOW_UPS) or actor is None:
        return None
    return actor.staff_id

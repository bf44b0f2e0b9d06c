"""Whose numbers a report counts: a manager sees the office (or one salesperson), anyone else
who sells sees their own. Top-secret archives the reader may not read are left out of every
count, as they are left out of every search."""
from __future__ import annotations

from dataclasses import dataclass

import peewee

from crmdesk.i18n import _
from crmdesk.models import CardReader, Customer
from crmdesk.services import visibility
from crmdesk.services.accounts import PermissionDenied
from crmdesk.services.context import Actor
from crmdesk.services.staff import staff_names
from crmdesk.services.visibility import SECRET, Duty


@dataclass(frozen=True)
class Scope:
    """``staff_id``: only this salesperson's records (None: the office); ``hidden``: archives
    left out."""

    staff_id: int | None
    hidden: frozenset[int]

    def text(self) -> str:
        if self.staff_id is None:
            return _("The whole office")
        return staff_names().get(self.staff_id, "")

    def counts(self, customer_id: int | None) -> bool:
        """True unless the record belongs to a hidden archive."""
        return customer_id is None or customer_id not in self.hidden

    def read(self, customer: peewee.Node, staff: peewee.Node) -> peewee.Node:
        """A condition keeping the rows the scope counts: not of a hidden archive (by their
        ``customer`` column), and of its salesperson (by ``staff``) when it has one."""
        if self.staff_id is None:
            return self.visible(customer)
        return self.visible(customer) & (staff == self.staff_id)

    def visible(self, customer: peewee.Node) -> peewee.Node:
        """A condition keeping the rows whose ``customer`` column is not a hidden archive."""
        if not self.hidden:
            return peewee.SQL("1 = 1")
        return customer.is_null() | customer.not_in(sorted(self.hidden))


def _hidden(actor: Actor | None) -> frozenset[int]:
    if visibility.unchecked(actor):
        return frozenset()
    staff_id = actor.staff_id if actor else -1
    named = CardReader.select(CardReader.customer).where(
        (CardReader.staff == staff_id) & CardReader.in_force())
    rows = Customer.select(Customer.id).where(
        (Customer.confidentiality == SECRET)
        & (Customer.owner.is_null() | (Customer.owner != staff_id))
        & Customer.id.not_in(named)).tuples()
    return frozenset(row[0] for row in rows)


def scope_for(actor: Actor | None, staff_id: int | None = None) -> Scope:
    """The scope ``actor`` may read, narrowed to ``staff_id`` when given.

    Raises:
        PermissionDenied: ``actor`` neither manages nor sells, or asks for a colleague.
    """
    if visibility.may(actor, Duty.READ_OFFICE_STATISTICS):
        return Scope(staff_id, _hidden(actor))
    if not visibility.may(actor, Duty.READ_OWN_STATISTICS) or actor is None or (
            staff_id is not None and staff_id != actor.staff_id):
        raise PermissionDenied(_("You may read the statistics of your own customers only; "
                                 "the office's are for managers."))
    return Scope(actor.staff_id, _hidden(actor))

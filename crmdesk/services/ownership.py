"""Whose customer is it: the ownership history, the manager's transfer and claims from the pool.

Every change of owner made here is kept as an OwnershipChange (who, when, from, to, why) and
audited in the same transaction; the archive's version goes up, so a card open at another desk
is not saved over the new owner.
"""
from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

import peewee

from crmdesk.errors import CrmError, NotFoundError, Problem, ValidationError
from crmdesk.i18n import N_, _
from crmdesk.models import ArchiveAlias, Customer, OwnershipChange, Staff
from crmdesk.models.db import database
from crmdesk.models.gathered import model_rows, model_rows_column
from crmdesk.models.locks import Subject, hold
from crmdesk.services import audit, duplicate_rule, notices, settings, visibility
from crmdesk.services.context import Actor
from crmdesk.services.protection import protection_of
from crmdesk.services.staff import staff_names

KIND_TITLES = {
    "registration": N_("First registration"),
    "transfer": N_("Handed over by a manager"),
    "claim": N_("Claimed from the pool"),
    "return": N_("Received on a return after protection lapsed"),
}


class OwnershipRefused(CrmError):
    """A transfer or claim the rules do not allow; the message says which rule."""


@dataclass(frozen=True)
class OwnershipRow:
    """One line of an archive's ownership history, names resolved."""

    at: dt.datetime
    kind: str
    from_name: str
    to_name: str
    by_name: str
    reason: str

    @property
    def kind_label(self) -> str:
        return _(KIND_TITLES.get(self.kind, self.kind))


def record_registration(customer_id: int, owner_id: int, actor: Actor | None,
                        at: dt.datetime) -> None:
    """Keep the first registration of a new archive as the start of its ownership history."""
    OwnershipChange.create(customer=customer_id, at=at, kind="registration", to_staff=owner_id,
                           by=actor.staff_id if actor else None, reason="")


def record_change(customer_id: int, to_staff_id: int | None, kind: str, reason: str,
                  actor: Actor | None) -> None:
    """Give ``customer_id`` to ``to_staff_id`` and keep the change. Call inside a transaction."""
    at = dt.datetime.now().replace(microsecond=0)
    owner_id = Customer.select(Customer.owner).where(Customer.id == customer_id).scalar()
    OwnershipChange.create(customer=customer_id, at=at, kind=kind, from_staff=owner_id,
                           to_staff=to_staff_id, by=actor.staff_id if actor else None,
                           reason=reason)
    Customer.update(owner=to_staff_id, version=Customer.version + 1, updated_at=at).where(
        Customer.id == customer_id).execute()
    audit.record(actor, f"ownership_{kind}", customer_id, old=owner_id, new=to_staff_id,
                 reason=reason)


def ownership_history(customer_id: int) -> list[OwnershipRow]:
    """Every owner the archive had, earliest first, starting with its registration.

    Archives registered before the front desk kept history (or created on the card) show their
    registration from the archive itself: its creation time, who registered it, its first owner.
    """
    customer = Customer.get_or_none(Customer.id == customer_id)
    if customer is None:
        raise NotFoundError(_("No customer with id {id}.").format(id=customer_id))
    return history_rows(changes_of(customer_id), customer.created_at, customer.owner_id,
                        customer.registered_by_id, staff_names())


def changes_of(customer_id: int) -> list[OwnershipChange]:
    """The archive's recorded ownership changes, earliest first."""
    return list(OwnershipChange.select().where(OwnershipChange.customer == customer_id)
                .order_by(OwnershipChange.at, OwnershipChange.id))


def changes_column() -> peewee.Node:
    """A column for a query of customers: that archive's ownership changes as JSON, so a card
    is read in one statement with them (see ``changes_from``)."""
    return model_rows_column(OwnershipChange, OwnershipChange.customer == Customer.id)


def changes_from(gathered: str | None) -> list[OwnershipChange]:
    """``changes_of`` from the changes ``changes_column`` gathered."""
    return sorted(model_rows(OwnershipChange, gathered), key=lambda c: (c.at, c.id))


def history_rows(changes: list[OwnershipChange], created_at: dt.datetime, owner_id: int | None,
                 registered_by_id: int | None, names: dict[int, str]) -> list[OwnershipRow]:
    """The history lines of an archive created at ``created_at`` from its recorded
    ``changes``, names resolved with ``names``."""
    rows = [OwnershipRow(c.at, c.kind, names.get(c.from_staff_id, ""),
                         names.get(c.to_staff_id, ""), names.get(c.by_id, ""), c.reason)
            for c in changes]
    if not changes or changes[0].kind != "registration":
        first_owner = changes[0].from_staff_id if changes else owner_id
        rows.insert(0, OwnershipRow(created_at, "registration", "", names.get(first_owner, ""),
                                    names.get(registered_by_id, ""), ""))
    return rows


def _active_staff(staff_id: int) -> Staff:
    staff = Staff.get_or_none(Staff.id == staff_id)
    if staff is None or not staff.active:
        raise NotFoundError(_("No active member of staff with id {id}.").format(id=staff_id))
    return staff


def transfer(customer_ids: list[int], to_staff_id: int, reason: str,
             actor: Actor | None) -> int:
    """Hand customers to another salesperson (调离交接), the reason kept on each card.

    Returns how many customers changed owner (those already with ``to_staff_id`` are left).

    Raises:
        PermissionDenied: the actor is not a manager.
        ValidationError: no reason given.
        NotFoundError: the salesperson or a customer does not exist.
    """
    visibility.require(actor, visibility.Duty.REASSIGN)
    if not reason.strip():
        raise ValidationError([Problem("reason", _("Reason"), _("required"))])
    _active_staff(to_staff_id)
    owners = dict(Customer.select(Customer.id, Customer.owner).where(
        Customer.id.in_(customer_ids)).tuples())
    missing = [cid for cid in customer_ids if cid not in owners]
    if missing:
        raise NotFoundError(_("No customer with id {id}.").format(id=missing[0]))
    moved: list[int] = []
    with database.atomic():
        for cid in sorted(set(customer_ids)):
            hold(Subject.CUSTOMER, cid)
        for cid in dict.fromkeys(customer_ids):
            if owners[cid] != to_staff_id:
                record_change(cid, to_staff_id, "transfer", reason.strip(), actor)
                moved.append(cid)
        if moved and (actor is None or actor.staff_id != to_staff_id):
            # The new owner hears of it at once (or at their next login).
            notices.send(to_staff_id, "transfer", actor,
                         moved[0] if len(moved) == 1 else None, count=len(moved),
                         note=reason.strip())
    return len(moved)


def customer_id_of(archive_no: str) -> int:
    """The id of the archive numbered ``archive_no`` (KH2026000123, any case); a number merged
    away finds the archive it was merged into.

    Raises:
        NotFoundError: no archive has that number.
    """
    found = Customer.select(Customer.id).where(
        Customer.archive_no == archive_no.strip().upper()).scalar()
    if found is None:
        found = ArchiveAlias.select(ArchiveAlias.customer).where(
            ArchiveAlias.archive_no == archive_no.strip().upper()).scalar()
    if found is None:
        raise NotFoundError(_("no archive numbered {no}").format(no=archive_no.strip()))
    return found


# How a leaver's customers are shared out: in archive order, one each in turn; or by random draw
# (随机抽数), each colleague still getting an equal share.
SPLITS = ("evenly", "draw")


def hand_over(from_staff_id: int, to_staff_ids: list[int], split: str, reason: str,
              actor: Actor | None) -> int:
    """Share every customer of a salesperson who leaves or goes on long leave among colleagues
    (调离交接, 区分准则 12), in one transaction; returns how many changed owner.

    Raises:
        PermissionDenied: the actor is not a manager.
        ValidationError: no reason, an unknown split, or no colleague other than the leaver.
        NotFoundError: a colleague is not an active member of staff.
    """
    visibility.require(actor, visibility.Duty.REASSIGN)
    receivers = list(dict.fromkeys(to_staff_ids))
    if split not in SPLITS:
        raise ValidationError([Problem("split", _("Split"), _(
            "not one of the choices: {value}").format(value=split))])
    if not receivers or from_staff_id in receivers:
        raise ValidationError([Problem("to", _("Colleagues"), _(
            "name at least one colleague other than the one handing over"))])
    ids = sorted(customers_of(from_staff_id))
    if split == "draw":
        draw = random.SystemRandom()
        draw.shuffle(ids)
        draw.shuffle(receivers)
    moved = 0
    with database.atomic():
        for i, receiver in enumerate(receivers):
            moved += transfer(ids[i::len(receivers)], receiver, reason, actor)
    return moved


def customers_of(staff_id: int) -> list[int]:
    """Ids of every customer ``staff_id`` owns (for handing them all over)."""
    return [row[0] for row in Customer.select(Customer.id).where(
        Customer.owner == staff_id).order_by(Customer.id).tuples()]


def _reclaim_day(customer_id: int, staff_id: int, lapsed_on: dt.date | None) -> dt.date | None:
    """The first day ``staff_id`` may claim the customer back, or None if they never owned it.

    A previous owner waits ``reclaim_wait_days`` from the day the customer left them: the day
    their protection lapsed, or the day it was transferred or claimed away.
    """
    wait = dt.timedelta(days=int(settings.get("reclaim_wait_days")))
    current_owner = Customer.select(Customer.owner).where(Customer.id == customer_id).scalar()
    if current_owner == staff_id:
        return lapsed_on + wait if lapsed_on else None
    lost = (OwnershipChange.select(OwnershipChange.at)
            .where((OwnershipChange.customer == customer_id)
                   & (OwnershipChange.from_staff == staff_id))
            .order_by(OwnershipChange.at.desc()).scalar())
    return lost.date() + wait if lost else None


def claim(customer_id: int, actor: Actor | None, today: dt.date | None = None) -> None:
    """Take a customer from the public pool (公海) as its new owner.

    Raises:
        PermissionDenied: the actor does not sell, or the archive is marked 机密/绝密 and is
            not theirs to read (such archives change hands by a manager's transfer).
        OwnershipRefused: the customer is still protected or exempt, the actor is at their
            cap of owned customers, or they owned it and their waiting time is not over.
    """
    from crmdesk.services.permissions import CLAIM_CARD, require_card_rule

    if actor is None:
        raise OwnershipRefused(_("Only salespeople claim customers from the pool."))
    require_card_rule(actor, CLAIM_CARD, customer_id)
    today = today or dt.date.today()
    with database.atomic():
        # A colleague claiming the same customer at the same moment waits here, then finds
        # it owned and is told by whom.
        hold(Subject.CUSTOMER, customer_id)
        protection = protection_of([customer_id]).get(customer_id)
        if protection is None:
            raise NotFoundError(_("No customer with id {id}.").format(id=customer_id))
        if protection.valid_on(today) or (protection.exempt and protection.owner_id):
            raise OwnershipRefused(_("This customer is not in the pool: {owner} owns it and is "
                                     "still protected.").format(
                                         owner=staff_names().get(protection.owner_id, "")))
        cap = settings.get("pool_claim_cap")
        owned = Customer.select().where(Customer.owner == actor.staff_id).count()
        if cap is not None and owned >= int(cap):
            raise OwnershipRefused(_("You already own {n} customers, the most anyone may own "
                                     "(the pool's cap).").format(n=owned))
        allowed = _reclaim_day(customer_id, actor.staff_id, protection.lapses_on)
        if allowed is not None and today < allowed:
            raise OwnershipRefused(_("You owned this customer before: you may claim it again "
                                     "from {day}.").format(day=allowed.isoformat()))
        twin = duplicate_rule.protected_twin(customer_id, actor.staff_id, today)
        if twin is not None:
            raise OwnershipRefused(_("This customer very likely has another archive, {no}, "
                                     "which {owner} owns and is still protected: ask the "
                                     "manager to merge them.").format(
                                         no=twin[0].archive_no,
                                         owner=staff_names().get(twin[1], "")))
        record_change(customer_id, actor.staff_id, "claim", "", actor)

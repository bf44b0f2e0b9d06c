"""New cards put to the manager for review and sign-off (审核签字确认), with a monthly list.

Whoever keeps a card may put it up for review; a manager signs it off with a remark. The monthly
check list is every card put up that month, signed or still waiting.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import peewee

from crmdesk.errors import CrmError, NotFoundError, ValidationError
from crmdesk.i18n import _
from crmdesk.models import CardReview, Customer, Staff
from crmdesk.models.db import database
from crmdesk.services import audit, visibility
from crmdesk.services.context import Actor
from crmdesk.services.typed_text import LINE_MAX, text_problems


class ReviewRefused(CrmError):
    """The card is already up for review, or already signed off."""


@dataclass(frozen=True)
class ReviewRow:
    """One line of the monthly check list; ``name`` is withheld where the card is closed."""

    customer_id: int
    archive_no: str
    name: str
    owner: str
    marked_by: str
    marked_at: dt.datetime
    signed_by: str
    signed_at: dt.datetime | None
    remark: str


def put_up(customer_id: int, actor: Actor | None) -> None:
    """Put the card up for a manager's review and sign-off.

    Raises:
        PermissionDenied: ``actor`` may not write this card.
        ReviewRefused: the card is already up for review or signed off.
    """
    visibility.require_card(actor, customer_id)
    with database.atomic():
        if CardReview.select().where(CardReview.customer == customer_id).exists():
            raise ReviewRefused(_("This card is already up for review or signed off."))
        CardReview.create(customer=customer_id, marked_by=actor.staff_id if actor else None,
                          marked_at=dt.datetime.now().replace(microsecond=0))
        audit.record(actor, "review_put_up", customer_id)


def sign_off(customer_id: int, actor: Actor | None, remark: str = "") -> None:
    """Sign the card off as reviewed (managers).

    Raises:
        PermissionDenied: the actor is not a manager.
        NotFoundError: the card is not waiting for review.
        ValidationError: the remark is too long.
    """
    visibility.require(actor, visibility.Duty.REASSIGN)
    problems = text_problems(("remark", _("Remark"), remark, LINE_MAX))
    if problems:
        raise ValidationError(problems)
    with database.atomic():
        waiting = CardReview.update(
            signed_by=actor.staff_id if actor else None,
            signed_at=dt.datetime.now().replace(microsecond=0), remark=remark.strip() or None,
        ).where((CardReview.customer == customer_id) & CardReview.signed_at.is_null()).execute()
        if not waiting:
            raise NotFoundError(_("This card is not waiting for review."))
        audit.record(actor, "review_signed", customer_id, remark=remark.strip())


def monthly_list(month: dt.date, actor: Actor | None) -> list[ReviewRow]:
    """Every card put up for review in the month of ``month`` (managers), oldest first."""
    visibility.require(actor, visibility.Duty.REASSIGN)
    start = dt.datetime(month.year, month.month, 1)
    end = dt.datetime(month.year + month.month // 12, month.month % 12 + 1, 1)
    owner, marker, signer = Staff.alias(), Staff.alias(), Staff.alias()
    query = (CardReview.select(Customer.id, Customer.archive_no, Customer.name, Customer.owner,
                               Customer.confidentiality, owner.name, marker.name,
                               CardReview.marked_at, signer.name, CardReview.signed_at,
                               CardReview.remark)
             .join_from(CardReview, Customer)
             .join_from(Customer, owner, on=(Customer.owner == owner.id),
                        join_type=peewee.JOIN.LEFT_OUTER)
             .join_from(CardReview, marker, on=(CardReview.marked_by == marker.id),
                        join_type=peewee.JOIN.LEFT_OUTER)
             .join_from(CardReview, signer, on=(CardReview.signed_by == signer.id),
                        join_type=peewee.JOIN.LEFT_OUTER)
             .where((CardReview.marked_at >= start) & (CardReview.marked_at < end))
             .order_by(CardReview.marked_at, CardReview.id).tuples())
    found = list(query)
    closed = visibility.closed_marks(actor, [(r[0], r[3], r[4]) for r in found])
    return [ReviewRow(r[0], r[1], _("(name withheld)") if r[0] in closed else r[2],
                      r[5] or "", r[6] or "", r[7], r[8] or "", r[9], r[10] or "")
            for r in found]

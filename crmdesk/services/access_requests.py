"""Requests to read a card one may not (申请查阅): asked with a purpose and a reason, answered by
a manager for a period, lapsing by themselves.

An approved request names the requester as a reader of the card through the day given
(crmdesk.models.access.CardReader.until); the visibility rules honour the grant only while it is
in force, so nobody has to remember to take it back. Every opening of the card is audited as
any other, and the request and its answer are audited too.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from crmdesk.errors import CrmError, NotFoundError, Problem, ValidationError
from crmdesk.i18n import N_, _
from crmdesk.models import AccessRequest, CardReader, Customer, Staff
from crmdesk.models.db import database
from crmdesk.services import audit, notices, visibility
from crmdesk.services.context import Actor
from crmdesk.services.typed_text import LINE_MAX, text_problems

# The longest a grant may run; a card needed for longer should change hands instead.
LONGEST_GRANT = dt.timedelta(days=90)
STATE_TITLES = {"pending": N_("Waiting for a manager"), "approved": N_("Approved"),
                "refused": N_("Refused"), "withdrawn": N_("Withdrawn"),
                "lapsed": N_("Lapsed")}


class RequestRefused(CrmError):
    """The request is not needed (the card is already readable) or no longer open."""


@dataclass(frozen=True)
class RequestRow:
    """A request as the manager's list and the requester see it."""

    id: int
    customer_id: int
    archive_no: str
    requester: str
    purpose: str
    reason: str
    requested_at: dt.datetime
    state: str
    until: dt.date | None

    @property
    def state_label(self) -> str:
        return _(STATE_TITLES[self.state])


def request(customer_id: int, purpose: str, reason: str, actor: Actor) -> int:
    """Ask to read a card ``actor`` may not; every manager is told. Returns the request's id.

    Raises:
        NotFoundError: no such archive.
        RequestRefused: ``actor`` may already read the card, or has a request waiting.
        ValidationError: purpose or reason missing or too long.
    """
    row = Customer.select(Customer.owner, Customer.confidentiality).where(
        Customer.id == customer_id).tuples().first()
    if row is None:
        raise NotFoundError(_("No customer with id {id}.").format(id=customer_id))
    if visibility.may_read(actor, customer_id, row[0], row[1]):
        raise RequestRefused(_("You may already read this card."))
    problems = text_problems(("purpose", _("Purpose"), purpose, LINE_MAX),
                             ("reason", _("Reason"), reason, LINE_MAX))
    for field, label, text in (("purpose", _("Purpose"), purpose),
                               ("reason", _("Reason"), reason)):
        if not text.strip():
            problems.append(Problem(field, label, _("required")))
    if problems:
        raise ValidationError(problems)
    with database.atomic():
        if AccessRequest.select().where(
                (AccessRequest.customer == customer_id) & (AccessRequest.state == "pending")
                & (AccessRequest.requester == actor.staff_id)).exists():
            raise RequestRefused(_("Your request to read this card is already waiting."))
        made = AccessRequest.create(customer=customer_id, requester=actor.staff_id,
                                    purpose=purpose.strip(), reason=reason.strip(),
                                    requested_at=dt.datetime.now().replace(microsecond=0))
        for (manager_id,) in Staff.select(Staff.id).where(
                Staff.active & Staff.roles.contains("manager")).tuples():
            if manager_id != actor.staff_id:
                notices.send(manager_id, "access_request", actor, customer_id,
                             note=purpose.strip()[:LINE_MAX])
        audit.record(actor, "access_request", customer_id, request=made.id,
                     purpose=purpose.strip(), reason=reason.strip())
    return made.id


def decide(request_id: int, approve: bool, actor: Actor | None,
           until: dt.date | None = None) -> None:
    """Approve (a reader through ``until``) or refuse a waiting request; the requester is told.

    Raises:
        PermissionDenied: the actor is not a manager.
        NotFoundError: no such request waiting.
        ValidationError: an approval without an end day, or one past today or too far ahead.
    """
    visibility.require(actor, visibility.Duty.REASSIGN)
    today = dt.date.today()
    if approve and (until is None or until < today or until > today + LONGEST_GRANT):
        raise ValidationError([Problem("until", _("Until"), _(
            "name the last day, from today to {days} days ahead").format(
                days=LONGEST_GRANT.days))])
    with database.atomic():
        waiting = AccessRequest.get_or_none((AccessRequest.id == request_id)
                                            & (AccessRequest.state == "pending"))
        if waiting is None:
            raise NotFoundError(_("No request {id} is waiting.").format(id=request_id))
        AccessRequest.update(state="approved" if approve else "refused",
                             decided_by=actor.staff_id if actor else None,
                             decided_at=dt.datetime.now().replace(microsecond=0),
                             until=until if approve else None).where(
            AccessRequest.id == request_id).execute()
        if approve:
            CardReader.insert(customer=waiting.customer_id, staff=waiting.requester_id,
                              until=until).on_conflict(
                conflict_target=[CardReader.customer, CardReader.staff],
                update={CardReader.until: until}).execute()
        notices.send(waiting.requester_id, "access_answer", actor, waiting.customer_id,
                     note=_("approved through {day}").format(day=until) if approve
                     else _("refused"))
        audit.record(actor, "access_decision", waiting.customer_id, request=request_id,
                     approved=approve, until=until)


def requests(actor: Actor, pending_only: bool = False,
             today: dt.date | None = None) -> list[RequestRow]:
    """Requests newest first: every one for a manager, one's own otherwise."""
    today = today or dt.date.today()
    query = (AccessRequest.select(AccessRequest.id, AccessRequest.customer, Customer.archive_no,
                                  Staff.name, AccessRequest.purpose, AccessRequest.reason,
                                  AccessRequest.requested_at, AccessRequest.state,
                                  AccessRequest.until)
             .join_from(AccessRequest, Customer)
             .join_from(AccessRequest, Staff, on=(AccessRequest.requester == Staff.id))
             .order_by(AccessRequest.requested_at.desc(), AccessRequest.id.desc()))
    if not visibility.may(actor, visibility.Duty.REASSIGN):
        query = query.where(AccessRequest.requester == actor.staff_id)
    if pending_only:
        query = query.where(AccessRequest.state == "pending")
    return [RequestRow(*row[:7], "lapsed" if row[7] == "approved" and row[8] < today
                       else row[7], row[8]) for row in query.tuples()]

"""Complaints on a customer's card (客户投诉记录表): received, handled step by step, closed.

Who may do what:
- record a complaint: whoever may read the card, and the front desk (complaints arrive at
  reception, by phone or in person), which does not thereby read the card;
- see a card's complaints: whoever may read the card, and a complaint's handler;
- hand a complaint to a handler: managers; the handler is sent a notice;
- add handling steps and close: the handler, and whoever may read the card while nobody
  handles it; managers always.
Every change is audited (so other desks refresh). An open complaint past its due date is on the
manager's list and its handler is told once a day.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import peewee

from crmdesk.errors import NotFoundError, Problem, ValidationError
from crmdesk.i18n import _
from crmdesk.models import Complaint, ComplaintStep, Customer, Staff
from crmdesk.models.card import SATISFACTION, Choice
from crmdesk.models.complaints import CATEGORIES, CHANNELS, SEVERITIES
from crmdesk.models.db import database
from crmdesk.services import audit, notices, visibility
from crmdesk.services.accounts import PermissionDenied
from crmdesk.services.context import Actor
from crmdesk.services.staff import staff_names
from crmdesk.services.visibility import Duty

# Days until the customer is to have an answer, unless the form says otherwise.
ANSWER_DAYS = {"general": 3, "major": 1}


def label(choices: tuple[Choice, ...], key: str | None) -> str:
    """The label of ``key`` among ``choices`` (the key itself when unknown)."""
    choice = next((c for c in choices if c.key == key), None)
    return choice.label if choice else (key or "")


@dataclass(frozen=True)
class NewComplaint:
    """A complaint as received."""

    received_at: dt.datetime
    channel: str
    content: str
    category: str
    severity: str = "general"
    handler_id: int | None = None
    due_on: dt.date | None = None


@dataclass(frozen=True)
class StepRow:
    """One handling step."""

    seq: int
    done_on: dt.date
    action: str
    done_by: str


@dataclass(frozen=True)
class ComplaintRow:
    """A complaint as its readers see it, names resolved, keys kept (labels via ``label``)."""

    id: int
    customer_id: int
    archive_no: str
    customer_name: str
    received_at: dt.datetime
    channel: str
    taken_by: str
    content: str
    category: str
    severity: str
    handler_id: int | None
    handler: str
    due_on: dt.date | None
    result: str
    satisfaction: str
    closed_on: dt.date | None
    steps: tuple[StepRow, ...] = ()

    def overdue(self, as_of: dt.date) -> bool:
        """Still open after the day it was due."""
        return self.closed_on is None and self.due_on is not None and self.due_on < as_of

    @property
    def handling_days(self) -> int | None:
        """Days from receipt to closing (None while open)."""
        return (self.closed_on - self.received_at.date()).days if self.closed_on else None


def _problem(field: str, title: str, message: str) -> Problem:
    return Problem(field, title, message)


def _check_choice(problems: list[Problem], field: str, title: str, value: str | None,
                  choices: tuple[Choice, ...], required: bool = True) -> None:
    if not value:
        if required:
            problems.append(_problem(field, title, _("required")))
    elif value not in {c.key for c in choices}:
        problems.append(_problem(field, title, _("not one of the choices: {value}").format(
            value=value)))


def _check_handler(problems: list[Problem], handler_id: int | None) -> None:
    if handler_id is not None and not Staff.select().where(
            (Staff.id == handler_id) & Staff.active).exists():
        problems.append(_problem("handler", _("Handler"), _("no such member of staff")))


def _check_new(new: NewComplaint) -> None:
    problems: list[Problem] = []
    _check_choice(problems, "channel", _("Received through"), new.channel, CHANNELS)
    _check_choice(problems, "category", _("Category"), new.category, CATEGORIES)
    _check_choice(problems, "severity", _("Severity"), new.severity, SEVERITIES)
    if not new.content or not new.content.strip():
        problems.append(_problem("content", _("Complaint"), _("required")))
    if new.due_on is not None and new.due_on < new.received_at.date():
        problems.append(_problem("due_on", _("Answer due"),
                                 _("the due date cannot come before the complaint")))
    _check_handler(problems, new.handler_id)
    if problems:
        raise ValidationError(problems)


def _card(customer_id: int) -> tuple[int | None, str | None]:
    row = Customer.select(Customer.owner, Customer.confidentiality).where(
        Customer.id == customer_id).tuples().first()
    if row is None:
        raise NotFoundError(_("No customer with id {id}.").format(id=customer_id))
    return row


def _may_read_card(actor: Actor | None, customer_id: int) -> bool:
    owner, mark = _card(customer_id)
    return visibility.may_read(actor, customer_id, owner, mark)


def _refuse() -> PermissionDenied:
    return PermissionDenied(_("You do not have permission to do this; ask a manager."))


def record_complaint(customer_id: int, new: NewComplaint, actor: Actor | None) -> int:
    """Record a complaint received about ``customer_id``; returns its id.

    The answer is due ``ANSWER_DAYS`` after receipt unless ``due_on`` says otherwise; a named
    handler is sent a notice.

    Raises:
        PermissionDenied: ``actor`` neither reads the card nor takes complaints at reception.
        ValidationError: naming every field that is missing or wrong.
    """
    if not (_may_read_card(actor, customer_id) or visibility.may(actor, Duty.TAKE_COMPLAINTS)):
        raise _refuse()
    if new.handler_id is not None and not visibility.may(actor, Duty.ASSIGN_COMPLAINTS) and (
            actor is None or new.handler_id != actor.staff_id):
        raise _refuse()
    _check_new(new)
    due = new.due_on or new.received_at.date() + dt.timedelta(
        days=ANSWER_DAYS.get(new.severity, ANSWER_DAYS["general"]))
    with database.atomic():
        complaint = Complaint.create(
            customer=customer_id, received_at=new.received_at.replace(microsecond=0),
            channel=new.channel, taken_by=actor.staff_id if actor else None,
            content=new.content.strip(), category=new.category, severity=new.severity,
            handler=new.handler_id, due_on=due)
        audit.record(actor, "complaint_record", customer_id, complaint=complaint.id,
                     category=new.category, severity=new.severity)
        if new.handler_id is not None and (actor is None or new.handler_id != actor.staff_id):
            notices.send(new.handler_id, "complaint_assigned", actor, customer_id)
    return complaint.id


def _complaint(complaint_id: int) -> Complaint:
    complaint = Complaint.get_or_none(Complaint.id == complaint_id)
    if complaint is None:
        raise NotFoundError(_("No complaint with number {id}.").format(id=complaint_id))
    return complaint


def _may_see(actor: Actor | None, complaint: Complaint) -> bool:
    if actor is not None and complaint.handler_id == actor.staff_id:
        return True
    return _may_read_card(actor, complaint.customer_id)


def _require_handling(actor: Actor | None, complaint: Complaint) -> None:
    """The handler, a manager who reads the card, or a reader of the card while nobody handles
    it may work on a complaint."""
    if visibility.unchecked(actor):
        return
    if actor is not None and complaint.handler_id == actor.staff_id:
        return
    reads = _may_read_card(actor, complaint.customer_id)
    if reads and (complaint.handler_id is None
                  or visibility.may(actor, Duty.ASSIGN_COMPLAINTS)):
        return
    raise _refuse()


def _require_open(complaint: Complaint) -> None:
    if complaint.closed_on is not None:
        raise ValidationError([_problem("closed_on", _("Closed on"), _(
            "complaint no. {id} is closed already").format(id=complaint.id))])


def assign(complaint_id: int, handler_id: int, actor: Actor | None,
           due_on: dt.date | None = None) -> None:
    """Hand a complaint to ``handler_id`` (managers only), optionally with a new due date; the
    handler is sent a notice."""
    visibility.require(actor, Duty.ASSIGN_COMPLAINTS)
    complaint = _complaint(complaint_id)
    _require_open(complaint)
    problems: list[Problem] = []
    _check_handler(problems, handler_id)
    if due_on is not None and due_on < complaint.received_at.date():
        problems.append(_problem("due_on", _("Answer due"),
                                 _("the due date cannot come before the complaint")))
    if problems:
        raise ValidationError(problems)
    changes: dict = {Complaint.handler: handler_id, Complaint.overdue_noticed_on: None}
    if due_on is not None:
        changes[Complaint.due_on] = due_on
    with database.atomic():
        Complaint.update(changes).where(Complaint.id == complaint_id).execute()
        audit.record(actor, "complaint_assign", complaint.customer_id, complaint=complaint_id,
                     handler=handler_id)
        if actor is None or handler_id != actor.staff_id:
            notices.send(handler_id, "complaint_assigned", actor, complaint.customer_id)


def add_step(complaint_id: int, done_on: dt.date, action: str, actor: Actor | None) -> int:
    """Add a handling step (what was done, on which day); returns its number in the complaint.

    Raises:
        PermissionDenied: ``actor`` may not handle this complaint.
        ValidationError: no text, a day before the complaint or in the future, or closed.
    """
    complaint = _complaint(complaint_id)
    _require_handling(actor, complaint)
    _require_open(complaint)
    problems: list[Problem] = []
    if not action or not action.strip():
        problems.append(_problem("action", _("Handling"), _("required")))
    if done_on < complaint.received_at.date():
        problems.append(_problem("done_on", _("Date"),
                                 _("a step cannot come before the complaint")))
    if problems:
        raise ValidationError(problems)
    with database.atomic():
        seq = (ComplaintStep.select(peewee.fn.MAX(ComplaintStep.seq))
               .where(ComplaintStep.complaint == complaint_id).scalar() or 0) + 1
        ComplaintStep.create(complaint=complaint_id, seq=seq, done_on=done_on,
                             action=action.strip(), done_by=actor.staff_id if actor else None)
        audit.record(actor, "complaint_step", complaint.customer_id, complaint=complaint_id,
                     step=seq)
    return seq


def close(complaint_id: int, closed_on: dt.date, result: str, satisfaction: str | None,
          actor: Actor | None) -> None:
    """Close a complaint with its result and, when asked, the customer's satisfaction.

    Raises:
        PermissionDenied: ``actor`` may not handle this complaint.
        ValidationError: no result, an unknown satisfaction, a day before the complaint.
    """
    complaint = _complaint(complaint_id)
    _require_handling(actor, complaint)
    _require_open(complaint)
    problems: list[Problem] = []
    if not result or not result.strip():
        problems.append(_problem("result", _("Result"), _("required")))
    _check_choice(problems, "satisfaction", _("Customer's satisfaction"), satisfaction,
                  SATISFACTION, required=False)
    if closed_on < complaint.received_at.date():
        problems.append(_problem("closed_on", _("Closed on"),
                                 _("a complaint cannot close before it was received")))
    if problems:
        raise ValidationError(problems)
    with database.atomic():
        Complaint.update(closed_on=closed_on, result=result.strip(),
                         satisfaction=satisfaction or None).where(
            Complaint.id == complaint_id).execute()
        audit.record(actor, "complaint_close", complaint.customer_id, complaint=complaint_id,
                     satisfaction=satisfaction)


def _rows(query: peewee.ModelSelect, actor: Actor | None, with_steps: bool = False,
          names: dict[int, str] | None = None) -> list[ComplaintRow]:
    """The complaints of ``query`` as ``actor`` sees them: a handler who may not read a 机密 or
    绝密 card handles the complaint without learning the customer's name."""
    names = staff_names() if names is None else names
    complaints = list(query.select(Complaint, Customer.archive_no, Customer.name,
                                   Customer.owner, Customer.confidentiality)
                      .join_from(Complaint, Customer, attr="card")
                      .order_by(Complaint.received_at.desc(), Complaint.id.desc()))
    closed = visibility.closed_marks(actor, [(c.customer_id, c.card.owner_id,
                                              c.card.confidentiality) for c in complaints])
    steps: dict[int, list[StepRow]] = {}
    if with_steps and complaints:
        for step in (ComplaintStep.select()
                     .where(ComplaintStep.complaint.in_([c.id for c in complaints]))
                     .order_by(ComplaintStep.seq)):
            steps.setdefault(step.complaint_id, []).append(
                StepRow(step.seq, step.done_on, step.action, names.get(step.done_by_id, "")))
    return [ComplaintRow(
        c.id, c.customer_id, c.card.archive_no,
        _("(name withheld)") if c.customer_id in closed else c.card.name or "",
        c.received_at, c.channel,
        names.get(c.taken_by_id, ""), c.content, c.category, c.severity, c.handler_id,
        names.get(c.handler_id, ""), c.due_on, c.result or "", c.satisfaction or "",
        c.closed_on, tuple(steps.get(c.id, ()))) for c in complaints]


def complaints_of(customer_id: int, actor: Actor | None) -> list[ComplaintRow]:
    """A card's complaints, newest first, with their steps: all of them for a reader of the
    card, else those ``actor`` handles."""
    return card_rows(customer_id, actor, _may_read_card(actor, customer_id), staff_names())


def card_rows(customer_id: int, actor: Actor | None, readable: bool,
              names: dict[int, str]) -> list[ComplaintRow]:
    """``complaints_of`` for a caller that knows whether ``actor`` may read the card
    (``readable``), names resolved with ``names``."""
    query = Complaint.select().where(Complaint.customer == customer_id)
    if not readable:
        if actor is None:
            return []
        query = query.where(Complaint.handler == actor.staff_id)
    return _rows(query, actor, with_steps=True, names=names)


def complaint(complaint_id: int, actor: Actor | None) -> ComplaintRow:
    """One complaint with its steps (for the handling form).

    Raises:
        NotFoundError: no such complaint.
        PermissionDenied: ``actor`` neither reads the card nor handles the complaint.
    """
    found = _complaint(complaint_id)
    if not _may_see(actor, found):
        raise _refuse()
    return _rows(Complaint.select().where(Complaint.id == complaint_id), actor,
                 with_steps=True)[0]


def overdue(as_of: dt.date, actor: Actor | None) -> list[ComplaintRow]:
    """Open complaints past their due date, most overdue first: every one a manager may read,
    else those ``actor`` handles or whose card they own."""
    query = Complaint.select().where(Complaint.closed_on.is_null() & (Complaint.due_on < as_of))
    rows = _rows(query, actor)
    if not visibility.may(actor, Duty.ASSIGN_COMPLAINTS):
        staff_id = actor.staff_id if actor else None
        owners = dict(Customer.select(Customer.id, Customer.owner).where(
            Customer.id.in_([r.customer_id for r in rows])).tuples()) if rows else {}
        rows = [r for r in rows
                if r.handler_id == staff_id or owners.get(r.customer_id) == staff_id]
    else:
        readable = _readable([r.customer_id for r in rows], actor)
        rows = [r for r in rows if r.customer_id in readable]
    return sorted(rows, key=lambda r: (r.due_on, r.id))


def _readable(customer_ids: list[int], actor: Actor | None) -> set[int]:
    cards = list(Customer.select(Customer.id, Customer.owner, Customer.confidentiality)
                 .where(Customer.id.in_(customer_ids)).tuples()) if customer_ids else []
    return visibility.readable_ids(actor, cards)


def notify_overdue(as_of: dt.date, actor: Actor | None) -> int:
    """Tell the handler of every overdue open complaint, once a day each; returns how many
    notices went out."""
    due = list(Complaint.select(Complaint.id, Complaint.handler, Complaint.customer).where(
        Complaint.closed_on.is_null() & (Complaint.due_on < as_of)
        & Complaint.handler.is_null(False)
        & (Complaint.overdue_noticed_on.is_null() | (Complaint.overdue_noticed_on < as_of))))
    with database.atomic():
        for row in due:
            notices.send(row.handler_id, "complaint_overdue", actor, row.customer_id)
            Complaint.update(overdue_noticed_on=as_of).where(Complaint.id == row.id).execute()
    return len(due)

"""Logging a contact on the card's back; the level chosen there becomes the customer's level."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import peewee

from crmdesk.errors import Problem, ValidationError
from crmdesk.i18n import _
from crmdesk.models import Communication, Customer, Level
from crmdesk.models.card import COMMUNICATION_COLUMNS, CONTACT_METHODS
from crmdesk.models.db import database
from crmdesk.services import audit, cadence, visibility
from crmdesk.services.context import Actor

_LABELS = {c.name: c for c in COMMUNICATION_COLUMNS}


@dataclass(frozen=True)
class Contact:
    """One contact to log."""

    contacted_at: dt.datetime
    method: str
    record: str
    level_id: int | None = None
    person: str | None = None
    person_role: str | None = None
    conclusion: str | None = None
    next_follow_up: dt.date | None = None


def problem(column: str, message: str) -> Problem:
    """A problem with one column of a contact, named by its label on the card's back."""
    return Problem(column, _LABELS[column].label, message)


def _check(contact: Contact) -> None:
    problems = []
    if not contact.method:
        problems.append(problem("method", _("required")))
    elif contact.method not in {c.key for c in CONTACT_METHODS}:
        problems.append(problem("method", _("not one of the choices: {value}").format(
            value=contact.method)))
    if not contact.record or not contact.record.strip():
        problems.append(problem("record", _("required")))
    if contact.level_id is not None and not Level.select().where(
        Level.id == contact.level_id
    ).exists():
        problems.append(problem("level", _("no such entry")))
    if contact.next_follow_up and contact.next_follow_up < contact.contacted_at.date():
        problems.append(problem("next_follow_up",
                                _("the next follow-up cannot come before the contact")))
    if problems:
        raise ValidationError(problems)


def planned_date(level_id: int | None, contacted_at: dt.datetime) -> dt.date | None:
    """The next date to offer in the form: the contact day plus the new level's interval."""
    days = (Level.select(Level.interval_days).where(Level.id == level_id).scalar()
            if level_id else None)
    return offered_date(days, contacted_at)


def offered_date(interval_days: int | None, contacted_at: dt.datetime) -> dt.date | None:
    """The contact day plus a level's follow-up interval (None: the level has none)."""
    return contacted_at.date() + dt.timedelta(days=interval_days) \
        if interval_days is not None else None


def log_contact(customer_id: int, contact: Contact, actor: Actor | None) -> int:
    """Append ``contact`` to the customer's log, re-grade them, and refresh their next date.

    Returns the new log entry's id.

    Raises:
        ValidationError: method or record missing, or the next date before the contact.
    """
    visibility.require_card(actor, customer_id)
    _check(contact)
    with database.atomic():
        seq = (
            Communication.select(peewee.fn.MAX(Communication.seq))
            .where(Communication.customer == customer_id)
            .scalar()
            or 0
        ) + 1
        entry = Communication.create(
            customer=customer_id,
            seq=seq,
            contacted_at=contact.contacted_at,
            method=contact.method,
            person=contact.person,
            person_role=contact.person_role,
            level=contact.level_id,
            record=contact.record.strip(),
            conclusion=contact.conclusion,
            next_follow_up=contact.next_follow_up,
            recorded_by=actor.staff_id if actor else None,
        )
        # The card changed (new level, next date): its version goes up, so a desk still
        # holding the card as it was cannot save the old level back over this one.
        changes = {Customer.version: Customer.version + 1}
        if contact.level_id is not None:
            changes[Customer.level] = contact.level_id
        Customer.update(changes).where(Customer.id == customer_id).execute()
        cadence.refresh_follow_up(customer_id)
        audit.record(actor, "log_contact", customer_id, seq=seq, method=contact.method)
    return entry.id

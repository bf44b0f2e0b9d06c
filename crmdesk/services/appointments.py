"""Appointments (邀约到访): a customer invited to the showroom at a day and time.

The salesperson (or a manager) books the customer for a time, with the purpose and who is
expected. The front desk sees the day's expected arrivals; registering a visit of that customer
on the day closes the appointment as arrived. A booked appointment whose day has passed is a
no-show, listed for its salesperson. The card's back shows every appointment of the customer.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from crmdesk.errors import NotFoundError, Problem, ValidationError
from crmdesk.i18n import N_, _
from crmdesk.models import Appointment, Customer, Staff
from crmdesk.models.db import database
from crmdesk.services import audit, visibility
from crmdesk.services.context import Actor
from crmdesk.services.typed_text import LINE_MAX, NAME_MAX, text_problems

# Booking a time already gone by a few minutes is fine (the customer is on the phone now).
PAST_SLACK = dt.timedelta(minutes=10)
STATE_TITLES = {
    "booked": N_("Expected"),
    "arrived": N_("Arrived"),
    "cancelled": N_("Cancelled"),
    "no_show": N_("Did not come"),
}


@dataclass(frozen=True)
class AppointmentRow:
    """One appointment as lists show it; ``name`` is withheld where the card is closed."""

    id: int
    customer_id: int
    archive_no: str
    name: str
    starts_at: dt.datetime
    purpose: str
    expected: str
    salesperson: str
    state: str

    @property
    def state_label(self) -> str:
        return _(STATE_TITLES[self.state])


def _state(state: str, starts_at: dt.datetime, today: dt.date) -> str:
    return "no_show" if state == "booked" and starts_at.date() < today else state


def book(customer_id: int, starts_at: dt.datetime, purpose: str, actor: Actor | None,
         expected: str = "", salesperson_id: int | None = None) -> int:
    """Invite the customer for ``starts_at``; returns the appointment's id.

    The salesperson expected to receive them is the card's owner unless named.

    Raises:
        PermissionDenied: ``actor`` may not write this card.
        ValidationError: no purpose, a time already past, a text too long, or no salesperson.
    """
    visibility.require_card(actor, customer_id)
    now = dt.datetime.now().replace(microsecond=0)
    problems = text_problems(("purpose", _("Purpose"), purpose, LINE_MAX),
                             ("expected", _("Expected"), expected, NAME_MAX))
    if not purpose.strip():
        problems.append(Problem("purpose", _("Purpose"), _("required")))
    if starts_at < now - PAST_SLACK:
        problems.append(Problem("starts_at", _("Time"), _("already past")))
    owner = Customer.select(Customer.owner).where(Customer.id == customer_id).scalar()
    receiver = salesperson_id or owner
    if receiver is None or not Staff.select().where(
            (Staff.id == receiver) & Staff.active).exists():
        problems.append(Problem("salesperson", _("Salesperson"),
                                _("name who receives the customer")))
    if problems:
        raise ValidationError(problems)
    with database.atomic():
        appointment = Appointment.create(
            customer=customer_id, salesperson=receiver, starts_at=starts_at.replace(
                second=0, microsecond=0), purpose=purpose.strip(),
            expected=expected.strip() or None, booked_by=actor.staff_id if actor else None,
            booked_at=now)
        audit.record(actor, "appointment_book", customer_id, appointment=appointment.id,
                     at=appointment.starts_at, salesperson=receiver)
    return appointment.id


def cancel(appointment_id: int, actor: Actor | None) -> None:
    """Call off an expected appointment.

    Raises:
        NotFoundError: no such appointment, or it is no longer expected.
        PermissionDenied: ``actor`` may not write the customer's card.
    """
    with database.atomic():
        appointment = Appointment.get_or_none(Appointment.id == appointment_id)
        # Whether it is still expected is the card's business: refused before it is told.
        if appointment is not None:
            visibility.require_card(actor, appointment.customer_id)
        if appointment is None or appointment.state != "booked":
            raise NotFoundError(_("No expected appointment with id {id}.").format(
                id=appointment_id))
        Appointment.update(state="cancelled").where(Appointment.id == appointment_id).execute()
        audit.record(actor, "appointment_cancel", appointment.customer_id,
                     appointment=appointment_id)


def close_on_arrival(customer_id: int, visit_id: int, arrived_at: dt.datetime) -> int:
    """Mark the customer's appointments of that day as arrived with this visit.

    Call inside the transaction registering the visit; returns how many were closed.
    """
    start = dt.datetime.combine(arrived_at.date(), dt.time())
    return Appointment.update(state="arrived", visit=visit_id).where(
        (Appointment.customer == customer_id) & (Appointment.state == "booked")
        & (Appointment.starts_at >= start)
        & (Appointment.starts_at < start + dt.timedelta(days=1))).execute()


def _rows(query, actor: Actor | None, today: dt.date) -> list[AppointmentRow]:
    found = list(query.select(
        Appointment.id, Appointment.customer, Customer.archive_no, Customer.name,
        Customer.owner, Customer.confidentiality, Appointment.starts_at, Appointment.purpose,
        Appointment.expected, Staff.name, Appointment.state,
    ).join_from(Appointment, Customer).join_from(Appointment, Staff,
                                                 on=(Appointment.salesperson == Staff.id))
        .order_by(Appointment.starts_at, Appointment.id).tuples())
    closed = visibility.closed_marks(actor, [(r[1], r[4], r[5]) for r in found])
    withheld = _("(name withheld)")
    return [AppointmentRow(r[0], r[1], r[2], withheld if r[1] in closed else r[3], r[6],
                           r[7] if r[1] not in closed else "", r[8] or "", r[9],
                           _state(r[10], r[6], today))
            for r in found]


def of_customer(customer_id: int, actor: Actor | None,
                today: dt.date | None = None) -> list[AppointmentRow]:
    """Every appointment of the customer, earliest first (the card's back).

    Raises:
        PermissionDenied: ``actor`` may not open the card.
    """
    visibility.require_view(actor, customer_id)
    return customer_rows(customer_id, actor, today or dt.date.today())


def customer_rows(customer_id: int, actor: Actor | None,
                  today: dt.date) -> list[AppointmentRow]:
    """``of_customer`` without its check, for callers that checked the card."""
    return _rows(Appointment.select().where(Appointment.customer == customer_id), actor, today)


def expected_on(day: dt.date, actor: Actor | None) -> list[AppointmentRow]:
    """The appointments of ``day``: the front desk and managers see all, a salesperson theirs."""
    start = dt.datetime.combine(day, dt.time())
    query = Appointment.select().where((Appointment.starts_at >= start)
                                       & (Appointment.starts_at < start + dt.timedelta(days=1)))
    if not visibility.may(actor, visibility.Duty.REGISTER_VISITS):
        query = query.where(Appointment.salesperson == (actor.staff_id if actor else None))
    return _rows(query, actor, dt.date.today())


def no_shows(actor: Actor | None, today: dt.date | None = None) -> list[AppointmentRow]:
    """Expected appointments whose day has passed without the customer: a salesperson's own,
    or everyone's for a manager."""
    today = today or dt.date.today()
    query = Appointment.select().where(
        (Appointment.state == "booked")
        & (Appointment.starts_at < dt.datetime.combine(today, dt.time())))
    if not visibility.may(actor, visibility.Duty.LIST_ALL_FOLLOW_UPS):
        query = query.where(Appointment.salesperson == (actor.staff_id if actor else None))
    return _rows(query, actor, today)

"""The follow-up rule: when a customer is next due, from their log and their level's interval."""
from __future__ import annotations

import datetime as dt

from crmdesk.models import Communication, Customer, Level


def next_follow_up(
    planned: dt.date | None,
    last_contact: dt.datetime | None,
    registered: dt.datetime,
    interval_days: int | None,
) -> dt.date | None:
    """The date of the next follow-up.

    The date planned in the latest contact when one was given; otherwise the latest contact
    (or the registration, if there is none) plus the level's interval; None when the level
    needs no follow-up.
    """
    if planned is not None:
        return planned
    if interval_days is None:
        return None
    start = last_contact or registered
    return start.date() + dt.timedelta(days=interval_days)


def refresh_follow_up(customer_id: int) -> None:
    """Store the customer's last contact and next follow-up as the rule gives them now."""
    customer = Customer.select(Customer.id, Customer.created_at, Customer.level).where(
        Customer.id == customer_id
    ).get()
    latest = (
        Communication.select(Communication.contacted_at, Communication.next_follow_up)
        .where(Communication.customer == customer_id)
        .order_by(Communication.contacted_at.desc(), Communication.seq.desc())
        .first()
    )
    interval = (
        Level.select(Level.interval_days).where(Level.id == customer.level_id).scalar()
        if customer.level_id
        else None
    )
    last_at = latest.contacted_at if latest else None
    planned = latest.next_follow_up if latest else None
    Customer.update(
        last_contact_at=last_at,
        next_follow_up=next_follow_up(planned, last_at, customer.created_at, interval),
    ).where(Customer.id == customer_id).execute()


"""Demo data for the front desk: a week of the visitor and caller register, and today's duty list.

The visits belong to demo customers already built (first visits on the day a customer was
registered, return visits on later days), so the demo adds no archives of its own. Today's last
few walk-ins are still in the building. Written in bulk like the rest of the demo.
"""
from __future__ import annotations

import datetime as dt
import random

from crmdesk.models import Customer, DutyEntry, Visit

PURPOSES = ("看车", "咨询价格", "试驾", "售后保养", "提车", "商务洽谈", "咨询分期付款",
            "陪同朋友看车")
PAST_DAYS = 6
VISITS_TODAY = 12
STILL_INSIDE = 3


def _day_span(day: dt.date, now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """Office hours of ``day``, ending no later than ``now`` (no visit comes from the future)."""
    start, end = (dt.datetime.combine(day, dt.time(9)), dt.datetime.combine(day, dt.time(17, 30)))
    if end > now:
        end = now.replace(microsecond=0)
        start = min(start, end - dt.timedelta(hours=2))
    return start, end


def _visit(rng: random.Random, customer: tuple, arrived: dt.datetime, desk_ids: list[int],
           returning: bool, inside: bool) -> dict:
    cid, name, mobile, owner, source = customer
    channel = "visit" if inside or rng.random() >= 0.3 else "call"
    stay = dt.timedelta(minutes=rng.randint(15, 90))
    return {
        "arrived_at": arrived, "channel": channel, "name": name, "phone": mobile,
        "party_size": 1 if channel == "call" else rng.choice((1, 1, 2, 3)),
        "purpose": rng.choice(PURPOSES), "source": channel if returning else source,
        "receptionist": rng.choice(desk_ids), "salesperson": owner, "customer": cid,
        "returning": returning, "assignment": "owner" if returning else "rotation",
        "departed_at": None if inside or channel == "call" else arrived + stay,
    }


def _customers(where: object, count: int, rng: random.Random, first_id: int) -> list[tuple]:
    columns = (Customer.id, Customer.name, Customer.mobile, Customer.owner, Customer.source)
    query = Customer.select(*columns).where((Customer.id >= first_id) & where)
    rows = list(query.limit(count * 20).tuples())
    return rng.sample(rows, min(count, len(rows)))


def build_demo_visits(rng: random.Random, first_id: int, today: dt.date, desk_ids: list[int],
                      sales_ids: list[int]) -> int:
    """Add a week of visits to the demo customers from ``first_id`` on; returns how many.

    Call inside a transaction, after the customers are written.
    """
    now = dt.datetime.now()
    rows = []
    for back in range(PAST_DAYS, -1, -1):
        day = today - dt.timedelta(days=back)
        start, end = _day_span(day, now)
        if end <= start:
            continue
        day_start = dt.datetime.combine(day, dt.time())
        new = _customers((Customer.created_at >= day_start)
                         & (Customer.created_at < day_start + dt.timedelta(days=1)),
                         3, rng, first_id)
        old = _customers(Customer.created_at < day_start, VISITS_TODAY if not back else 5,
                         rng, first_id)
        moments = sorted(start + dt.timedelta(seconds=rng.uniform(0, (end - start).seconds))
                         for _ in range(len(new) + len(old)))
        people = [(c, False) for c in new] + [(c, True) for c in old]
        rng.shuffle(people)
        gone = len(people) - STILL_INSIDE if not back else len(people)
        for k, ((customer, returning), moment) in enumerate(zip(people, moments, strict=True)):
            rows.append(_visit(rng, customer, moment.replace(microsecond=0), desk_ids,
                               returning, inside=k >= gone))
    if rows:
        Visit.insert_many(rows).execute()
    _duty_list(today, sales_ids)
    return len(rows)


def _duty_list(today: dt.date, sales_ids: list[int]) -> None:
    """Today's rotation: everyone present but the third, who is out and owed a turn."""
    if DutyEntry.select().where(DutyEntry.day == today).exists():
        return
    DutyEntry.insert_many([
        {"day": today, "staff": staff_id, "position": position,
         "state": "out" if position == 2 else "present", "owed": 1 if position == 2 else 0,
         "last_turn": 1 if position == 1 else 0}
        for position, staff_id in enumerate(sales_ids)
    ]).execute()

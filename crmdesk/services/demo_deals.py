"""Demo data for the statistics: the deals behind the demo's purchase histories, and a year of
complaints with their handling, so every report has something to count.

A demo customer whose status is 成交 or 售后 closed a deal on the day of their first purchase,
credited to their owner; about one customer in twenty-five complained once.
"""
from __future__ import annotations

import datetime as dt
import random

import peewee

from crmdesk.models import Complaint, ComplaintStep, Customer, Deal, Purchase
from crmdesk.models.card import SATISFACTION
from crmdesk.models.complaints import CATEGORIES, CHANNELS
from crmdesk.services.complaints import ANSWER_DAYS

COMPLAINT_SHARE = 0.04
STEPS = ("致电客户了解情况", "与相关部门协调处理", "上门拜访致歉", "回访客户确认结果")
_BLOCK = 500


def build_demo_deals(seed: int, first_id: int, today: dt.date) -> tuple[int, int]:
    """Deals and complaints for the demo customers from ``first_id`` on; returns their counts."""
    rng = random.Random(seed)
    now = dt.datetime.combine(today, dt.time(18))
    customers = list(Customer.select(Customer.id, Customer.owner, Customer.status,
                                     Customer.created_at).where(Customer.id >= first_id).tuples())
    first_purchase = dict(
        Purchase.select(Purchase.customer, peewee.fn.MIN(Purchase.id))
        .where(Purchase.customer >= first_id).group_by(Purchase.customer).tuples())
    dates = dict(Purchase.select(Purchase.id, Purchase.date).where(
        Purchase.customer >= first_id).tuples())
    deals = []
    for cid, owner, status, _created in customers:
        purchase = first_purchase.get(cid)
        if status in ("deal", "after_sales") and purchase is not None:
            deals.append({"customer": cid, "closed_on": dates[purchase], "salesperson": owner,
                          "purchase": purchase, "recorded_by": owner, "recorded_at": now})
    _insert_blocks(Deal, deals)
    complaints, steps = [], []
    for cid, owner, _status, created in customers:
        if rng.random() >= COMPLAINT_SHARE:
            continue
        created = dt.datetime.fromisoformat(created) if isinstance(created, str) else created
        earliest = max(created, now - dt.timedelta(days=365))
        received = earliest + (now - earliest) * rng.random()
        received = received.replace(second=0, microsecond=0)
        severity = "major" if rng.random() < 0.15 else "general"
        due = received.date() + dt.timedelta(days=ANSWER_DAYS[severity])
        days = rng.randint(0, 12)
        closed = received.date() + dt.timedelta(days=days)
        is_closed = closed < today and rng.random() < 0.85
        complaints.append(dict(
            customer=cid, received_at=received, channel=rng.choice(CHANNELS).key,
            taken_by=owner, content="客户反映" + rng.choice(("送货延误", "服务态度不好",
                                                          "产品有质量问题", "收费有误")),
            category=rng.choice(CATEGORIES).key, severity=severity, handler=owner, due_on=due,
            result="已处理" if is_closed else None,
            satisfaction=rng.choice(SATISFACTION).key if is_closed else None,
            closed_on=closed if is_closed else None))
        # The complaint's id is known once it is written: its place in the list stands in.
        steps.extend({"complaint": len(complaints) - 1, "seq": seq, "done_by": owner,
                      "done_on": min(received.date() + dt.timedelta(days=seq), today),
                      "action": STEPS[seq - 1]} for seq in range(1, rng.randint(1, 3) + 1))
    before = Complaint.select(peewee.fn.MAX(Complaint.id)).scalar() or 0
    _insert_blocks(Complaint, complaints)
    # Written in the order of the list, the new complaints have the ids after ``before``.
    ids = [i for (i,) in Complaint.select(Complaint.id).where(Complaint.id > before)
           .order_by(Complaint.id).tuples()]
    _insert_blocks(ComplaintStep, [{**step, "complaint": ids[step["complaint"]]}
                                   for step in steps])
    return len(deals), len(complaints)


def _insert_blocks(model: type[peewee.Model], rows: list[dict]) -> None:
    for start in range(0, len(rows), _BLOCK):
        model.insert_many(rows[start:start + _BLOCK]).execute()

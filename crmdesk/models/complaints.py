"""Customer complaints (客户投诉记录表) and deals (成交), both kept on the customer's card.

Seed 001 (门店顾客管理方案): every complaint is recorded when received (by visit, call or
letter), handled to the end (跟清楚), answered (复清楚) and written down with its handling and
result (记清楚); major complaints go to the manager at once; complaints are summed up monthly
(客户月投诉统计表) and analysed quarterly. A deal is the day a customer bought: the card's
status says *that* it happened, the deal says when, by whom and for how much; a deal naming a
product is a line of the card's purchase history, which then holds the amount.
"""
from __future__ import annotations

import peewee

from crmdesk.models.card import Choice
from crmdesk.models.customer import Customer
from crmdesk.models.db import BaseModel
from crmdesk.models.records import Purchase
from crmdesk.models.staff import Staff

CHANNELS = (
    Choice("visit", "来访", "In person"),
    Choice("call", "来电", "Phone call"),
    Choice("letter", "来函", "Letter"),
    Choice("wechat", "微信", "WeChat"),
    Choice("online", "网络", "Online"),
    Choice("other", "其他", "Other"),
)
CATEGORIES = (
    Choice("quality", "产品质量", "Product quality"),
    Choice("service", "服务态度", "Service attitude"),
    Choice("delivery", "交付延误", "Late delivery"),
    Choice("price", "价格收费", "Price and charges"),
    Choice("after_sales", "售后维修", "After-sales and repairs"),
    Choice("promise", "承诺未兑现", "Promise not kept"),
    Choice("other", "其他", "Other"),
)
# 一般性投诉 and 重大投诉 (seed 001): a major complaint goes to the manager at once.
SEVERITIES = (
    Choice("general", "一般", "General"),
    Choice("major", "重大", "Major"),
)


class Complaint(BaseModel):
    """One complaint about a customer's dealings with the office, from receipt to closing.

    ``due_on`` is the day the customer was promised an answer; an open complaint past it is
    overdue. ``overdue_noticed_on`` is the day its handler was last told so (once a day).
    """

    customer = peewee.ForeignKeyField(Customer, backref="complaints", on_delete="CASCADE")
    received_at = peewee.DateTimeField(index=True)
    channel = peewee.TextField()
    taken_by = peewee.ForeignKeyField(Staff, null=True, on_delete="SET NULL", backref="+")
    content = peewee.TextField()
    category = peewee.TextField()
    severity = peewee.TextField(default="general")
    handler = peewee.ForeignKeyField(Staff, null=True, on_delete="SET NULL",
                                     backref="complaints_handled")
    due_on = peewee.DateField(null=True)
    result = peewee.TextField(null=True)
    satisfaction = peewee.TextField(null=True)
    closed_on = peewee.DateField(null=True, index=True)
    overdue_noticed_on = peewee.DateField(null=True)


class ComplaintStep(BaseModel):
    """One handling step of a complaint (处理过程), in the order they were taken."""

    complaint = peewee.ForeignKeyField(Complaint, backref="steps", on_delete="CASCADE")
    seq = peewee.IntegerField()
    done_on = peewee.DateField()
    action = peewee.TextField()
    done_by = peewee.ForeignKeyField(Staff, null=True, on_delete="SET NULL", backref="+")

    class Meta:
        indexes = ((("complaint", "seq"), True),)


class Deal(BaseModel):
    """A deal closed with a customer: the day, the salesperson credited, and the amount.

    With a product named, the deal's line in the purchase history (``purchase``) holds the
    amount and ``amount`` stays empty; without one ``amount`` is the amount, when known.
    """

    customer = peewee.ForeignKeyField(Customer, backref="deals", on_delete="CASCADE")
    closed_on = peewee.DateField(index=True)
    salesperson = peewee.ForeignKeyField(Staff, null=True, on_delete="SET NULL",
                                         backref="deals")
    amount = peewee.DecimalField(max_digits=16, decimal_places=2, null=True, auto_round=True)
    purchase = peewee.ForeignKeyField(Purchase, null=True, on_delete="SET NULL", backref="+")
    recorded_by = peewee.ForeignKeyField(Staff, null=True, on_delete="SET NULL", backref="+")
    recorded_at = peewee.DateTimeField()


COMPLAINT_MODELS = (Complaint, ComplaintStep, Deal)

"""The demo archive reads like a real office's: Chinese words only, each contact's record fits
its method, and the overdue list is a day's work rather than half the customers."""
from __future__ import annotations

import datetime as dt
import re

from crmdesk.models import Communication, Customer, Staff
from crmdesk.models.db import database
from crmdesk.models.summaries import drift
from crmdesk.services import followup, statistics
from crmdesk.services.context import Actor
from crmdesk.services.demo import build_demo
from crmdesk.services.statistics.periods import Period

TODAY = dt.date(2026, 5, 6)


def test_demo_addresses_and_companies_hold_no_english_words(archive):
    build_demo(300, today=TODAY)
    latin = re.compile(r"[A-Za-z]")
    for name, address, employer in Customer.select(
            Customer.name, Customer.address, Customer.employer).tuples():
        assert not latin.search(address or "") and not latin.search(employer or "")
        assert not latin.search(name or "")


def test_each_demo_contact_record_fits_its_method(archive):
    build_demo(200, today=TODAY)
    words = {"mail": "邮寄", "wechat": "微信", "sms": "短信"}
    for method, record in Communication.select(Communication.method,
                                               Communication.record).tuples():
        for other, word in words.items():
            assert (word in record) <= (method == other), (method, record)
    methods = [m for (m,) in Communication.select(Communication.method).tuples()]
    assert max(set(methods), key=methods.count) == "phone"


def test_the_demo_overdue_list_is_a_days_work(archive):
    build_demo(1000, today=TODAY)
    rows = followup.overdue(TODAY, limit=None)
    assert 0 < len(rows) < 0.2 * 1000
    assert max(row.days_overdue for row in rows) <= 31


def test_demo_salespeople_raise_and_lower_levels(archive):
    build_demo(300, today=TODAY)
    manager = Actor.of(Staff.get(Staff.username == "manager"))
    report = statistics.run("discipline", Period(dt.date(2025, 5, 1), TODAY), manager)
    rows = report.sections[0].rows  # columns 6 and 7: levels raised, levels lowered
    raised, lowered = (sum(row[column].value for row in rows) for column in (6, 7))
    assert raised > 10 and lowered > 10
    assert drift(database.obj) == []

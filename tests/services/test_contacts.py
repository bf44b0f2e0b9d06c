"""Logging contacts on the card's back: re-grading, the next follow-up, numbering, refusals."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from crmdesk import i18n
from crmdesk.errors import ValidationError
from crmdesk.models import AuditEntry, Communication, Customer
from crmdesk.services import customers
from crmdesk.services.contacts import Contact, log_contact, planned_date

MONDAY = dt.datetime(2026, 3, 2, 10, 30)


def _contact(when: dt.datetime = MONDAY, **fields) -> Contact:
    fields.setdefault("method", "phone")
    fields.setdefault("record", "电话沟通,客户询问价格")
    return Contact(contacted_at=when, **fields)


def test_level_chosen_in_the_contact_becomes_the_customer_level(
    add_customer, salesperson, level_ids,
):
    customer_id = add_customer(level=level_ids["C"])
    log_contact(customer_id, _contact(level_id=level_ids["H"]), salesperson)
    assert Customer.get_by_id(customer_id).level_id == level_ids["H"]
    assert customers.get_card(customer_id).values["level"] == level_ids["H"]


def test_contact_without_a_level_keeps_the_customer_level(add_customer, salesperson, level_ids):
    customer_id = add_customer(level=level_ids["B"])
    log_contact(customer_id, _contact(), salesperson)
    assert Customer.get_by_id(customer_id).level_id == level_ids["B"]


def test_planned_date_is_the_next_follow_up(add_customer, salesperson, level_ids):
    customer_id = add_customer()
    planned = dt.date(2026, 3, 20)
    log_contact(customer_id, _contact(level_id=level_ids["A"], next_follow_up=planned),
                salesperson)
    row = Customer.get_by_id(customer_id)
    assert row.next_follow_up == planned
    assert row.last_contact_at == MONDAY


@pytest.mark.parametrize(("code", "days"), [("H", 2), ("A", 3), ("B", 5), ("C", 7)])
def test_without_a_planned_date_the_level_interval_counts_from_the_contact(
    add_customer, salesperson, level_ids, code, days,
):
    customer_id = add_customer()
    log_contact(customer_id, _contact(level_id=level_ids[code]), salesperson)
    assert Customer.get_by_id(customer_id).next_follow_up == MONDAY.date() + dt.timedelta(days)


@pytest.mark.parametrize("code", ["O", "战败"])
def test_levels_without_interval_need_no_follow_up(add_customer, salesperson, level_ids, code):
    customer_id = add_customer()
    log_contact(customer_id, _contact(level_id=level_ids[code]), salesperson)
    assert Customer.get_by_id(customer_id).next_follow_up is None


def test_latest_contact_decides_even_when_logged_late(add_customer, salesperson, level_ids):
    customer_id = add_customer(level=level_ids["B"])
    log_contact(customer_id, _contact(MONDAY, next_follow_up=dt.date(2026, 3, 30)), salesperson)
    earlier = MONDAY - dt.timedelta(days=10)
    log_contact(customer_id, _contact(earlier), salesperson)
    row = Customer.get_by_id(customer_id)
    assert row.last_contact_at == MONDAY
    assert row.next_follow_up == dt.date(2026, 3, 30)


def test_next_follow_up_without_contacts_counts_from_registration(add_customer, level_ids):
    customer_id = add_customer(level=level_ids["A"])
    row = Customer.get_by_id(customer_id)
    assert row.last_contact_at is None
    assert row.next_follow_up == row.created_at.date() + dt.timedelta(days=3)


def test_contacts_are_numbered_in_order_per_customer(add_customer, salesperson):
    first = add_customer(name="张三")
    second = add_customer(name="李四")
    for day in range(3):
        log_contact(first, _contact(MONDAY + dt.timedelta(days=day)), salesperson)
    log_contact(second, _contact(), salesperson)
    seqs = list(Communication.select(Communication.customer, Communication.seq)
                .order_by(Communication.id).tuples())
    assert seqs == [(first, 1), (first, 2), (first, 3), (second, 1)]


def test_log_reads_newest_first_with_level_and_recorder(add_customer, salesperson, level_ids):
    customer_id = add_customer()
    log_contact(customer_id, _contact(MONDAY, level_id=level_ids["A"], person="张三",
                                      conclusion="约定下周到店"), salesperson)
    log_contact(customer_id, _contact(MONDAY + dt.timedelta(days=3), method="visit_out",
                                      record="  上门拜访  "), salesperson)
    log = customers.get_card(customer_id).communications
    assert [(e["seq"], e["method"], e["record"]) for e in log] == [
        (2, "visit_out", "上门拜访"), (1, "phone", "电话沟通,客户询问价格"),
    ]
    assert log[1]["level"] == "A"
    assert log[1]["person"] == "张三"
    assert log[1]["conclusion"] == "约定下周到店"
    assert log[1]["recorded_by"] == "王强"


def test_logging_a_contact_is_audited(add_customer, salesperson):
    customer_id = add_customer()
    log_contact(customer_id, _contact(method="wechat"), salesperson)
    entry = AuditEntry.get(AuditEntry.action == "log_contact")
    assert entry.customer_id == customer_id
    assert entry.actor_id == salesperson.staff_id
    assert json.loads(entry.details) == {"seq": 1, "method": "wechat"}


def test_missing_method_and_record_are_refused_together(add_customer, salesperson):
    customer_id = add_customer()
    with pytest.raises(ValidationError) as refused:
        log_contact(customer_id, _contact(method="", record="   "), salesperson)
    assert {(p.field, p.label) for p in refused.value.problems} == {
        ("method", "方式"), ("record", "过程记录与特别事项"),
    }
    assert Communication.select().count() == 0


def test_unknown_method_is_named_as_not_a_choice(add_customer, salesperson):
    i18n.set_language("en")
    customer_id = add_customer()
    with pytest.raises(ValidationError) as refused:
        log_contact(customer_id, _contact(method="telegram"), salesperson)
    [problem] = refused.value.problems
    assert problem.label == "Method"
    assert "telegram" in problem.message
    assert "required" not in problem.message


def test_next_follow_up_before_the_contact_is_refused(add_customer, salesperson):
    i18n.set_language("en")
    customer_id = add_customer()
    before = MONDAY.date() - dt.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        log_contact(customer_id, _contact(next_follow_up=before), salesperson)
    [problem] = refused.value.problems
    assert problem.field == "next_follow_up"
    assert "before the contact" in problem.message
    assert Communication.select().count() == 0
    assert Customer.get_by_id(customer_id).last_contact_at is None


def test_unknown_level_is_refused_and_the_customer_keeps_theirs(
    add_customer, salesperson, level_ids,
):
    customer_id = add_customer(level=level_ids["B"])
    with pytest.raises(ValidationError) as refused:
        log_contact(customer_id, _contact(level_id=9999), salesperson)
    assert [p.label for p in refused.value.problems] == ["级别"]
    assert Customer.get_by_id(customer_id).level_id == level_ids["B"]


def test_form_offers_the_contact_day_plus_the_level_interval(archive, level_ids):
    assert planned_date(level_ids["B"], MONDAY) == dt.date(2026, 3, 7)
    assert planned_date(level_ids["战败"], MONDAY) is None
    assert planned_date(None, MONDAY) is None

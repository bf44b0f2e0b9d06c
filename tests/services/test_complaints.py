"""Complaints on the card: who may record, see and handle them; steps, closing, overdue list."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from crmdesk.errors import ValidationError
from crmdesk.models import AuditEntry, ChangeEvent, Notice, Staff
from crmdesk.services import complaints
from crmdesk.services.accounts import PermissionDenied
from crmdesk.services.complaints import NewComplaint
from crmdesk.services.context import Actor

RECEIVED = dt.datetime(2026, 3, 2, 10, 30)


@pytest.fixture
def frontdesk(archive) -> Actor:
    return Actor.of(Staff.create(name="李前台", username="desk", roles="frontdesk"))


@pytest.fixture
def colleague(archive) -> Actor:
    return Actor.of(Staff.create(name="陈明", username="chen", roles="sales"))


def _new(**changes) -> NewComplaint:
    values = dict(received_at=RECEIVED, channel="call", content="送货晚了三天",
                  category="delivery")
    values.update(changes)
    return NewComplaint(**values)


def test_front_desk_records_a_complaint_due_in_three_days_and_audited(
        add_customer, frontdesk, salesperson):
    customer_id = add_customer()
    complaint_id = complaints.record_complaint(customer_id, _new(), frontdesk)
    row = complaints.complaints_of(customer_id, salesperson)[0]
    assert (row.id, row.taken_by, row.channel, row.due_on) == (
        complaint_id, "李前台", "call", dt.date(2026, 3, 5))
    entry = AuditEntry.select().order_by(AuditEntry.seq.desc()).first()
    assert entry.action == "complaint_record" and entry.customer_id == customer_id
    assert "送货" not in entry.details  # the complaint's text stays with the card
    assert ChangeEvent.select().where(ChangeEvent.kind == "complaints").count() == 1


def test_major_complaint_is_due_the_next_day(add_customer, salesperson):
    customer_id = add_customer()
    complaints.record_complaint(customer_id, _new(severity="major"), salesperson)
    assert complaints.complaints_of(customer_id, salesperson)[0].due_on == dt.date(2026, 3, 3)


def test_every_missing_or_wrong_field_is_named_at_once(add_customer, salesperson):
    customer_id = add_customer()
    with pytest.raises(ValidationError) as caught:
        complaints.record_complaint(customer_id, _new(channel="pigeon", content=" ",
                                                      category="", severity="huge"), salesperson)
    assert {p.field for p in caught.value.problems} == {"channel", "content", "category",
                                                        "severity"}
    assert complaints.complaints_of(customer_id, salesperson) == []


def test_another_salesperson_may_neither_record_nor_see(add_customer, colleague, salesperson):
    customer_id = add_customer()
    with pytest.raises(PermissionDenied):
        complaints.record_complaint(customer_id, _new(), colleague)
    complaints.record_complaint(customer_id, _new(), salesperson)
    assert complaints.complaints_of(customer_id, colleague) == []


def test_assigned_handler_gets_a_notice_sees_it_and_handles_it(
        add_customer, manager, colleague, salesperson):
    customer_id = add_customer()
    complaint_id = complaints.record_complaint(customer_id, _new(), salesperson)
    with pytest.raises(PermissionDenied):
        complaints.assign(complaint_id, colleague.staff_id, salesperson)
    complaints.assign(complaint_id, colleague.staff_id, manager)
    notice = Notice.get(Notice.recipient == colleague.staff_id)
    assert (notice.kind, notice.customer_id) == ("complaint_assigned", customer_id)
    assert [r.id for r in complaints.complaints_of(customer_id, colleague)] == [complaint_id]
    # Now handled by a colleague, the owner no longer adds steps; the handler does.
    with pytest.raises(PermissionDenied):
        complaints.add_step(complaint_id, dt.date(2026, 3, 3), "致电", salesperson)
    assert complaints.add_step(complaint_id, dt.date(2026, 3, 3), "致电道歉", colleague) == 1
    assert complaints.add_step(complaint_id, dt.date(2026, 3, 4), "补发货品", colleague) == 2
    complaints.close(complaint_id, dt.date(2026, 3, 4), "已补发", "satisfied", colleague)
    row = complaints.complaint(complaint_id, manager)
    assert [s.action for s in row.steps] == ["致电道歉", "补发货品"]
    assert (row.closed_on, row.satisfaction, row.handling_days) == (
        dt.date(2026, 3, 4), "satisfied", 2)
    with pytest.raises(ValidationError):
        complaints.add_step(complaint_id, dt.date(2026, 3, 5), "again", colleague)


def test_closing_needs_a_result_and_a_known_satisfaction(add_customer, salesperson):
    customer_id = add_customer()
    complaint_id = complaints.record_complaint(customer_id, _new(), salesperson)
    with pytest.raises(ValidationError) as caught:
        complaints.close(complaint_id, dt.date(2026, 3, 1), "", "thrilled", salesperson)
    assert {p.field for p in caught.value.problems} == {"result", "satisfaction", "closed_on"}


def test_overdue_list_and_one_notice_a_day_to_the_handler(
        add_customer, manager, colleague, salesperson):
    customer_id = add_customer()
    late = complaints.record_complaint(customer_id, _new(), salesperson)
    complaints.record_complaint(customer_id, _new(due_on=dt.date(2026, 3, 20)), salesperson)
    closed = complaints.record_complaint(customer_id, _new(), salesperson)
    complaints.close(closed, dt.date(2026, 3, 3), "已解决", None, salesperson)
    complaints.assign(late, colleague.staff_id, manager)
    as_of = dt.date(2026, 3, 10)
    assert [r.id for r in complaints.overdue(as_of, manager)] == [late]
    assert [r.id for r in complaints.overdue(as_of, colleague)] == [late]
    assert complaints.notify_overdue(as_of, None) == 1
    assert complaints.notify_overdue(as_of, None) == 0
    assert complaints.notify_overdue(as_of + dt.timedelta(days=1), None) == 1
    kinds = [n.kind for n in Notice.select().where(Notice.recipient == colleague.staff_id)]
    assert kinds.count("complaint_overdue") == 2
    entry = AuditEntry.select().where(AuditEntry.action == "complaint_assign").get()
    assert json.loads(entry.details)["handler"] == colleague.staff_id

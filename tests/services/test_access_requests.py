"""Requests to read a card one may not: a manager grants them for a period; they lapse alone."""
from __future__ import annotations

import datetime as dt

import pytest

from crmdesk.errors import NotFoundError, ValidationError
from crmdesk.models import AuditEntry, CardReader, Notice, Staff
from crmdesk.services import access_requests, customers
from crmdesk.services.access_requests import RequestRefused
from crmdesk.services.accounts import PermissionDenied
from crmdesk.services.context import Actor
from crmdesk.services.visibility import may_read, readable_ids


@pytest.fixture
def colleague(archive) -> Actor:
    return Actor.of(Staff.create(name="李娜", username="lina", roles="sales"))


def _card(add_customer, owner: Actor, mark: str) -> int:
    return add_customer(owner, confidentiality=mark, name=f"{mark}客户",
                        mobile={"normal": "13800000001", "confidential": "13800000002",
                                "secret": "13800000003"}[mark])


@pytest.mark.parametrize("mark", ["normal", "confidential", "secret"])
def test_an_approved_request_opens_the_card_until_the_day_given(add_customer, salesperson,
                                                                colleague, manager, mark):
    customer_id = _card(add_customer, salesperson, mark)
    with pytest.raises(PermissionDenied):
        customers.open_card(customer_id, colleague)

    request_id = access_requests.request(customer_id, "核对合同", "王强休假，客户来电", colleague)
    told = [n.recipient_id for n in Notice.select().where(Notice.kind == "access_request")]
    assert told == [manager.staff_id]
    today = dt.date.today()
    access_requests.decide(request_id, True, manager, until=today + dt.timedelta(days=2))

    assert customers.open_card(customer_id, colleague).values["name"] == f"{mark}客户"
    row = (customer_id, salesperson.staff_id, mark)
    assert readable_ids(colleague, [row]) == {customer_id}
    later = today + dt.timedelta(days=3)
    assert [r.state for r in access_requests.requests(colleague, today=later)] == ["lapsed"]
    assert Notice.select().where((Notice.kind == "access_answer")
                                 & (Notice.recipient == colleague.staff_id)).count() == 1


def test_a_grant_lapses_by_itself_the_day_after_its_last(add_customer, salesperson, colleague,
                                                          manager):
    customer_id = _card(add_customer, salesperson, "confidential")
    request_id = access_requests.request(customer_id, "核对", "客户来电", colleague)
    access_requests.decide(request_id, True, manager, until=dt.date.today())
    assert may_read(colleague, customer_id, salesperson.staff_id, "confidential")

    # The last day passed: the same grant, a day older.
    CardReader.update(until=dt.date.today() - dt.timedelta(days=1)).execute()

    assert not may_read(colleague, customer_id, salesperson.staff_id, "confidential")
    with pytest.raises(PermissionDenied):
        customers.open_card(customer_id, colleague)


def test_a_refused_request_opens_nothing_and_only_managers_decide(add_customer, salesperson,
                                                                  colleague, manager):
    customer_id = _card(add_customer, salesperson, "normal")
    request_id = access_requests.request(customer_id, "核对", "客户来电", colleague)
    with pytest.raises(PermissionDenied):
        access_requests.decide(request_id, True, colleague, until=dt.date.today())
    with pytest.raises(RequestRefused):
        access_requests.request(customer_id, "核对", "客户来电", colleague)

    access_requests.decide(request_id, False, manager)

    with pytest.raises(PermissionDenied):
        customers.open_card(customer_id, colleague)
    with pytest.raises(NotFoundError):
        access_requests.decide(request_id, True, manager, until=dt.date.today())
    actions = {a for (a,) in AuditEntry.select(AuditEntry.action).tuples()}
    assert {"access_request", "access_decision"} <= actions


def test_asking_needs_a_purpose_a_reason_and_a_card_one_may_not_read(add_customer,
                                                                     salesperson, colleague,
                                                                     manager):
    customer_id = _card(add_customer, salesperson, "normal")
    with pytest.raises(RequestRefused):
        access_requests.request(customer_id, "核对", "客户来电", salesperson)
    with pytest.raises(ValidationError):
        access_requests.request(customer_id, " ", "", colleague)
    request_id = access_requests.request(customer_id, "核对", "客户来电", colleague)
    with pytest.raises(ValidationError):
        access_requests.decide(request_id, True, manager, until=None)

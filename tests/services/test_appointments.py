"""Appointments: invited customers are expected at the front desk; arrivals close them."""
from __future__ import annotations

import datetime as dt

import pytest

from crmdesk.errors import NotFoundError, ValidationError
from crmdesk.models import Customer, Staff
from crmdesk.services import appointments
from crmdesk.services.accounts import PermissionDenied
from crmdesk.services.context import Actor
from crmdesk.services.frontdesk import VisitDraft, register_visit

TOMORROW_10 = dt.datetime.combine(dt.date.today() + dt.timedelta(days=1), dt.time(10, 0))


@pytest.fixture
def office(archive) -> dict[str, Actor]:
    """A front desk, two salespeople and a manager; 张三 registered to 王强."""
    people = {key: Actor.of(Staff.create(name=name, username=key, roles=roles))
              for key, name, roles in (("desk", "陈静", "frontdesk"), ("wq", "王强", "sales"),
                                       ("ln", "李娜", "sales"), ("boss", "赵经理", "manager"))}
    register_visit(VisitDraft("张三", "13800138000"), people["desk"])
    return people


def _zhang() -> int:
    return Customer.get(Customer.name == "张三").id


def test_the_owner_books_an_appointment_and_the_desk_expects_the_customer(office):
    appointment_id = appointments.book(_zhang(), TOMORROW_10, "看样品", office["wq"],
                                       expected="张先生夫妇")

    tomorrow = TOMORROW_10.date()
    [row] = appointments.expected_on(tomorrow, office["desk"])
    assert (row.id, row.name, row.purpose, row.expected, row.salesperson, row.state) == (
        appointment_id, "张三", "看样品", "张先生夫妇", "王强", "booked")
    assert appointments.expected_on(tomorrow, office["ln"]) == []
    assert [r.id for r in appointments.of_customer(_zhang(), office["wq"])] == [appointment_id]


def test_registering_the_customers_visit_that_day_closes_the_appointment(office):
    now = dt.datetime.now().replace(second=0, microsecond=0)
    appointment_id = appointments.book(_zhang(), now, "签约", office["wq"])

    visit = register_visit(VisitDraft("张三", "13800138000", customer_id=_zhang()),
                           office["desk"])

    [row] = appointments.of_customer(_zhang(), office["wq"])
    assert (row.id, row.state, row.state_label) == (appointment_id, "arrived", "已到")
    assert visit.assignment == "owner"


def test_a_booked_appointment_whose_day_passed_is_a_no_show_for_its_salesperson(office):
    appointments.book(_zhang(), TOMORROW_10, "看样品", office["wq"])
    day_after = TOMORROW_10.date() + dt.timedelta(days=1)

    assert [r.state for r in appointments.no_shows(office["wq"], day_after)] == ["no_show"]
    assert appointments.no_shows(office["ln"], day_after) == []
    assert len(appointments.no_shows(office["boss"], day_after)) == 1
    assert appointments.no_shows(office["wq"], TOMORROW_10.date()) == []


def test_only_who_may_write_the_card_books_or_cancels(office):
    with pytest.raises(PermissionDenied):
        appointments.book(_zhang(), TOMORROW_10, "看样品", office["ln"])
    appointment_id = appointments.book(_zhang(), TOMORROW_10, "看样品", office["boss"])
    with pytest.raises(PermissionDenied):
        appointments.cancel(appointment_id, office["ln"])

    appointments.cancel(appointment_id, office["wq"])

    assert appointments.of_customer(_zhang(), office["wq"])[0].state == "cancelled"
    with pytest.raises(NotFoundError):
        appointments.cancel(appointment_id, office["wq"])


def test_an_appointment_needs_a_purpose_and_a_time_to_come(office):
    with pytest.raises(ValidationError) as refused:
        appointments.book(_zhang(), dt.datetime(2020, 1, 1, 10), " ", office["wq"])
    assert {p.field for p in refused.value.problems} == {"purpose", "starts_at"}


def test_the_desk_sees_no_name_of_an_expected_top_secret_customer(office):
    Customer.update(confidentiality="secret").where(Customer.id == _zhang()).execute()
    appointments.book(_zhang(), TOMORROW_10, "签约", office["wq"])

    [row] = appointments.expected_on(TOMORROW_10.date(), office["desk"])
    assert "张三" not in (row.name, row.purpose)
    assert appointments.expected_on(TOMORROW_10.date(), office["wq"])[0].name == "张三"

"""Registering visitors: the first visit owns, the protected owner gets returns, no duplicates."""
from __future__ import annotations

import datetime as dt

import pytest

from crmdesk.errors import ValidationError
from crmdesk.models import Customer, OwnershipChange, Staff, Visit
from crmdesk.services import frontdesk, ownership, rotation
from crmdesk.services.accounts import PermissionDenied
from crmdesk.services.context import Actor
from crmdesk.services.duplicates import find_duplicates, phone_key
from crmdesk.services.frontdesk import DuplicatePhoneError, VisitDraft, register_visit
from crmdesk.services.visit_register import count_register, phone_history, visits_between


@pytest.fixture
def desk(archive) -> Actor:
    """The front desk, with two salespeople on the duty list (王强, then 李娜)."""
    actor = Actor.of(Staff.create(name="陈静", username="desk", roles="frontdesk"))
    Staff.create(name="王强", username="wq", roles="sales")
    Staff.create(name="李娜", username="ln", roles="sales")
    return actor


def _id(name: str) -> int:
    return Staff.get(Staff.name == name).id


def _lapse(customer_id: int, days: int = 70) -> None:
    """Make the customer's registration ``days`` old, with no contact since."""
    old = dt.datetime.now() - dt.timedelta(days=days)
    Customer.update(created_at=old).where(Customer.id == customer_id).execute()
    OwnershipChange.update(at=old).where(OwnershipChange.customer == customer_id).execute()


def test_first_visit_creates_an_archive_owned_by_the_salesperson_in_turn(desk):
    result = register_visit(VisitDraft("张三", "138 0013 8000", "看车"), desk)

    customer = Customer.get_by_id(result.customer_id)
    assert result.created
    assert result.assignment == "rotation"
    assert customer.owner_id == _id("王强")
    assert customer.registered_by_id == desk.staff_id
    assert customer.mobile == "13800138000"
    assert customer.source == "visit"
    visit = Visit.get_by_id(result.visit_id)
    assert (visit.returning, visit.receptionist_id, visit.salesperson_id) == (
        False, desk.staff_id, _id("王强"))
    history = ownership.ownership_history(result.customer_id)
    assert [(r.kind, r.to_name, r.by_name) for r in history] == [("registration", "王强", "陈静")]


def test_a_caller_becomes_an_archive_from_the_call(desk):
    result = register_visit(VisitDraft("赵六", "021-6552 9988", channel="call"), desk)
    customer = Customer.get_by_id(result.customer_id)
    assert customer.phone == "02165529988"
    assert customer.mobile is None
    assert customer.source == "call"


def test_return_visit_goes_to_the_protected_owner_and_uses_no_turn(desk):
    first = register_visit(VisitDraft("张三", "13800138000"), desk)
    again = register_visit(VisitDraft("张三", "13800138000", customer_id=first.customer_id),
                           desk)

    assert again.salesperson_id == _id("王强")
    assert (again.created, again.assignment) == (False, "owner")
    assert Visit.get_by_id(again.visit_id).returning
    assert rotation.next_turn().staff_id == _id("李娜")
    assert Customer.select().count() == 1


@pytest.mark.parametrize("typed", ["+86 138-0013-8000", "0086 13800138000",
                                   "１３８００１３８０００", "138 0013 8000"])
def test_a_phone_with_an_archive_is_refused_in_any_format_unless_confirmed(desk, typed):
    register_visit(VisitDraft("张三", "13800138000"), desk)

    with pytest.raises(DuplicatePhoneError) as refused:
        register_visit(VisitDraft("张小三", typed), desk)

    assert [m.name for m in refused.value.matches] == ["张三"]
    assert Customer.select().count() == 1
    assert Visit.select().count() == 1
    with pytest.raises(ValidationError, match="另建档案的理由"):
        register_visit(VisitDraft("张小三", typed, confirm_new=True), desk)
    assert Customer.select().count() == 1
    register_visit(VisitDraft("张小三", typed, confirm_new=True, confirm_reason="父子共用手机"),
                   desk)
    assert Customer.select().count() == 2


@pytest.mark.parametrize("typed", ["13800138000", "+86 138 0013 8000", "0086-138-0013-8000",
                                   "138001", "+86 1380", "１３８"])
def test_duplicate_check_finds_the_archive_as_the_phone_is_typed(desk, typed):
    register_visit(VisitDraft("张三", "13800138000"), desk)
    register_visit(VisitDraft("李四", "13912345678"), desk)

    assert [m.name for m in find_duplicates(typed, actor=desk)] == ["张三"]


def test_duplicate_check_finds_fixed_lines_and_waits_for_three_digits(desk):
    register_visit(VisitDraft("华信科技", "010-6552 9988"), desk)

    assert [m.name for m in find_duplicates("(010) 65529988", actor=desk)] == ["华信科技"]
    assert [m.name for m in find_duplicates("010 6552", actor=desk)] == ["华信科技"]
    assert find_duplicates("01", actor=desk) == []
    assert phone_key("010-6552 9988").complete


def test_duplicate_check_matches_name_and_company(desk):
    register_visit(VisitDraft("张伟", "13800138000", company="华信科技有限公司"), desk)
    register_visit(VisitDraft("张伟", "13900000001", company="盛达贸易", confirm_new=True), desk)

    matches = find_duplicates("", name="张伟", company="华信科技有限公司", actor=desk)
    assert [(m.phone, m.matched_on) for m in matches] == [("138****8000", "name")]
    assert len(find_duplicates("", name="张伟", actor=desk)) == 2


def test_matches_show_owner_level_and_protection_but_only_a_masked_mobile(desk, manager):
    result = register_visit(VisitDraft("张三", "13800138000", company="华信"), desk)

    seen_at_desk = find_duplicates("13800138000", actor=desk)[0]
    assert (seen_at_desk.archive_no, seen_at_desk.owner, seen_at_desk.level) == (
        result.archive_no, "王强", "C")
    assert seen_at_desk.protected
    assert seen_at_desk.last_contact is None
    assert (seen_at_desk.phone, seen_at_desk.company) == ("138****8000", "")
    seen_by_manager = find_duplicates("13800138000", actor=manager)[0]
    assert (seen_by_manager.phone, seen_by_manager.company) == ("138 0013 8000", "华信")


def test_lapsed_owner_is_shown_and_the_return_goes_to_the_rotation_receiver(desk):
    first = register_visit(VisitDraft("张三", "13800138000"), desk)
    _lapse(first.customer_id)

    assert not find_duplicates("13800138000", actor=desk)[0].protected
    again = register_visit(VisitDraft("张三", "13800138000", customer_id=first.customer_id),
                           desk)
    assert (again.salesperson_id, again.assignment) == (_id("李娜"), "rotation")
    assert Customer.get_by_id(first.customer_id).owner_id == _id("李娜")


def test_overriding_the_proposed_salesperson_needs_a_reason(desk):
    draft = VisitDraft("张三", "13800138000", salesperson_id=_id("李娜"))

    with pytest.raises(ValidationError, match="理由"):
        register_visit(draft, desk)
    result = register_visit(VisitDraft("张三", "13800138000", salesperson_id=_id("李娜"),
                                       override_reason="客户指定"), desk)

    assert (result.salesperson_id, result.assignment) == (_id("李娜"), "override")
    assert Visit.get_by_id(result.visit_id).override_reason == "客户指定"
    assert rotation.next_turn().staff_id == _id("王强")


def test_name_and_valid_phone_are_required_and_arrival_not_in_the_future(desk):
    with pytest.raises(ValidationError) as refused:
        register_visit(VisitDraft(" ", "1380013", arrived_at=dt.datetime.now()
                                  + dt.timedelta(days=1)), desk)
    assert {p.field for p in refused.value.problems} == {"name", "phone", "arrived_at"}
    assert Visit.select().count() == 0


def test_nobody_on_duty_means_the_desk_chooses(desk):
    for name in ("王强", "李娜"):
        rotation.set_state(dt.date.today(), _id(name), "off", desk)

    with pytest.raises(ValidationError):
        register_visit(VisitDraft("张三", "13800138000"), desk)
    result = register_visit(VisitDraft("张三", "13800138000", salesperson_id=_id("李娜")), desk)
    assert result.assignment == "manual"


def test_salespeople_do_not_register_visitors(desk, salesperson):
    with pytest.raises(PermissionDenied):
        register_visit(VisitDraft("张三", "13800138000"), salesperson)


def test_register_counts_by_channel_and_source_and_who_is_still_inside(desk):
    first = register_visit(VisitDraft("张三", "13800138000"), desk)
    register_visit(VisitDraft("李四", "13900000001", channel="call"), desk)
    register_visit(VisitDraft("王五", "13900000002", source="referral"), desk)
    frontdesk.set_departure(first.visit_id, desk)

    today = dt.date.today()
    counts = count_register(visits_between(today, today, desk))
    assert counts.total == 3
    assert counts.first_visits == 3
    assert counts.by_channel == {"visit": 2, "call": 1}
    assert counts.by_source == {"visit": 1, "call": 1, "referral": 1}
    assert counts.in_building == 1
    assert visits_between(today - dt.timedelta(days=2), today - dt.timedelta(days=1), desk) == []


def test_departure_cannot_come_before_arrival(desk):
    result = register_visit(VisitDraft("张三", "13800138000"), desk)
    with pytest.raises(ValidationError):
        frontdesk.set_departure(result.visit_id, desk, dt.datetime.now() - dt.timedelta(days=1))


def test_phone_history_shows_every_registration_visit_and_transfer_earliest_first(desk, manager):
    first = register_visit(VisitDraft("张三", "13800138000", "看车"), desk)
    register_visit(VisitDraft("张三", "+86 138 0013 8000", "试驾", customer_id=first.customer_id),
                   desk)
    ownership.transfer([first.customer_id], _id("李娜"), "王强调离", manager)

    history = phone_history("138-0013-8000", desk)

    assert [e.kind for e in history] == ["archive", "visit", "visit", "transfer"]
    assert history[0].receptionist == "陈静"
    assert history[0].salesperson == "王强"
    assert "看车" in history[1].details
    assert "试驾" in history[2].details
    assert history[3].salesperson == "李娜"
    assert "王强调离" in history[3].details
    assert all(e.archive_no == first.archive_no for e in history)
    with pytest.raises(ValidationError):
        phone_history("138", desk)

"""The handbook's ownership rules (客户首访原则, 客户区分准则), each test one of its sentences."""
from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from crmdesk.errors import ValidationError
from crmdesk.models import Customer, HouseholdLink, OwnershipChange, Staff
from crmdesk.services import ownership, rotation, settings
from crmdesk.services.contacts import Contact, log_contact
from crmdesk.services.context import Actor
from crmdesk.services.frontdesk import VisitDraft, register_visit
from crmdesk.services.protection import protection_of


@pytest.fixture
def desk(archive) -> Actor:
    """The front desk, with three salespeople on the duty list (王强, 李娜, 周敏)."""
    actor = Actor.of(Staff.create(name="陈静", username="desk", roles="frontdesk"))
    for name, username in (("王强", "wq"), ("李娜", "ln"), ("周敏", "zm")):
        Staff.create(name=name, username=username, roles="sales")
    return actor


@pytest.fixture
def boss(archive) -> Actor:
    return Actor.of(Staff.create(name="赵经理", username="boss", roles="manager"))


def _id(name: str) -> int:
    return Staff.get(Staff.name == name).id


def _age(customer_id: int, days: int) -> None:
    """Make the archive, and how its owner got it, ``days`` old."""
    old = dt.datetime.now().replace(microsecond=0) - dt.timedelta(days=days)
    Customer.update(created_at=old).where(Customer.id == customer_id).execute()
    OwnershipChange.update(at=old).where(OwnershipChange.customer == customer_id).execute()


def test_an_archive_is_protected_two_months_from_its_registration(desk):
    """(1) 客户建档有效期为2个月."""
    first = register_visit(VisitDraft("张三", "13800138000"), desk)
    registered = Customer.get_by_id(first.customer_id).created_at.date()

    guard = protection_of([first.customer_id])[first.customer_id]

    assert settings.get("protection_days") == 60
    assert guard.expires == registered + dt.timedelta(days=60)


@pytest.mark.parametrize(("renewed", "days_left"), [(False, 10), (True, 60)],
                         ids=["the handbook's rule: contacts do not extend",
                              "the office's choice: each contact renews"])
def test_the_owners_contact_extends_protection_only_where_the_office_says(desk, renewed,
                                                                          days_left):
    if renewed:
        settings.put("protection_renewed_by_contact", True)
    first = register_visit(VisitDraft("张三", "13800138000"), desk)
    _age(first.customer_id, 50)
    owner = Actor.of(Staff.get_by_id(_id("王强")))

    log_contact(first.customer_id, Contact(dt.datetime.now().replace(microsecond=0), "phone",
                                           "回访"), owner)

    guard = protection_of([first.customer_id])[first.customer_id]
    assert guard.expires == dt.date.today() + dt.timedelta(days=days_left)


def test_a_lapsed_customer_who_returns_belongs_to_the_new_receiver(desk):
    """(7) Past the archive's protection the earlier receiver has nothing to do with it."""
    first = register_visit(VisitDraft("张三", "13800138000"), desk)
    _age(first.customer_id, 70)

    again = register_visit(VisitDraft("张三", "13800138000", customer_id=first.customer_id),
                           desk)

    assert again.salesperson_id == _id("李娜")
    assert Customer.get_by_id(first.customer_id).owner_id == _id("李娜")
    assert protection_of([first.customer_id])[first.customer_id].valid_on(dt.date.today())
    kinds = [row.kind for row in ownership.ownership_history(first.customer_id)]
    assert kinds == ["registration", "return"]


def test_a_return_never_counts_against_the_rotation(desk):
    """重新上门不计入接待名额: the next new visitor still goes to the one who took the return."""
    first = register_visit(VisitDraft("张三", "13800138000"), desk)
    _age(first.customer_id, 70)
    register_visit(VisitDraft("张三", "13800138000", customer_id=first.customer_id), desk)

    new = register_visit(VisitDraft("李四", "13900139000"), desk)

    assert new.salesperson_id == _id("李娜")
    assert rotation.next_turn().staff_id == _id("周敏")


def test_a_new_customer_brought_by_an_old_one_belongs_to_the_old_ones_salesperson(desk):
    """(10) 原则上由旧客户带来的新客户，属原始接待者所有."""
    old = register_visit(VisitDraft("张三", "13800138000"), desk)

    brought = register_visit(VisitDraft("王五", "13700137000", source="old_brings_new",
                                        referrer_id=old.customer_id), desk)

    assert (brought.salesperson_id, brought.assignment) == (_id("王强"), "referral")
    assert Customer.get_by_id(brought.customer_id).owner_id == _id("王强")
    assert rotation.next_turn().staff_id == _id("李娜")


def test_a_referral_by_a_customer_whose_salesperson_left_goes_to_the_rotation(desk, boss):
    old = register_visit(VisitDraft("张三", "13800138000"), desk)
    Staff.update(active=False).where(Staff.id == _id("王强")).execute()

    brought = register_visit(VisitDraft("王五", "13700137000", source="old_brings_new",
                                        referrer_id=old.customer_id), desk)

    assert (brought.salesperson_id, brought.assignment) == (_id("李娜"), "rotation")


def test_a_customer_of_someone_who_left_is_received_by_the_rotation_and_kept(desk):
    first = register_visit(VisitDraft("张三", "13800138000"), desk)
    Staff.update(active=False).where(Staff.id == _id("王强")).execute()

    again = register_visit(VisitDraft("张三", "13800138000", customer_id=first.customer_id),
                           desk)

    assert again.salesperson_id == _id("李娜")
    assert Customer.get_by_id(first.customer_id).owner_id == _id("李娜")


def test_handover_evenly_spreads_a_leavers_customers_over_the_others(desk, boss):
    """(12) 销售代表请长假或调离时，其客户由经理分配给其他销售代表."""
    ids = [register_visit(VisitDraft(f"客户{i}", f"1380013800{i}",
                                     salesperson_id=_id("王强"), override_reason="指定"),
                          desk).customer_id for i in range(7)]

    moved = ownership.hand_over(_id("王强"), [_id("李娜"), _id("周敏")], "evenly", "调离",
                                boss)

    owners = Counter(Customer.get_by_id(cid).owner_id for cid in ids)
    assert moved == 7
    assert sorted(owners.values()) == [3, 4]
    assert set(owners) == {_id("李娜"), _id("周敏")}


def test_handover_by_draw_gives_each_customer_to_a_random_colleague(desk, boss):
    """(12) 其客户由经理按随机抽数分配给其他销售代表."""
    ids = [register_visit(VisitDraft(f"客户{i}", f"1380013800{i}",
                                     salesperson_id=_id("王强"), override_reason="指定"),
                          desk).customer_id for i in range(10)]

    ownership.hand_over(_id("王强"), [_id("李娜"), _id("周敏")], "draw", "长假", boss)

    owners = Counter(Customer.get_by_id(cid).owner_id for cid in ids)
    assert set(owners) <= {_id("李娜"), _id("周敏")} and sum(owners.values()) == 10
    assert max(owners.values()) - min(owners.values()) <= 1
    reasons = {r.reason for cid in ids for r in ownership.ownership_history(cid)[1:]}
    assert reasons == {"长假"}


def test_handover_needs_someone_other_than_the_leaver(desk, boss):
    register_visit(VisitDraft("张三", "13800138000"), desk)
    with pytest.raises(ValidationError):
        ownership.hand_over(_id("王强"), [_id("王强")], "evenly", "调离", boss)


def test_a_second_member_of_a_household_follows_the_first_ones_receiver(desk):
    """(11) 客户中家庭有一方先来看房，另一方后来看房，以先接待者为准."""
    husband = register_visit(VisitDraft("张三", "13800138000"), desk)

    wife = register_visit(VisitDraft("李梅", "13700137000", household_of=husband.customer_id),
                          desk)

    assert (wife.salesperson_id, wife.assignment) == (_id("王强"), "household")
    assert HouseholdLink.get(HouseholdLink.member == wife.customer_id).first_id == (
        husband.customer_id)
    assert rotation.next_turn().staff_id == _id("李娜")

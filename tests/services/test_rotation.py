"""Reception by rotation: turns in order, make-up turns after being out, return visits use none."""
from __future__ import annotations

import datetime as dt

import pytest

from crmdesk.errors import NotFoundError, ValidationError
from crmdesk.models import DutyEntry, Staff
from crmdesk.models.db import close_database, open_database
from crmdesk.services import rotation
from crmdesk.services.context import Actor
from crmdesk.services.frontdesk import VisitDraft, register_visit
from crmdesk.services.rotation import DutyMember, Turn, plan_turn

TODAY = dt.date.today()


def _members(*states: str, owed: dict[int, int] | None = None, last: int | None = None
             ) -> list[DutyMember]:
    owed = owed or {}
    return [DutyMember(i, f"S{i}", state, owed.get(i, 0), 1 if i == last else 0)
            for i, state in enumerate(states)]


def test_the_first_present_salesperson_takes_the_first_turn():
    assert plan_turn(_members("present", "present", "present")) == Turn(0)


def test_the_rotation_goes_on_after_whoever_took_the_last_turn():
    assert plan_turn(_members("present", "present", "present", last=1)) == Turn(2)
    assert plan_turn(_members("present", "present", "present", last=2)) == Turn(0)


def test_someone_out_is_passed_and_owed_the_turn_someone_off_is_not():
    assert plan_turn(_members("present", "out", "off", "present", last=0)) == Turn(3, passed=(1,))


def test_someone_back_with_missed_turns_makes_them_up_first():
    assert plan_turn(_members("present", "present", "present", owed={2: 1}, last=0)) == Turn(
        2, make_up=True)


def test_nobody_present_means_no_proposal():
    assert plan_turn(_members("out", "off")) is None
    assert plan_turn([]) is None


@pytest.fixture
def desk(archive) -> Actor:
    """The front desk, with 王强, 李娜 and 张伟 on duty in that order."""
    for name, username in (("王强", "wq"), ("李娜", "ln"), ("张伟", "zw")):
        Staff.create(name=name, username=username, roles="sales")
    return Actor.of(Staff.create(name="陈静", username="desk", roles="frontdesk"))


def _receiver(desk: Actor, phone: str, customer_id: int | None = None) -> str:
    result = register_visit(VisitDraft("访客", phone, customer_id=customer_id), desk)
    return Staff.get_by_id(result.salesperson_id).name


def _id(name: str) -> int:
    return Staff.get(Staff.name == name).id


def test_out_and_back_gets_the_missed_turns_and_returning_customers_use_none(desk):
    phones = iter(f"1390000{n:04d}" for n in range(100))
    received = [_receiver(desk, next(phones))]  # 王强
    rotation.set_state(TODAY, _id("李娜"), "out", desk)
    received += [_receiver(desk, next(phones)) for _ in range(3)]  # 张伟, 王强, 张伟
    rotation.set_state(TODAY, _id("李娜"), "present", desk)
    owner_of_first = register_visit(VisitDraft("访客", "13900000000", customer_id=1), desk)
    received += [_receiver(desk, next(phones)) for _ in range(4)]  # 李娜 ×2 (make-up), 王强, 李娜

    assert received == ["王强", "张伟", "王强", "张伟", "李娜", "李娜", "王强", "李娜"]
    assert owner_of_first.assignment == "owner"
    members = {m.name: m for m in rotation.duty_list(TODAY)}
    assert members["李娜"].owed == 0
    assert (members["王强"].received, members["李娜"].received, members["张伟"].received) == (
        4, 3, 2)


def test_the_rotation_survives_a_restart(desk, archive):
    _receiver(desk, "13900000001")
    close_database()
    open_database(archive)
    assert rotation.next_turn(TODAY).staff_id == _id("李娜")


def test_a_new_day_starts_from_the_last_list_set_everyone_present_newcomers_last(desk):
    yesterday = TODAY - dt.timedelta(days=1)
    rotation.set_duty_list(yesterday, [_id("张伟"), _id("王强")], desk)
    rotation.set_state(yesterday, _id("张伟"), "out", desk)

    today = rotation.duty_list(TODAY)

    assert [(m.name, m.state) for m in today] == [
        ("张伟", "present"), ("王强", "present"), ("李娜", "present")]
    assert not DutyEntry.select().where(DutyEntry.day == TODAY).exists()


def test_the_duty_list_refuses_unknown_or_repeated_staff(desk):
    with pytest.raises(ValidationError):
        rotation.set_duty_list(TODAY, [_id("王强"), _id("王强")], desk)
    with pytest.raises(ValidationError):
        rotation.set_duty_list(TODAY, [4242], desk)
    with pytest.raises(ValidationError):
        rotation.set_state(TODAY, _id("王强"), "asleep", desk)
    with pytest.raises(NotFoundError):
        rotation.set_state(TODAY, desk.staff_id, "out", desk)

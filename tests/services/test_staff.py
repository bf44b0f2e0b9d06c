"""The staff list: adding people, refusing bad entries, finding them by name."""
from __future__ import annotations

import pytest

from crmdesk.errors import ValidationError
from crmdesk.models import Staff
from crmdesk.services.staff import active_staff, add_staff, find_staff, staff_names


def test_added_member_of_staff_is_stored_with_roles(archive):
    staff_id = add_staff(" 李娜 ", " lina ", ("sales", "frontdesk"))
    stored = Staff.get_by_id(staff_id)
    assert (stored.name, stored.username, stored.roles, stored.active) == (
        "李娜", "lina", "sales,frontdesk", True)
    assert stored.has_role("frontdesk")
    assert not stored.has_role("manager")


def test_every_problem_with_a_new_member_is_listed_at_once(salesperson):
    with pytest.raises(ValidationError) as refused:
        add_staff(" ", "sales", ("sales", "boss"))
    assert {p.field for p in refused.value.problems} == {"name", "username", "roles"}
    assert "boss" in str(refused.value)
    assert Staff.select().count() == 1


def test_taken_username_is_refused_even_with_spaces_around_it(salesperson):
    with pytest.raises(ValidationError) as refused:
        add_staff("王强二", " sales ")
    assert [p.field for p in refused.value.problems] == ["username"]
    assert Staff.select().count() == 1


def test_inactive_staff_leave_the_choices_but_keep_their_name_on_old_cards(archive):
    kept = add_staff("张伟", "zhangwei")
    left = add_staff("吴敏", "wumin")
    Staff.update(active=False).where(Staff.id == left).execute()
    assert active_staff() == [(kept, "张伟")]
    assert staff_names() == {kept: "张伟", left: "吴敏"}


def test_staff_are_found_by_username_or_name(salesperson):
    assert find_staff("sales").id == salesperson.staff_id
    assert find_staff("王强").id == salesperson.staff_id
    assert find_staff("nobody") is None

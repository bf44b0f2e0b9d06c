"""Accounts: argon2id hashes, lockout after five wrong passwords, set-up mode, roles."""
from __future__ import annotations

import datetime as dt

import pytest

from crmdesk.errors import ValidationError
from crmdesk.models import AuditEntry, Staff
from crmdesk.services import accounts
from crmdesk.services.accounts import LoginError, PermissionDenied


@pytest.fixture
def admin(archive):
    return accounts.create_first_admin("管理员", "admin", "correct horse")


def test_password_is_stored_as_an_argon2id_hash(admin):
    stored = Staff.get(Staff.username == "admin").password_hash
    assert stored.startswith("$argon2id$")
    assert "correct horse" not in stored


def test_first_admin_can_be_created_only_once(admin):
    with pytest.raises(PermissionDenied):
        accounts.create_first_admin("另一个", "admin2", "another password")


def test_short_password_is_refused(archive):
    with pytest.raises(ValidationError, match="8"):
        accounts.create_first_admin("管理员", "admin", "short")
    assert not accounts.accounts_exist()


def test_right_password_logs_in_and_is_audited(admin):
    actor = accounts.log_in("admin", "correct horse")
    assert actor.name == "管理员"
    assert set(actor.roles) == {"admin", "manager"}
    assert AuditEntry.select().where(AuditEntry.action == "login").count() == 1


def test_five_wrong_passwords_lock_the_account_for_five_minutes(admin):
    start = dt.datetime(2026, 11, 23, 9, 0)
    for attempt in range(5):
        with pytest.raises(LoginError, match=r"Wrong|错误|密码"):
            accounts.log_in("admin", f"wrong {attempt}", now=start)
    with pytest.raises(LoginError) as locked:
        accounts.log_in("admin", "correct horse", now=start + dt.timedelta(minutes=4))
    assert "09:05" in str(locked.value)
    assert accounts.log_in("admin", "correct horse", now=start + dt.timedelta(minutes=6))
    failures = AuditEntry.select().where(AuditEntry.action == "login_failed").count()
    assert failures == 6


def test_unknown_user_gets_the_same_message_as_a_wrong_password(admin):
    with pytest.raises(LoginError) as unknown:
        accounts.log_in("nobody", "whatever1")
    with pytest.raises(LoginError) as wrong:
        accounts.log_in("admin", "whatever1")
    assert str(unknown.value) == str(wrong.value)


def test_inactive_staff_cannot_log_in_but_keep_their_history(admin):
    staff = Staff.create(name="离职员工", username="left", roles="sales")
    accounts.set_password(admin, staff.id, "sales password")
    accounts.deactivate(admin, staff.id)
    with pytest.raises(LoginError):
        accounts.log_in("left", "sales password")
    assert Staff.get_by_id(staff.id).name == "离职员工"


def test_only_an_administrator_changes_roles(admin):
    staff = Staff.create(name="王强", username="sales", roles="sales")
    accounts.set_password(admin, staff.id, "sales password")
    seller = accounts.log_in("sales", "sales password")
    with pytest.raises(PermissionDenied):
        accounts.set_roles(seller, staff.id, ("manager",))
    accounts.set_roles(admin, staff.id, ("sales", "manager"))
    assert Staff.get_by_id(staff.id).roles == "sales,manager"
    change = AuditEntry.select().where(AuditEntry.action == "set_roles").get()
    assert "manager" in change.details


def test_shipped_password_cost_follows_the_recommendation():
    from argon2 import Type

    from crmdesk.services import accounts as module

    assert module.PROFILE.type is Type.ID
    assert module.PROFILE.memory_cost >= 64 * 1024
    assert module.PROFILE.time_cost >= 3

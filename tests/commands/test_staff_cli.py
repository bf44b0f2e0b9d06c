"""``crmdesk staff`` and ``--user``: only administrators add staff, every change is audited,
and logging in goes by user name alone."""
from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from crmdesk import i18n
from crmdesk.cli import main
from crmdesk.errors import ValidationError
from crmdesk.models import AuditEntry, Staff
from crmdesk.services import accounts
from crmdesk.services.accounts import LoginError
from tests.backends import location_options

PASSWORD = "a long password"
COMMANDS = Path(__file__).resolve().parents[2] / "crmdesk" / "commands"


@pytest.fixture
def office(archive, monkeypatch):
    """An administrator, a front desk and a salesperson, all with PASSWORD."""
    for name in ("CRMDESK_USER", "CRMDESK_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CRMDESK_PASSWORD", PASSWORD)
    admin = accounts.create_first_admin("管理员", "admin", PASSWORD)
    accounts.add_account(admin, "陈静", "frontdesk", ("frontdesk",), PASSWORD)
    accounts.add_account(admin, "王强", "sales", ("sales",), PASSWORD)
    return archive


def run(archive, capsys, user: str | None, *args: str) -> tuple[int, str, str]:
    who = ["--user", user] if user else []
    code = main([*location_options(archive), "--lang", "en", *who, *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("user", ["frontdesk", "sales"])
def test_only_an_administrator_adds_staff_on_the_command_line(office, capsys, user):
    before = Staff.select().count()
    code, out, err = run(office, capsys, user, "staff", "add", "新人", "--username", "newbie",
                         "--roles", "admin")
    assert (code, out) == (1, "")
    assert err.count("\n") == 1 and "Only an administrator can add staff" in err
    assert Staff.select().count() == before
    assert not AuditEntry.select().where(AuditEntry.action == "add_staff",
                                         AuditEntry.details.contains("newbie")).exists()


def test_staff_added_by_an_administrator_is_audited(office, capsys):
    code, out, _err = run(office, capsys, "admin", "staff", "add", "新人", "--username",
                          "newbie", "--roles", "sales,frontdesk", "--json")
    assert (code, json.loads(out)) == (0, {"staff": 1})
    added = Staff.get(Staff.username == "newbie")
    assert (added.name, added.roles, added.password_hash) == ("新人", "sales,frontdesk", None)
    entry = AuditEntry.get(AuditEntry.action == "add_staff",
                           AuditEntry.details.contains("newbie"))
    assert entry.actor_name == "管理员"
    assert "sales,frontdesk" in entry.details


def test_a_named_member_of_staff_is_held_to_their_role_while_setting_up(archive, capsys,
                                                                       monkeypatch):
    monkeypatch.delenv("CRMDESK_USER", raising=False)
    Staff.create(name="陈静", username="desk", roles="frontdesk")
    code, _out, err = run(archive, capsys, "desk", "staff", "add", "新人", "--username", "x",
                          "--roles", "admin")
    assert code == 1 and "Only an administrator" in err
    assert run(archive, capsys, None, "staff", "add", "新人", "--username", "x")[0] == 0


def test_password_and_role_changes_are_audited(office):
    admin = accounts.log_in("admin", PASSWORD)
    sales = Staff.get(Staff.username == "sales").id
    accounts.set_roles(admin, sales, ("sales", "manager"))
    accounts.set_password(admin, sales, "another long one")
    accounts.deactivate(admin, sales)
    actions = [e.action for e in AuditEntry.select().where(
        AuditEntry.details.contains(f'"staff_id": {sales}')).order_by(AuditEntry.seq)]
    assert actions == ["add_staff", "set_roles", "set_password", "deactivate_staff"]


@pytest.mark.parametrize(("name", "username", "field", "says"), [
    ("新\x00人", "newbie", "Name", "control characters"),
    ("\u202e人新", "newbie", "Name", "direction overrides"),
    ("张" * 101, "newbie", "Name", "at most 100"),
    ("新人", "new\u2066bie", "User name", "direction overrides"),
    ("新人", "new bie", "User name", "without spaces"),
])
def test_unusable_names_are_refused_naming_the_field(office, name, username, field, says):
    i18n.set_language("en")
    admin = accounts.log_in("admin", PASSWORD)
    with pytest.raises(ValidationError) as refused:
        accounts.add_account(admin, name, username, ("sales",))
    [problem] = [line for line in str(refused.value).splitlines() if says in line]
    assert problem.startswith(f"{field}: ")
    assert not Staff.select().where(Staff.username == username).exists()


def test_command_line_refuses_a_name_with_controls_naming_the_option(office, capsys):
    code, _out, err = run(office, capsys, "admin", "staff", "add", "新\x1b[31m人", "--username",
                          "newbie")
    assert code == 2
    assert "argument name: name must not contain control characters" in err


def test_user_is_matched_by_user_name_never_by_display_name(office, capsys):
    # 王强's display name typed as --user does not log in as 王强 ...
    code, out, err = run(office, capsys, "王强", "customers", "--json")
    assert (code, out) == (1, "")
    assert "Wrong user name or password" in err
    # ... and a colleague whose user name is 王强 logs in as themself, not as 王强.
    admin = accounts.log_in("admin", PASSWORD)
    accounts.add_account(admin, "冒名者", "王强", ("frontdesk",), "mallory's password")
    code, _out, _err = run(office, capsys, "王强", "customers", "--json")
    assert code == 1  # PASSWORD is the real 王强's, not the impostor's
    latest = AuditEntry.select().order_by(AuditEntry.seq.desc()).get()
    assert (latest.action, latest.actor_name) == ("login_failed", "")


def test_an_inactive_account_is_told_the_same_as_a_wrong_password(office, capsys):
    admin = accounts.log_in("admin", PASSWORD)
    accounts.deactivate(admin, Staff.get(Staff.username == "sales").id)
    with pytest.raises(LoginError) as inactive:
        accounts.log_in("sales", PASSWORD)
    with pytest.raises(LoginError) as wrong:
        accounts.log_in("frontdesk", "not the password")
    assert str(inactive.value) == str(wrong.value)
    _code, _out, err_inactive = run(office, capsys, "sales", "customers")
    _code, _out, err_unknown = run(office, capsys, "nobody", "customers")
    assert err_inactive == err_unknown


def test_commands_do_not_query_models():
    """The command line calls services; only services (and models) touch peewee models."""
    for module in sorted(COMMANDS.glob("*.py")):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert node.module != "crmdesk.models", module.name
                assert node.module not in ("peewee", "crmdesk.models.staff",
                                           "crmdesk.models.customer"), module.name
            if isinstance(node, ast.Import):
                assert all(alias.name != "peewee" for alias in node.names), module.name


@pytest.mark.parametrize("user", ["ad\x00min", "admin\n", ""])
def test_a_user_name_no_account_can_have_is_a_wrong_login(office, capsys, user):
    code, out, err = run(office, capsys, user, "customers")
    assert (code, out) == (1, "")
    assert len(err.splitlines()) == 1

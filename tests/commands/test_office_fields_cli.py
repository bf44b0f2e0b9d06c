"""``crmdesk fields``: listing the office's fields and removing one, with --force when cards
hold values of it."""
from __future__ import annotations

import json

import pytest

from crmdesk.cli import main
from crmdesk.models import AuditEntry, OfficeValue
from crmdesk.models.db import close_database
from crmdesk.services import customers
from tests.backends import location_options
from tests.office_field_samples import CLUB, WORK_YEARS, add_fields

PASSWORD = "a long password"


@pytest.fixture
def cli(archive, manager, monkeypatch, capsys):
    """Run a command on the test archive as the manager, who has a password."""
    from crmdesk.services import accounts

    accounts.set_password(manager, manager.staff_id, PASSWORD)
    monkeypatch.delenv("CRMDESK_DATABASE_URL", raising=False)
    monkeypatch.setenv("CRMDESK_PASSWORD", PASSWORD)

    def run(*args: str) -> tuple[int, str, str]:
        code = main([*location_options(archive), "--lang", "en", "--user", "manager", *args])
        out, err = capsys.readouterr()
        return code, out, err

    yield run
    close_database()


def test_a_field_holding_values_is_removed_only_with_force(cli, manager):
    add_fields(manager, WORK_YEARS, CLUB)
    card = customers.new_card(manager)
    card.values.update(name="张三", mobile="13800138000")
    card.office = {"club": "golf"}
    customers.save_card(card, manager, accept_incomplete=True)
    code, out, _err = cli("fields", "list", "--json")
    assert code == 0
    assert {r["key"]: r["values"] for r in json.loads(out)} == {"work_years": 0, "club": 1}
    code, _out, err = cli("fields", "remove", "club")
    assert code == 1
    assert "1 card holds a value of Club" in err and "--force" in err
    code, out, err = cli("fields", "remove", "club", "--force")
    assert code == 0, err
    assert "Field club removed; 1 value kept in the audit trail." in out
    code, out, _err = cli("fields", "remove", "work_years")
    assert code == 0
    code, out, _err = cli("fields", "list", "--json")
    assert json.loads(out) == []
    assert OfficeValue.select().count() == 0
    assert AuditEntry.select().where(AuditEntry.action == "office_field_remove").count() == 2

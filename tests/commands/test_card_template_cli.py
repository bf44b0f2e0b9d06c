"""``crmdesk staff first-admin --card-template`` and ``crmdesk card-template``: an office picks
its ready-made card at the start and may pick another later, as a manager."""
from __future__ import annotations

import json

import pytest

from crmdesk.cli import main
from crmdesk.models.db import close_database
from crmdesk.services import accounts
from tests.backends import location_options

PASSWORD = "a long password"


@pytest.fixture
def cli(archive, monkeypatch, capsys):
    """Run a command on the test archive as a user (None: nobody logged in)."""
    for name in ("CRMDESK_USER", "CRMDESK_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CRMDESK_PASSWORD", PASSWORD)
    monkeypatch.setenv("CRMDESK_NEW_PASSWORD", PASSWORD)

    def run(user: str | None, *args: str) -> tuple[int, str, str]:
        who = ["--user", user] if user else []
        code = main([*location_options(archive), "--lang", "en", *who, *args])
        out, err = capsys.readouterr()
        return code, out, err

    yield run
    close_database()


def test_the_first_administrator_picks_the_card_and_a_manager_changes_it(cli):
    code, out, err = cli(None, "staff", "first-admin", "管理员", "--username", "admin",
                         "--card-template", "telesales")
    assert code == 0, err
    assert "Telesales" in out
    code, out, _err = cli("admin", "card-template", "list", "--json")
    listed = {row["key"]: row for row in json.loads(out)}
    assert listed["telesales"]["current"] and not listed["showroom"]["current"]
    assert "favourite_cuisine" in listed["telesales"]["hidden"]

    code, out, err = cli("admin", "card-template", "apply", "organisation", "--json")
    assert code == 0, err
    done = json.loads(out)
    assert "store_type" not in done["hidden"] and "favourite_cuisine" not in done["shown"]
    code, out, _err = cli("admin", "card-template", "list")
    assert "* organisation" in out


def test_a_salesperson_may_list_but_not_pick(cli):
    admin = accounts.create_first_admin("管理员", "admin", PASSWORD)
    accounts.add_account(admin, "王强", "sales", ("sales",), PASSWORD)
    close_database()
    code, out, _err = cli("sales", "card-template", "list")
    assert code == 0 and "showroom" in out
    code, _out, err = cli("sales", "card-template", "apply", "telesales")
    assert code != 0
    assert "manager" in err or "administrator" in err

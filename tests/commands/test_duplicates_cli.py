"""``crmdesk duplicates / not-same / merge / merge-undo / merges``."""
from __future__ import annotations

import json

import pytest

from crmdesk.cli import main
from crmdesk.models import Customer, Staff
from crmdesk.services import customers
from crmdesk.services.context import Actor
from tests.backends import location_options


@pytest.fixture
def office(archive, monkeypatch):
    """An archive with a manager (no logins yet) and two archives of one customer."""
    for variable in ("CRMDESK_USER", "CRMDESK_PASSWORD", "CRMDESK_DATABASE_URL"):
        monkeypatch.delenv(variable, raising=False)
    boss = Actor.of(Staff.create(name="赵经理", username="boss", roles="manager,sales"))
    Staff.create(name="王强", username="wq", roles="sales")
    for name, notes in (("张三", None), ("张叁", "新备注")):
        card = customers.new_card(boss)
        card.values.update(name=name, mobile="13911110002", notes=notes)
        customers.save_card(card, boss, accept_incomplete=True, second_archive="导入重复")
    return archive


def run(archive, capsys, *args: str, user: str = "boss") -> tuple[int, str, str]:
    code = main([*location_options(archive), "--lang", "en", "--user", user, *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_scan_merge_alias_and_undo_from_the_command_line(office, capsys):
    first, second = (c.archive_no for c in Customer.select().order_by(Customer.id))
    code, out, _err = run(office, capsys, "duplicates", "--json")
    assert code == 0
    [group] = json.loads(out)
    assert group["score"] == 100 and group["keys"] == ["mobile"]
    assert [a["archive_no"] for a in group["archives"]] == [first, second]

    code, out, err = run(office, capsys, "merge", first, second, "--take", f"name={second}",
                         "--json")
    assert code == 0, err
    result = json.loads(out)
    assert (result["kept"], result["merged"]) == (first, second)
    kept = Customer.get(Customer.archive_no == first)
    assert (kept.name, kept.notes) == ("张叁", "新备注")
    code, out, _err = run(office, capsys, "customers", second)
    assert first in out

    code, out, _err = run(office, capsys, "merges", "--json")
    assert [m["merged_no"] for m in json.loads(out)] == [second]
    code, out, err = run(office, capsys, "merge-undo", str(result["merge"]))
    assert code == 0, err
    assert Customer.select().count() == 2
    assert Customer.get(Customer.archive_no == first).name == "张三"


def test_not_same_takes_the_pair_out_of_the_scan(office, capsys):
    first, second = (c.archive_no for c in Customer.select().order_by(Customer.id))
    assert run(office, capsys, "not-same", first, second, "--reason", "兄弟")[0] == 0
    _code, out, _err = run(office, capsys, "duplicates", "--json")
    assert json.loads(out) == []


def test_bad_takes_and_salespeople_are_refused(office, capsys):
    first, second = (c.archive_no for c in Customer.select().order_by(Customer.id))
    code, _out, err = run(office, capsys, "merge", first, second, "--take", "name=KH1")
    assert code == 2 and "--take" in err
    code, _out, err = run(office, capsys, "merge", first, second, "--take", f"nosuch={first}")
    assert code == 1 and "nosuch" in err
    code, _out, err = run(office, capsys, "duplicates", user="wq")
    assert code == 1
    assert Customer.select().count() == 2

"""``crmdesk visits / visit add / register / history / transfer / pool / claim``."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from crmdesk.cli import main
from crmdesk.models import AuditEntry, Customer, OwnershipChange, Staff, Visit
from tests.backends import location_options


@pytest.fixture
def desk(archive, monkeypatch):
    """An archive with a front desk, two salespeople and a manager; no logins set up yet."""
    for variable in ("CRMDESK_USER", "CRMDESK_PASSWORD", "CRMDESK_DATABASE_URL"):
        monkeypatch.delenv(variable, raising=False)
    Staff.create(name="陈静", username="desk", roles="frontdesk")
    Staff.create(name="王强", username="wq", roles="sales")
    Staff.create(name="李娜", username="ln", roles="sales")
    Staff.create(name="赵经理", username="boss", roles="manager")
    return archive


def run(archive, capsys, *args: str, user: str = "desk") -> tuple[int, str, str]:
    code = main([*location_options(archive), "--lang", "en", "--user", user, *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_visit_add_registers_a_new_visitor_and_visits_lists_it(desk, capsys):
    code, out, _err = run(desk, capsys, "visit", "add", "--name", "张三", "--phone",
                          "138 0013 8000", "--purpose", "看车", "--json")
    assert code == 0
    result = json.loads(out)
    assert result["created"]
    assert result["salesperson"] == "王强"

    # The front desk reads the register, not 王强's card: the mobile is masked as in a search.
    code, out, _err = run(desk, capsys, "visits", "--json")
    rows = json.loads(out)
    assert [(r["name"], r["phone"], r["purpose"], r["archive_no"]) for r in rows] == [
        ("张三", "138****8000", "看车", result["archive_no"])]
    code, out, _err = run(desk, capsys, "visits", "--json", user="wq")
    assert json.loads(out)[0]["phone"] == "138 0013 8000"
    code, out, _err = run(desk, capsys, "visits")
    assert "1 in all" in out
    assert "1 still in the building" in out


def test_visit_add_refuses_a_known_phone_unless_confirmed(desk, capsys):
    run(desk, capsys, "visit", "add", "--name", "张三", "--phone", "13800138000")

    code, _out, err = run(desk, capsys, "visit", "add", "--name", "张小三", "--phone",
                          "+86 138-0013-8000")
    assert code == 1
    assert "already has an archive" in err
    assert Customer.select().count() == 1

    code, _out, err = run(desk, capsys, "visit", "add", "--name", "张小三", "--phone",
                          "+86 138-0013-8000", "--confirm-new")
    assert code == 1
    assert "Reason for a second archive" in err
    assert Customer.select().count() == 1

    code, _out, _err = run(desk, capsys, "visit", "add", "--name", "张小三", "--phone",
                           "+86 138-0013-8000", "--confirm-new", "父子共用一个手机")
    assert code == 0
    assert Customer.select().count() == 2
    entry = AuditEntry.get(AuditEntry.action == "second_archive")
    assert json.loads(entry.details)["reason"] == "父子共用一个手机"


def test_register_links_a_known_phone_to_its_earliest_archive_and_says_so(desk, capsys):
    run(desk, capsys, "visit", "add", "--name", "张三", "--phone", "13800138000")
    first = Customer.get().archive_no

    code, out, _err = run(desk, capsys, "register", "--name", "张三", "--phone",
                          "138 0013 8000", "--channel", "call")

    assert code == 0
    assert first in out
    assert "linked" in out
    assert Customer.select().count() == 1
    assert [v.returning for v in Visit.select().order_by(Visit.id)] == [False, True]


@pytest.mark.parametrize(("args", "reason"), [
    (("--phone", "138001380"), "11 digits"),
    (("--phone", "13800138000", "--salesperson", "nobody"), "no member of staff"),
    (("--phone", "13800138000", "--at", "2099-01-01 10:00"), "future"),
])
def test_bad_input_exits_1_with_the_reason(desk, capsys, args, reason):
    code, _out, err = run(desk, capsys, "register", "--name", "张三", *args)
    assert code == 1
    assert reason in err
    assert Visit.select().count() == 0


def test_history_transfer_pool_and_claim(desk, capsys):
    run(desk, capsys, "visit", "add", "--name", "张三", "--phone", "13800138000")
    number = Customer.get().archive_no

    code, out, _err = run(desk, capsys, "transfer", number, "--to", "李娜", "--reason", "王强调离",
                          user="boss")
    assert code == 0
    assert "1 customers" in out
    assert OwnershipChange.select().where(OwnershipChange.kind == "transfer").count() == 1

    code, out, _err = run(desk, capsys, "history", "138 0013 8000", "--json")
    assert [e["kind"] for e in json.loads(out)] == ["archive", "visit", "transfer"]

    code, _out, err = run(desk, capsys, "transfer", number, "--to", "王强", "--reason", "x")
    assert code == 1
    assert "Only a manager may do this; you are 陈静 (front desk)" in err

    code, out, _err = run(desk, capsys, "pool", "--json")
    assert json.loads(out) == []
    old = dt.datetime.now() - dt.timedelta(days=90)
    Customer.update(created_at=old).execute()
    OwnershipChange.update(at=old).execute()
    code, out, _err = run(desk, capsys, "pool", "--json")
    assert [r["archive_no"] for r in json.loads(out)] == [number]

    code, out, _err = run(desk, capsys, "claim", number, user="wq")
    assert code == 0
    assert number in out
    assert Customer.get().owner.name == "王强"


def test_transfer_shares_a_leavers_customers_among_several_colleagues(desk, capsys):
    Staff.create(name="周敏", username="zm", roles="sales")
    for i in range(5):
        run(desk, capsys, "visit", "add", "--name", f"客户{i}", "--phone", f"1380013800{i}",
            "--salesperson", "王强", "--reason", "指定")

    code, out, err = run(desk, capsys, "transfer", "--all-of", "王强", "--to", "李娜", "--to",
                         "周敏", "--split", "draw", "--reason", "长假", user="boss")

    assert code == 0, err
    assert "5 customers shared among 李娜、周敏" in out
    owners = sorted(c.owner.name for c in Customer.select())
    assert sorted({owners.count("李娜"), owners.count("周敏")}) == [2, 3]
    code, _out, err = run(desk, capsys, "transfer", Customer.get().archive_no, "--to", "李娜",
                          "--to", "周敏", "--reason", "x", user="boss")
    assert code == 2 and "--all-of" in err


def test_a_visitor_brought_by_an_old_customer_goes_to_that_customers_salesperson(desk, capsys):
    run(desk, capsys, "visit", "add", "--name", "张三", "--phone", "13800138000")
    old = Customer.get().archive_no

    code, out, err = run(desk, capsys, "visit", "add", "--name", "王五", "--phone", "13700137000",
                         "--source", "old_brings_new", "--referred-by", old, "--json")

    assert code == 0, err
    assert (json.loads(out)["salesperson"], json.loads(out)["assignment"]) == ("王强", "referral")

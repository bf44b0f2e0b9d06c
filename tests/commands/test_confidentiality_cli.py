"""``crmdesk loan / loans / leak``."""
from __future__ import annotations

import json

from crmdesk.cli import main
from crmdesk.models import Notice, Staff
from crmdesk.services import customers
from tests.backends import location_options


def _run(archive, capsys, user: str, *args: str) -> tuple[int, str, str]:
    code = main([*location_options(archive), "--lang", "en", "--user", user, *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_lend_list_return_and_report_a_leak(archive, manager, salesperson, capsys):
    card = customers.new_card(salesperson)
    card.values.update(name="张三", mobile="13800138000")
    number = customers.save_card(card, salesperson, accept_incomplete=True).archive_no

    code, out, err = _run(archive, capsys, "manager", "loan", "add", number, "--to", "sales",
                          "--copies", "2", "--purpose", "外出拜访")
    assert code == 0, err
    code, out, _err = _run(archive, capsys, "sales", "loans", "--json")
    [row] = json.loads(out)
    assert (row["archive_no"], row["copies"], row["state"]) == (number, 2, "out")

    assert _run(archive, capsys, "manager", "loan", "return", str(row["id"]))[0] == 0
    assert json.loads(_run(archive, capsys, "manager", "loans", "--open", "--json")[1]) == []

    code, out, err = _run(archive, capsys, "sales", "leak", "--what", "名单外泄", "--noticed",
                          "客户告知", "--archive", number)
    assert code == 0, err
    assert Notice.get(Notice.kind == "leak").recipient_id == Staff.get(
        Staff.username == "manager").id


def test_signoff_request_sign_and_list(archive, manager, salesperson, capsys):
    card = customers.new_card(salesperson)
    card.values.update(name="张三", mobile="13800138000")
    number = customers.save_card(card, salesperson, accept_incomplete=True).archive_no

    assert _run(archive, capsys, "sales", "signoff", "request", number)[0] == 0
    code, _out, err = _run(archive, capsys, "manager", "signoff", "sign", number, "--remark",
                           "资料齐全")
    assert code == 0, err
    [row] = json.loads(_run(archive, capsys, "manager", "signoff", "list", "--json")[1])
    assert (row["archive_no"], row["signed_by"], row["remark"]) == (number, "赵经理", "资料齐全")
    code, _out, err = _run(archive, capsys, "sales", "signoff", "list")
    assert code == 1


def test_access_request_approve_and_list(archive, manager, salesperson, capsys, tmp_path):
    card = customers.new_card(manager)
    card.values.update(name="张三", mobile="13800138000")
    number = customers.save_card(card, manager, accept_incomplete=True).archive_no

    code, _out, err = _run(archive, capsys, "sales", "access", "request", number,
                           "--purpose", "核对合同", "--reason", "客户来电")
    assert code == 0, err
    [row] = json.loads(_run(archive, capsys, "manager", "access", "list", "--pending",
                            "--json")[1])
    code, _out, err = _run(archive, capsys, "manager", "access", "approve", str(row["id"]),
                           "--until", "2099-01-01")
    assert code == 1 and "90" in err
    code, _out, err = _run(archive, capsys, "manager", "access", "approve", str(row["id"]),
                           "--until", row["requested_at"][:10])
    assert code == 0, err
    code, _out, err = _run(archive, capsys, "sales", "print", "card", number, "-o",
                           str(tmp_path / "card.pdf"))
    assert code == 0, err


def test_an_export_of_a_confidential_card_waits_for_another_managers_approval(
        archive, manager, capsys, tmp_path):
    Staff.create(name="钱经理", username="qian", roles="manager")
    card = customers.new_card(manager)
    card.values.update(name="张三", mobile="13800138000", confidentiality="confidential")
    customers.save_card(card, manager, accept_incomplete=True)
    target = str(tmp_path / "out.xlsx")

    code, _out, err = _run(archive, capsys, "manager", "export", "customers", target)
    assert code == 1 and "机密" in err
    code, out, err = _run(archive, capsys, "manager", "export", "customers", target,
                          "--purpose", "年度回访")
    assert code == 0, err
    [row] = json.loads(_run(archive, capsys, "qian", "export-approval", "list", "--pending",
                            "--json")[1])
    assert _run(archive, capsys, "qian", "export-approval", "approve", str(row["id"]))[0] == 0
    code, out, err = _run(archive, capsys, "manager", "export", "customers", target,
                          "--approval", str(row["id"]))
    assert code == 0, err
    assert "1 customers written" in out

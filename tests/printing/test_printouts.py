"""Gathering printouts from the archive: cards, logs, roster rows, overdue rows, the audit."""
from __future__ import annotations

import datetime as dt
import json
import re
import zlib

import pytest

from crmdesk.errors import NotFoundError
from crmdesk.models import AuditEntry
from crmdesk.services import customers, printouts, settings
from crmdesk.services.accounts import PermissionDenied, create_first_admin
from crmdesk.services.contacts import Contact, log_contact
from crmdesk.services.levels import levels
from crmdesk.services.search import ListQuery


def add(actor, name: str, **values) -> tuple[int, str]:
    # Each card is another customer (the duplicate rule refuses a second archive of one).
    mobile = "138" + str(zlib.crc32(name.encode()) % 10**8).zfill(8)
    card = customers.new_card(actor)
    card.values.update(name=name, mobile=mobile, address="上海市长宁路1号",
                       source="visit", consent=True, employer="华信科技", needs="家用")
    card.values.update(values)
    saved = customers.save_card(card, actor)
    return saved.customer_id, saved.archive_no


def test_a_card_sheet_has_names_for_references_and_its_log_in_time_order(salesperson):
    referrer_id, referrer_no = add(salesperson, "李四")
    customer_id, number = add(salesperson, "张三", referrer=referrer_id)
    for day, record in ((3, "第二次"), (1, "第一次")):
        log_contact(customer_id, Contact(dt.datetime(2026, 4, day, 10), "phone", record),
                    salesperson)
    sheet = printouts.card_sheet(customer_id, salesperson)
    assert sheet.archive_no == number
    assert sheet.references["owner"] == salesperson.name
    # The level's name as the office reads it (a default name is stored as its message id).
    assert sheet.references["level"] == next(lv.name for lv in levels() if lv.code == "C")
    assert sheet.references["level"] == "C 级"
    assert sheet.references["referrer"] == f"李四 ({referrer_no})"
    assert [c["record"] for c in sheet.communications] == ["第一次", "第二次"]
    assert sheet.communications[0]["recorded_by"] == salesperson.name


def test_unknown_archive_numbers_are_all_named(salesperson):
    _cid, number = add(salesperson, "张三")
    with pytest.raises(NotFoundError) as refused:
        printouts.customer_ids([number, "KH2099000001", "kh2099000002"])
    assert "KH2099000001" in str(refused.value)
    assert "KH2099000002" in str(refused.value)
    assert number not in str(refused.value)


def test_archive_numbers_are_taken_in_the_order_given_once_each(salesperson):
    first, first_no = add(salesperson, "张三")
    second, second_no = add(salesperson, "李四")
    assert printouts.customer_ids([second_no, first_no.lower(), second_no]) == [second, first]


def test_roster_rows_come_in_list_order_across_blocks(salesperson, manager, monkeypatch):
    monkeypatch.setattr(printouts, "ROW_BLOCK", 2)
    numbers = [add(salesperson, name)[1] for name in ("张三", "张伟", "李四", "张敏", "张强")]
    columns, rows = printouts.roster_rows(ListQuery(text="张"), manager)
    assert columns[0] == "archive_no"
    wanted = [n for n, name in zip(numbers, "张张李张张", strict=True) if name == "张"]
    assert [row[0] for row in rows] == wanted


def test_the_context_names_the_branch_and_the_person_printing(salesperson):
    settings.put("branch_name", "杭州分公司")
    context = printouts.print_context(salesperson, dt.datetime(2026, 5, 1, 9, 30, 12, 5))
    assert (context.branch, context.user) == ("杭州分公司", salesperson.name)
    assert context.printed_at == dt.datetime(2026, 5, 1, 9, 30, 12)


def test_overdue_rows_come_grouped_by_owner_from_the_follow_up_list(salesperson, manager):
    mine, _no = add(salesperson, "张三")
    log_contact(mine, Contact(dt.datetime(2026, 4, 1, 10), "phone", "电话", conclusion="再联系",
                              next_follow_up=dt.date(2026, 4, 5)), salesperson)
    theirs, _no = add(manager, "李四")
    log_contact(theirs, Contact(dt.datetime(2026, 4, 1, 10), "wechat", "微信",
                                next_follow_up=dt.date(2026, 4, 3)), manager)
    rows = printouts.overdue_rows(dt.date(2026, 4, 10), actor=manager)
    assert {(r.name, r.owner, r.days_overdue) for r in rows} == {
        ("张三", salesperson.name, 5), ("李四", manager.name, 7)}
    row = next(r for r in rows if r.name == "张三")
    assert (row.last_contact, row.last_conclusion) == (dt.date(2026, 4, 1), "再联系")


def test_printing_is_put_on_the_audit_trail(salesperson):
    customer_id, _no = add(salesperson, "张三")
    printouts.record_printed(salesperson, "card", [customer_id])
    printouts.record_printed(salesperson, "roster", customers=1, filter="")
    entries = list(AuditEntry.select().where(AuditEntry.action == "print")
                   .order_by(AuditEntry.id))
    assert [e.customer_id for e in entries] == [customer_id, None]
    assert json.loads(entries[1].details)["printout"] == "roster"


@pytest.fixture
def accounts(archive):
    """An archive past setting up: it has an administrator, so every rule applies."""
    return create_first_admin("管理员", "admin", "correct horse battery")


def test_a_card_prints_only_for_those_who_may_read_it(salesperson, manager, accounts):
    mine, _no = add(salesperson, "张三", confidentiality="confidential")
    secret, _no = add(salesperson, "李四", confidentiality="secret")
    assert printouts.card_sheet(mine, salesperson).values["name"] == "张三"
    assert printouts.card_sheet(mine, manager).values["name"] == "张三"
    with pytest.raises(PermissionDenied):
        printouts.card_sheet(secret, manager)
    with pytest.raises(PermissionDenied):
        printouts.log_sheet(secret, manager)
    assert printouts.log_sheet(secret, salesperson).name == "李四"


def test_registers_print_for_those_who_print_registers(salesperson, manager, accounts):
    add(salesperson, "张三")
    with pytest.raises(PermissionDenied):
        printouts.roster_rows(ListQuery(), salesperson)
    # A salesperson prints the overdue list they see: their own customers.
    assert printouts.overdue_rows(dt.date(2026, 4, 10), actor=salesperson) == []
    _columns, rows = printouts.roster_rows(ListQuery(), manager)
    assert [row[1] for row in rows] == ["张三"]


def test_a_printed_register_carries_the_audit_head_that_verifies_the_trail(salesperson, manager,
                                                                           pdf):
    from crmdesk.models import AuditEntry
    from crmdesk.services import audit, audit_anchors, documents

    for name in ("张三", "李四"):
        add(salesperson, name)
    data = documents.roster_pdf(ListQuery(), manager)
    footer = re.search(r"#\d+:[0-9a-f]{16}", pdf.squeeze(pdf.pages_text(data)[0]))
    assert footer is not None
    anchor = audit_anchors.typed(footer.group(0))
    assert audit.verify([anchor]) == []
    text = '{"changes": {}}'
    AuditEntry.update(details=text, details_digest=audit._digest(text)).where(
        AuditEntry.seq == 1).execute()
    audit.reseal_chain()
    for folder in audit.anchor_folders():
        (folder / audit_anchors.ANCHOR_FILE).unlink(missing_ok=True)
    assert [p.source for p in audit.verify([anchor])] == ["typed"]

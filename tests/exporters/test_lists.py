"""Exports of the register, the communication logs and the overdue list: typed cells, no
formulas, the list's filter and the reader's rights, the export duty, and the audit trail."""
from __future__ import annotations

import csv
import datetime as dt
import json
import zipfile

import pytest
from openpyxl import load_workbook

from crmdesk.models import AuditEntry, Customer, Level
from crmdesk.services.accounts import PermissionDenied, create_first_admin
from crmdesk.services.contacts import Contact, log_contact
from crmdesk.services.exports.export import ExportRequest, export
from crmdesk.services.frontdesk import VisitDraft, register_visit
from crmdesk.services.search import ListQuery
from tests.export_approvals import approved

from .conftest import save

MORNING = dt.datetime(2024, 3, 5, 9, 30)


@pytest.fixture
def logged(office, salesperson):
    """Two contacts on 张三's card (one record is a would-be formula), one on a card the
    salesperson keeps top secret."""
    zhang = Customer.get(Customer.name == "张三").id
    level = Level.get(Level.code == "B").id
    log_contact(zhang, Contact(MORNING, "phone", "=1+1", level, "张三", "本人", "再联系",
                               dt.date(2024, 3, 12)), office)
    log_contact(zhang, Contact(MORNING - dt.timedelta(days=1), "wechat", "加了微信"), office)
    secret = save(office, name="秘密客户", mobile="13700000001", confidentiality="secret",
                  owner=salesperson.staff_id)
    log_contact(secret, Contact(MORNING, "phone", "不可外传"), salesperson)
    return office


def _sheet(path):
    sheet = load_workbook(path).active
    header, *rows = list(sheet.iter_rows())
    return sheet, [c.value for c in header], rows


def _audited(what: str) -> dict:
    entry = AuditEntry.select().where(AuditEntry.action == "export").order_by(
        AuditEntry.id.desc()).get()
    details = json.loads(entry.details)
    assert details["what"] == what
    return details


def test_communications_are_typed_and_a_record_never_becomes_a_formula(logged, tmp_path):
    path = tmp_path / "log.xlsx"
    assert export(path, ExportRequest("communications"), logged,
                  approval_id=approved(logged, "communications")) == 2
    with zipfile.ZipFile(path) as book:
        assert b"<f>" not in book.read("xl/worksheets/sheet1.xml")
    sheet, header, rows = _sheet(path)
    assert sheet.title == "沟通记录"
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:K3"
    assert header[:4] == ["档案编号", "客户名称", "日期", "方式"]
    first, second = rows  # the card's log in time order
    assert second[header.index("过程记录与特别事项")].value == "=1+1"
    assert second[header.index("过程记录与特别事项")].data_type == "s"
    assert second[header.index("日期")].value == MORNING
    assert second[header.index("方式")].value == "电话"
    assert second[header.index("级别")].value == "B"
    assert second[header.index("下次跟进")].value == dt.datetime(2024, 3, 12)
    assert second[header.index("记录人")].value == "赵经理"
    assert first[header.index("方式")].value == "微信"
    assert first[0].value == second[0].value and first[0].data_type == "s"
    assert _audited("communications")["rows"] == 2


def test_communications_follow_the_list_filter(logged, tmp_path):
    path = tmp_path / "log.csv"
    assert export(path, ExportRequest("communications", ListQuery(text="Li Lei")), logged) == 0
    assert export(path, ExportRequest("communications", ListQuery(text="zs")), logged) == 2


def test_csv_escapes_a_record_a_spreadsheet_would_run(logged, tmp_path):
    path = tmp_path / "log.csv"
    export(path, ExportRequest("communications"), logged,
           approval_id=approved(logged, "communications"))
    with path.open(encoding="utf-8-sig", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    records = [row[header.index("过程记录与特别事项")] for row in rows]
    assert records == ["加了微信", "'=1+1"]
    assert rows[1][header.index("日期")] == "2024-03-05 09:30"


def test_visits_are_exported_with_moments_and_phones_as_text(office, tmp_path):
    register_visit(VisitDraft("=HYPERLINK(\"x\")", "13912345678", "看样品", confirm_new=True,
                              arrived_at=MORNING), office)
    path = tmp_path / "visits.xlsx"
    count = export(path, ExportRequest("visits", start=MORNING.date(), end=MORNING.date()),
                   office)
    assert count == 1
    sheet, header, (row,) = _sheet(path)
    assert sheet.title == "来访来电登记"
    assert row[header.index("到访时间")].value == MORNING
    assert row[header.index("电话")].data_type == "s"
    assert row[header.index("来访人")].value.startswith("=HYPERLINK")
    assert row[header.index("来访人")].data_type == "s"
    assert row[header.index("人数")].value == 1
    assert _audited("visits")["rows"] == 1
    empty = ExportRequest("visits", start=dt.date(2020, 1, 1), end=dt.date(2020, 1, 2))
    assert export(tmp_path / "none.xlsx", empty, office) == 0


def test_the_overdue_list_is_exported_most_overdue_first(office, tmp_path):
    level = Level.get(Level.code == "A").id
    for name, due in (("晚一天", dt.date(2024, 3, 4)), ("晚十天", dt.date(2024, 2, 24))):
        customer = save(office, name=name, mobile=f"1380000{len(name)}{due.day:03d}",
                        level=level)
        Customer.update(next_follow_up=due).where(Customer.id == customer).execute()
    path = tmp_path / "overdue.xlsx"
    count = export(path, ExportRequest("overdue", as_of=dt.date(2024, 3, 5)), office)
    assert count == 2
    sheet, header, rows = _sheet(path)
    assert sheet.title == "逾期跟进"
    assert [r[header.index("客户名称" if "客户名称" in header else "姓名")].value
            for r in rows] == ["晚十天", "晚一天"]
    assert [r[0].value for r in rows] == [10, 1]
    assert rows[0][header.index("下次跟进")].value == dt.datetime(2024, 2, 24)
    assert all(r[header.index("手机")].data_type == "s" for r in rows)
    assert _audited("overdue")["rows"] == 2


@pytest.mark.parametrize("what", ["visits", "communications", "overdue"])
def test_only_those_who_may_export_can(office, salesperson, tmp_path, what):
    create_first_admin("管理员", "admin", "a long enough password 1")
    target = tmp_path / "x.xlsx"
    with pytest.raises(PermissionDenied):
        export(target, ExportRequest(what), salesperson)
    assert not target.exists()
    assert not AuditEntry.select().where(AuditEntry.action == "export").exists()

"""Exports: typed cells, no formulas, the list's filter, and a round trip back to the archive."""
from __future__ import annotations

import datetime as dt
import zipfile

import pytest
from openpyxl import load_workbook

from crmdesk.exporters.csv import escape_formula
from crmdesk.models import AuditEntry, Customer, Staff
from crmdesk.models.card import FIELDS
from crmdesk.models.db import close_database, open_database
from crmdesk.services.accounts import PermissionDenied
from crmdesk.services.context import Actor
from crmdesk.services.customers import get_card
from crmdesk.services.exports.export import ExportRequest, export
from crmdesk.services.imports.commit import commit_import
from crmdesk.services.imports.dry_run import preview_import
from crmdesk.services.search import ListQuery
from tests.export_approvals import approved


def _cards() -> dict[str, dict]:
    """Every customer's card values, by name, with references as names."""
    staff = dict(Staff.select(Staff.id, Staff.name).tuples())
    names = dict(Customer.select(Customer.id, Customer.name).tuples())
    cards = {}
    for customer in Customer.select(Customer.id):
        values = dict(get_card(customer.id).values)
        for field in ("owner", "registered_by"):
            values[field] = staff.get(values[field])
        values["referrer"] = names.get(values["referrer"])
        values.pop("level")  # level ids differ between archives; codes are compared below
        cards[values["name"]] = values
    return cards


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_export_then_import_gives_the_same_archive(office, tmp_path, suffix):
    path = tmp_path / f"customers{suffix}"
    assert export(path, ExportRequest(), office, approval_id=approved(office)) == 3
    before = _cards()
    levels = {c.name: c.level.code for c in Customer.select()}
    close_database()
    open_database(tmp_path / "second.sqlite3")
    manager = Actor.of(Staff.create(name="赵经理", username="manager", roles="manager,sales"))
    Staff.create(name="王强", username="sales", roles="sales")
    preview = preview_import(path, manager)
    assert [r.reasons for r in preview.rows] == ["", "", ""]
    commit_import(preview, manager)
    after = _cards()
    assert after == before
    assert {c.name: c.level.code for c in Customer.select()} == levels
    assert set(before["张三"]) | {"level"} == set(FIELDS)


def test_xlsx_types_dates_and_phones_and_never_writes_a_formula(office, tmp_path):
    path = tmp_path / "customers.xlsx"
    export(path, ExportRequest(columns=["archive_no", "name", "mobile", "birth_date", "website",
                                        "fixed_assets"]), office,
           approval_id=approved(office))
    with zipfile.ZipFile(path) as book:
        assert b"<f>" not in book.read("xl/worksheets/sheet1.xml")
    sheet = load_workbook(path).active
    assert sheet.title == "客户"
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:F4"
    rows = {r[1].value: r for r in sheet.iter_rows(min_row=2)}
    assert rows["张三"][2].value == "13800138000"
    assert rows["张三"][2].data_type == "s"
    assert rows["张三"][3].value == dt.datetime(1985, 5, 6)
    assert rows["华信科技有限公司"][4].value.startswith("=HYPERLINK")
    assert rows["华信科技有限公司"][4].data_type == "s"
    assert rows["华信科技有限公司"][5].number_format == "#,##0.00"
    assert AuditEntry.select().where(AuditEntry.action == "export").count() == 1


def test_csv_escapes_cells_a_spreadsheet_would_run():
    assert escape_formula("=SUM(A1)") == "'=SUM(A1)"
    assert [escape_formula(t) for t in ("+86", "-5", "@x", "\tx")] == [
        "'+86", "'-5", "'@x", "'\tx"]
    assert escape_formula("张三") == "张三"


def test_export_follows_the_list_filter_and_columns(office, tmp_path):
    path = tmp_path / "some.csv"
    request = ExportRequest(query=ListQuery(text="zs"), columns=["name", "mobile"])
    assert export(path, request, office) == 1
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    assert lines == ["客户名称,手机", "张三,13800138000"]


def test_only_those_who_may_export_can(office, salesperson, tmp_path):
    from crmdesk.services.accounts import create_first_admin

    create_first_admin("管理员", "admin", "a long enough password 1")
    with pytest.raises(PermissionDenied):
        export(tmp_path / "x.xlsx", ExportRequest(), salesperson)
    assert not (tmp_path / "x.xlsx").exists()

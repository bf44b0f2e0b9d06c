"""The office's own fields in an imported sheet: mapped by label, parsed by their kind."""
from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest
from openpyxl import Workbook

from crmdesk.errors import StaleCardError
from crmdesk.importers.preview import Policy
from crmdesk.models import Customer, OfficeValue
from crmdesk.progress import Cancelled
from crmdesk.services import customers, office_fields
from crmdesk.services.imports.commit import commit_import
from crmdesk.services.imports.dry_run import ImportOptions, preview_import
from crmdesk.services.imports.undo import undo_import
from crmdesk.services.office_fields import FieldDraft
from tests.backends import archive_digest
from tests.office_field_samples import CLUB, add_fields


def _sheet(path, headers, *rows):
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def _office_of(name: str) -> dict:
    return customers.get_card(Customer.get(Customer.name == name).id).office


def test_office_columns_map_by_chinese_or_english_label_and_import_typed(office, tmp_path):
    add_fields(office)
    path = _sheet(tmp_path / "own.xlsx",
                  ["客户名称", "手机", "工作年限", "Club", "贵宾起始日*", "Deposit (yuan)",
                   "需要车位"],
                  ["吴九", "13900139000", 8, "网球", dt.datetime(2024, 3, 1), "1,200.5", "是"])
    preview = preview_import(path, office)
    assert preview.mapping.targets == (
        "name", "mobile", "office.work_years", "office.club", "office.vip_since",
        "office.deposit", "office.parking")
    assert [r.reasons for r in preview.rows] == [""]
    commit_import(preview, office)
    assert _office_of("吴九") == {"work_years": Decimal(8), "club": "tennis",
                                 "vip_since": dt.date(2024, 3, 1),
                                 "deposit": Decimal("1200.50"), "parking": True}


def test_a_bad_office_value_names_row_cell_and_field_and_the_row_writes_nothing(office,
                                                                              tmp_path):
    add_fields(office)
    path = _sheet(tmp_path / "bad.xlsx", ["客户名称", "工作年限", "俱乐部"],
                  ["郑十", "十年", "高尔夫"], ["王十一", 3, "滑雪"], ["李十二", 4, "Golf"])
    preview = preview_import(path, office)
    assert preview.rows[0].reasons == "第 2 行，单元格 B2（工作年限）：不是数字：十年"
    assert "C3（俱乐部）" in preview.rows[1].reasons and "滑雪" in preview.rows[1].reasons
    assert preview.rows[2].reasons == ""
    commit_import(preview, office)
    assert not Customer.select().where(Customer.name.in_(["郑十", "王十一"])).exists()
    assert _office_of("李十二") == {"work_years": Decimal(4), "club": "golf"}


def test_a_cancelled_import_writes_no_office_value(office, tmp_path):
    add_fields(office)
    path = _sheet(tmp_path / "own.xlsx", ["客户名称", "工作年限"],
                  *[[f"客户{n}", n] for n in range(1, 30)])
    preview = preview_import(path, office)
    before = archive_digest()

    class Now:
        def is_set(self) -> bool:
            return True

    with pytest.raises(Cancelled):
        commit_import(preview, office, cancel=Now())
    assert archive_digest() == before


def test_fill_and_overwrite_update_office_values_and_undo_restores_them(office, tmp_path):
    add_fields(office)
    fung = Customer.get(Customer.name == "冯十二").id
    card = customers.get_card(fung)
    card.office = {"work_years": "2"}
    customers.save_card(card, office, accept_incomplete=True)
    path = _sheet(tmp_path / "again.xlsx", ["客户名称", "手机", "工作年限", "俱乐部"],
                  ["冯十二", "13100131000", 9, "网球"])
    commit_import(preview_import(path, office, ImportOptions(policy=Policy.FILL)), office)
    assert _office_of("冯十二") == {"work_years": Decimal(2), "club": "tennis"}
    result = commit_import(
        preview_import(path, office, ImportOptions(policy=Policy.OVERWRITE)), office)
    assert _office_of("冯十二") == {"work_years": Decimal(9), "club": "tennis"}
    undo_import(result.batch_id, office)
    assert _office_of("冯十二") == {"work_years": Decimal(2), "club": "tennis"}


def test_undoing_an_import_removes_the_office_values_of_its_new_archives(office, tmp_path):
    add_fields(office)
    path = _sheet(tmp_path / "own.xlsx", ["客户名称", "工作年限"], ["吴九", 8])
    result = commit_import(preview_import(path, office), office)
    assert OfficeValue.select().count() == 1
    undo_import(result.batch_id, office)
    assert OfficeValue.select().count() == 0


def test_a_required_office_field_left_empty_refuses_the_row(office, manager, tmp_path):
    add_fields(manager, replace(CLUB, need="required"))
    path = _sheet(tmp_path / "req.xlsx", ["客户名称", "俱乐部"], ["吴九", None], ["郑十", "网球"])
    preview = preview_import(path, office)
    assert preview.rows[0].reasons == "第 2 行，单元格 B2（俱乐部）：必填"
    assert preview.rows[1].reasons == ""


def test_an_office_field_for_organisations_on_a_person_is_refused(office, tmp_path):
    office_fields.add_field(FieldDraft("floor_area", "门店面积", "Floor area", "number",
                                       "profile", applies="organisation"), office)
    path = _sheet(tmp_path / "org.xlsx", ["客户名称", "门店面积"], ["吴九", 80])
    assert "个人" in preview_import(path, office).rows[0].reasons


def test_a_field_removed_after_the_preview_stops_the_commit(office, tmp_path):
    add_fields(office)
    path = _sheet(tmp_path / "own.xlsx", ["客户名称", "工作年限"], ["吴九", 8])
    preview = preview_import(path, office)
    office_fields.remove_field("work_years", office)
    before = archive_digest()
    with pytest.raises(StaleCardError, match="work_years"):
        commit_import(preview, office)
    assert archive_digest() == before

"""The error workbook, the import template and remembered mappings."""
from __future__ import annotations

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from crmdesk import i18n
from crmdesk.importers.mapping import guess_mapping, remember_mapping
from crmdesk.importers.pipeline import preview_import, sheet_head
from crmdesk.importers.preview import RowStatus
from crmdesk.importers.report import write_error_workbook
from crmdesk.importers.template import write_template
from crmdesk.models.card import FIELDS, Need

from .conftest import CORPUS


def test_rejected_rows_go_to_a_workbook_to_fix_and_import_again(office, tmp_path):
    i18n.set_language("en")
    errors = tmp_path / "errors.xlsx"
    assert write_error_workbook(preview_import(CORPUS / "messy.xlsx", office), errors) == 5
    book = load_workbook(errors)
    sheet = book.active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][1:3] == ("姓名", "手机号码")
    assert rows[1][1] == "钱七"
    assert "C11" in rows[1][-1]
    assert "lost" in rows[1][-1]
    assert sheet.freeze_panes == "A2"
    fixes = {"钱七": ("C", "13800138001"), "孙八": ("E", "1990-06-05"), "周九": ("G", "来访"),
             "吴十": ("C", "13000130000")}
    for number, row in enumerate(rows[1:], start=2):
        column, value = fixes.get(row[1], ("B", "无名氏"))
        sheet[f"{column}{number}"] = value
        if row[1] == "周九":
            sheet[f"I{number}"] = "A"
    book.save(errors)
    again = preview_import(errors, office)
    assert [r.status for r in again.rows] == [RowStatus.NEW] * 5


def test_the_template_has_the_card_drop_downs_and_explanations(office, tmp_path):
    path = tmp_path / "template.xlsx"
    write_template(path, levels=["H", "A", "B"], staff=["王强"])
    book = load_workbook(path)
    sheet = book.worksheets[0]
    headers = [c.value for c in sheet[1]]
    assert headers[:3] == ["客户类型*", "客户名称*", "简称/别名"]
    assert len(headers) == len(FIELDS)
    lists = {str(v.sqref).split(":")[0] for v in sheet.data_validations.dataValidation}
    assert get_column_letter(list(FIELDS).index("gender") + 1) + "2" in lists
    # every single choice, plus the level and the two staff columns (owner, registered by)
    assert len(lists) == sum(1 for s in FIELDS.values()
                             if s.choices and s.kind.value != "multichoice") + 3
    explained = book.worksheets[1]
    required = [r[1] for r in explained.iter_rows(min_row=2, values_only=True)
                if r[2] == i18n._("required")]
    i18n.set_language("en")
    assert len(required) == sum(1 for s in FIELDS.values() if s.need is Need.REQUIRED)
    preview = preview_import(path, office)
    row = preview.rows[0]
    assert row.status is RowStatus.NEW, row.reasons
    assert (row.values["name"], row.values["mobile"], row.values["gender"]) == (
        "张三", "13800138000", "male")


def test_a_confirmed_mapping_is_remembered_for_the_same_headers(office):
    names, sheet, head = sheet_head(CORPUS / "messy.xlsx")
    assert (names, sheet) == (["客户名单", "说明"], "客户名单")
    guessed = guess_mapping(head)
    assert guessed.header_row == 3
    assert guessed.targets[:4] == (None, "name", "mobile", "employer")
    fixed = guessed.with_target(3, None).with_target(10, "needs")
    remember_mapping(fixed)
    assert guess_mapping(head).targets == fixed.targets

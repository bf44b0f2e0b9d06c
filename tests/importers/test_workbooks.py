"""The error workbook, the import template and remembered mappings."""
from __future__ import annotations

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from crmdesk import i18n
from crmdesk.exporters.template import write_template
from crmdesk.importers.preview import RowStatus
from crmdesk.models.card import FIELDS, Need
from crmdesk.services.imports.dry_run import preview_import, sheet_head
from crmdesk.services.imports.mappings import guess_mapping, remember_mapping
from crmdesk.services.imports.rejected import write_error_workbook

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
                             if s.choices and not s.kind.many) + 3
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



def _mixed_sheet(path):
    """Four rows: plain, a referrer nobody has, an impossible birthday, a referrer in the file."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "手机", "介绍人", "生日"])
    sheet.append(["甲一", 13900000001, None, None])
    sheet.append(["乙二", 13900000002, "不存在的人", None])
    sheet.append(["丙三", 13900000003, None, "2023年13月40日"])
    sheet.append(["丁四", 13900000004, "甲一", None])
    book.save(path)
    return path


def _error_rows(preview, path):
    assert write_error_workbook(preview, path) == len(preview.error_rows())
    return [r[:4] for r in list(load_workbook(path).active.iter_rows(values_only=True))[1:]]


def test_every_refused_row_keeps_its_cells_and_only_those_do(office, tmp_path):
    """Rows refused for a cell or for a referrer nobody has go to the error workbook as the
    file had them; rows that cannot be refused keep their clean values only."""
    preview = preview_import(_mixed_sheet(tmp_path / "mixed.xlsx"), office)
    by_name = {r.values["name"]: r for r in preview.rows}
    assert [r.values["name"] for r in preview.error_rows()] == ["乙二", "丙三"]
    assert by_name["甲一"].raw is None
    assert by_name["丁四"].status is RowStatus.NEW and by_name["丁四"].referrer_row == 2
    assert _error_rows(preview, tmp_path / "errors.xlsx") == [
        ("乙二", 13900000002, "不存在的人", None), ("丙三", 13900000003, None, "2023年13月40日")]


def test_rows_refused_for_want_of_an_owner_keep_their_cells(archive, tmp_path):
    """Before any account exists nobody can be the owner: every row is refused, with its cells."""
    preview = preview_import(_mixed_sheet(tmp_path / "mixed.xlsx"), None)
    rows = _error_rows(preview, tmp_path / "errors.xlsx")
    assert [r[0] for r in rows] == ["甲一", "乙二", "丙三", "丁四"]
    assert rows[0] == ("甲一", 13900000001, None, None)


def test_the_command_line_writes_the_template_named_as_the_issue_does(tmp_path, capsys):
    from crmdesk.cli import main
    from crmdesk.models.db import close_database

    data = tmp_path / "office"
    out = tmp_path / "模板.xlsx"
    assert main(["--data-dir", str(data), "--lang", "en", "template", str(out)]) == 0
    close_database()
    assert "Template written" in capsys.readouterr().out
    assert load_workbook(out).worksheets[0]["A1"].value
    assert main(["--data-dir", str(data), "--lang", "en", "template"]) == 2
    close_database()
    assert "name the file to write, e.g. crmdesk template" in capsys.readouterr().err


def test_the_command_line_imports_and_reports_what_it_wrote(tmp_path, capsys):
    """`crmdesk import` prints every rejected row and the counts, exits 1 when a row was
    rejected, and after a commit reports what was written: of eight duplicates to fill, only
    张三 (whose second row brings a note) changes."""
    import json

    from crmdesk.cli import main
    from crmdesk.models.db import close_database

    def run(*args: str) -> int:
        code = main(["--data-dir", str(tmp_path / "office"), "--lang", "en", *args])
        close_database()
        return code

    assert run("staff", "add", "王强", "--username", "sales", "--roles", "sales") == 0
    assert run("staff", "add", "赵经理", "--username", "manager", "--roles", "manager") == 0
    capsys.readouterr()
    assert run("import", str(CORPUS / "messy.xlsx"), "--owner", "王强") == 1
    out = capsys.readouterr().out
    assert "row 11, cell C11" in out
    assert "7 new, 1 duplicates, 5 rejected: 7 created, 0 updated, 1 skipped." in out
    assert run("import", str(CORPUS / "messy.xlsx"), "--owner", "王强", "--on-duplicate",
               "fill", "--json") == 1
    report = json.loads(capsys.readouterr().out)
    assert report["counts"]["update"] == 8
    assert report["written"] == {"created": 0, "updated": 1}

"""Our sales by year out to a sheet of its own and back: same years, growth as text, every bad
row named, nothing kept from a file with one."""
from __future__ import annotations

from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from crmdesk.errors import ValidationError
from crmdesk.models import AuditEntry, YearlySale
from crmdesk.services import customers
from crmdesk.services.exports.export import ExportRequest, export
from crmdesk.services.imports.sales_by_year import import_sales_by_year


def _card(actor, kind: str, name: str, mobile: str, sales=()) -> tuple[int, str]:
    card = customers.new_card(actor, kind)
    card.values.update(name=name, mobile=mobile, address="天津市南开区1号", source="visit",
                       consent=True, needs="整车采购", employer="华信科技")
    card.sales_by_year = [{"year": y, "amount": a} for y, a in sales]
    saved = customers.save_card(card, actor)
    return saved.customer_id, saved.archive_no


def _years(customer_id: int) -> list[tuple[int, Decimal]]:
    return [(r["year"], r["amount"]) for r in customers.get_card(customer_id).sales_by_year]


def test_the_sheet_exports_each_year_with_its_growth_and_imports_back(manager, tmp_path):
    first, first_no = _card(manager, "organisation", "丸石自行车有限公司", "13800138000",
                            [("2022", "200"), ("2023", "250")])
    second, second_no = _card(manager, "organisation", "天津五金公司", "13800138001",
                              [("2023", "80.5")])
    path = tmp_path / "sales.xlsx"
    assert export(path, ExportRequest("sales_by_year"), manager) == 3
    sheet = load_workbook(path).active
    assert sheet.title == "历年销售额"
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == ["档案编号", "客户名称", "年份", "我司产品销售额(万元)", "增长率"]
    assert rows[1:] == [[first_no, "丸石自行车有限公司", 2022, 200, None],
                        [first_no, "丸石自行车有限公司", 2023, 250, "25.0%"],
                        [second_no, "天津五金公司", 2023, 80.5, None]]

    YearlySale.delete().execute()
    result = import_sales_by_year(path, manager)
    assert (result.cards, result.years) == (2, 3)
    assert _years(first) == [(2022, Decimal("200")), (2023, Decimal("250"))]
    assert _years(second) == [(2023, Decimal("80.50"))]
    again = import_sales_by_year(path, manager)
    assert (again.cards, again.years) == (0, 0)


def test_a_file_updates_its_years_keeps_the_others_and_is_audited(manager, tmp_path):
    company, number = _card(manager, "organisation", "丸石自行车有限公司", "13800138000",
                            [("2021", "100"), ("2022", "200")])
    book = Workbook()
    book.active.append(["历年销售额"])
    book.active.append(["档案编号", "年份", "我司产品销售额(万元)"])
    book.active.append([number, 2022, 220])
    book.active.append([number, "2023", "260"])
    book.save(tmp_path / "kept.xlsx")
    import_sales_by_year(tmp_path / "kept.xlsx", manager)
    assert _years(company) == [(2021, Decimal("100")), (2022, Decimal("220")),
                               (2023, Decimal("260"))]
    entry = AuditEntry.select().where(AuditEntry.action == "update").get()
    assert entry.customer_id == company
    assert "2023: 260.00" in entry.details


def test_every_bad_row_is_named_and_nothing_is_kept(manager, salesperson, tmp_path):
    company, number = _card(manager, "organisation", "丸石自行车有限公司", "13800138000",
                            [("2022", "200")])
    _person, person_no = _card(manager, "individual", "张三", "13800138001")
    book = Workbook()
    for row in (["档案编号", "年份", "我司产品销售额(万元)"], [number, 2023, 300],
                [number, 2023, 310], [number, 2024, -1], ["KH-NONE", 2023, 5],
                [person_no, 2023, 5], [number, 1800, 5]):
        book.active.append(row)
    book.save(tmp_path / "bad.xlsx")
    with pytest.raises(ValidationError) as refused:
        import_sales_by_year(tmp_path / "bad.xlsx", manager)
    assert sorted(p.field for p in refused.value.problems) == [
        "row.3.year", "row.4.value", "row.5.archive_no", "row.6.archive_no", "row.7.year"]
    assert _years(company) == [(2022, Decimal("200"))]

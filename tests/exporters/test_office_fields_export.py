"""The office's own fields in the exported workbook and on the printed card."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from openpyxl import load_workbook

from crmdesk.models import Customer
from crmdesk.services import customers
from crmdesk.services.documents import cards_pdf
from crmdesk.services.exports.export import ExportRequest, export
from tests.export_approvals import approved
from tests.office_field_samples import add_fields
from tests.printing.conftest import _pages_text, _squeeze


def _give_office_values(office) -> int:
    add_fields(office)
    zhang = Customer.get(Customer.name == "张三").id
    card = customers.get_card(zhang)
    card.office = {"work_years": "12.5", "club": "golf", "vip_since": "2024-03-01",
                   "deposit": "5000", "parking": "是"}
    customers.save_card(card, office, accept_incomplete=True)
    return zhang


def test_office_fields_are_exported_as_columns_with_typed_cells(office, tmp_path):
    _give_office_values(office)
    path = tmp_path / "customers.xlsx"
    export(path, ExportRequest(), office, approval_id=approved(office))
    sheet = load_workbook(path).active
    headers = [c.value for c in sheet[1]]
    assert headers[-5:] == ["贵宾起始日", "需要车位", "工作年限", "俱乐部", "意向金(元)"]
    rows = {r[headers.index("客户名称")].value: r for r in sheet.iter_rows(min_row=2)}
    zhang = {h: c.value for h, c in zip(headers, rows["张三"], strict=True)}
    assert zhang["工作年限"] == Decimal("12.5") or zhang["工作年限"] == 12.5
    assert (zhang["俱乐部"], zhang["需要车位"], zhang["意向金(元)"]) == ("高尔夫", "是", 5000)
    assert zhang["贵宾起始日"].date() == dt.date(2024, 3, 1)
    assert {h: c.value for h, c in zip(headers, rows["Li Lei"], strict=True)}["工作年限"] is None


def test_chosen_office_columns_are_exported_alone(office, tmp_path):
    _give_office_values(office)
    path = tmp_path / "chosen.xlsx"
    export(path, ExportRequest(columns=["name", "office.work_years"]), office,
           approval_id=approved(office))
    sheet = load_workbook(path).active
    assert [c.value for c in sheet[1]] == ["客户名称", "工作年限"]


def test_the_printed_card_shows_the_office_fields_in_their_group(office):
    zhang = _give_office_values(office)
    text = _squeeze("".join(_pages_text(cards_pdf([zhang], office))))
    for expected in ("个人信息（本所字段）", "工作年限", "12.5", "俱乐部", "高尔夫", "需要车位",
                     "贵宾起始日", "2024-03-01", "意向金(元)", "5,000.00"):
        assert _squeeze(expected) in text, expected

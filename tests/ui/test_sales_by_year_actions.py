"""The Excel menu's yearly sales: out to a sheet of their own, and back onto the cards."""
from __future__ import annotations

from decimal import Decimal

from openpyxl import Workbook, load_workbook
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog

from crmdesk.services import customers
from crmdesk.ui import excel_actions, sales_by_year_actions

WAIT_MS = 10000


def _finished(qtbot, operation) -> None:
    if operation.is_running():
        with qtbot.waitSignal(operation.finished, timeout=WAIT_MS):
            pass


def test_the_menu_exports_and_imports_the_years(window, qtbot, manager, monkeypatch, tmp_path,
                                               boxes):
    for name in ("exportSalesByYear", "importSalesByYear"):
        assert window.findChild(QAction, name) is not None, name
    card = customers.new_card(manager, "organisation")
    card.values.update(name="丸石自行车有限公司", mobile="13800138000")
    card.sales_by_year = [{"year": "2023", "amount": "100"}, {"year": "2024", "amount": "150"}]
    saved = customers.save_card(card, manager, accept_incomplete=True)
    window.tasks.wait()

    target = tmp_path / "sales.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    _finished(qtbot, excel_actions.export_sales(window))
    rows = list(load_workbook(target).active.values)
    assert rows[2][2:] == (2024, 150, "50.0%")

    book = Workbook()
    book.active.append(["档案编号", "年份", "我司产品销售额(万元)"])
    book.active.append([saved.archive_no, 2025, 180])
    book.save(tmp_path / "more.xlsx")
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        lambda *a, **k: (str(tmp_path / "more.xlsx"), ""))
    _finished(qtbot, sales_by_year_actions.import_sales(window))
    assert not boxes.shown, boxes.texts()
    assert "1" in window.statusBar().currentMessage()
    years = customers.get_card(saved.customer_id).sales_by_year
    assert [(r["year"], r["growth"]) for r in years] == [
        (2023, None), (2024, Decimal("50.0")), (2025, Decimal("20.0"))]

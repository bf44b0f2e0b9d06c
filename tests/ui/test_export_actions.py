"""The Excel menu's exports: the list as it is filtered, to .xlsx or .csv, and the template."""
from __future__ import annotations

import csv
import json
import threading

import pytest
from openpyxl import load_workbook
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QProgressDialog

from crmdesk.importers.progress import Cancelled
from crmdesk.models import AuditEntry
from crmdesk.services import customers
from crmdesk.services.context import Actor
from crmdesk.ui import excel_actions
from crmdesk.ui.main_window import MainWindow

WAIT_MS = 10000
NAMES = {"张三": "13800138000", "李四": "13912345678", "张珊珊": "13600005678"}


@pytest.fixture
def listed(window, qtbot, manager):
    """The window with three customers, its list searched for "zs" (张三 and 张珊珊)."""
    for name, mobile in NAMES.items():
        card = customers.new_card(manager)
        card.values.update(name=name, mobile=mobile)
        customers.save_card(card, manager, accept_incomplete=True)
    window.tasks.wait()
    with qtbot.waitSignal(window.customers.searched, timeout=WAIT_MS):
        window.customers.search.setText("zs")
    return window


def _save_as(monkeypatch, path, chosen_filter: str = "") -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), chosen_filter))


def _wait_for_message(qtbot, window: MainWindow, text: str) -> None:
    """Wait until the status bar says ``text`` (how the window tells the work is done)."""
    qtbot.waitUntil(lambda: text in window.statusBar().currentMessage(), timeout=WAIT_MS)


def test_export_writes_the_filtered_list_to_a_workbook(listed, qtbot, monkeypatch, tmp_path,
                                                       boxes):
    _save_as(monkeypatch, tmp_path / "客户", "Excel (*.xlsx)")  # no ending typed
    excel_actions.export_customers(listed)
    target = tmp_path / "客户.xlsx"
    _wait_for_message(qtbot, listed, str(target))
    assert not boxes.shown, boxes.texts()
    sheet = load_workbook(target).active
    header, *rows = list(sheet.values)
    names = {row[header.index("客户名称")] for row in rows}
    assert names == {"张三", "张珊珊"}
    mobiles = {row[header.index("手机")] for row in rows}
    assert mobiles == {"13800138000", "13600005678"}  # text, never 1.38E+10
    entry = AuditEntry.get(AuditEntry.action == "export")
    assert json.loads(entry.details)["rows"] == 2


def test_export_to_csv_when_the_name_ends_in_csv(listed, qtbot, monkeypatch, tmp_path):
    target = tmp_path / "customers.csv"
    _save_as(monkeypatch, target)
    excel_actions.export_customers(listed)
    _wait_for_message(qtbot, listed, str(target))
    with target.open(encoding="utf-8-sig", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    assert sorted(row[header.index("客户名称")] for row in rows) == ["张三", "张珊珊"]


def test_a_cancelled_export_leaves_no_file(listed, qtbot, monkeypatch, tmp_path):
    target = tmp_path / "customers.xlsx"
    _save_as(monkeypatch, target)
    gate = threading.Event()
    listed.tasks.run(lambda: gate.wait(WAIT_MS / 1000), lambda _result: None)
    excel_actions.export_customers(listed)
    listed.findChildren(QProgressDialog)[-1].canceled.emit()
    gate.set()
    _wait_for_message(qtbot, listed, str(Cancelled()))
    assert not target.exists()


def test_save_import_template(window, qtbot, monkeypatch, tmp_path):
    target = tmp_path / "template.xlsx"
    _save_as(monkeypatch, target)
    excel_actions.save_template(window)
    _wait_for_message(qtbot, window, str(target))
    book = load_workbook(target)
    header = next(book.worksheets[0].values)
    assert "客户名称*" in header
    assert len(book.sheetnames) == 3


def test_the_excel_menu_follows_the_roles(window, qtbot, salesperson: Actor):
    assert {a.objectName() for a in window.findChildren(QAction)} >= {
        "importCustomers", "importHistory", "importTemplate", "exportCustomers"}
    seller = MainWindow(salesperson, "archive")
    qtbot.addWidget(seller)
    names = {a.objectName() for a in seller.findChildren(QAction)}
    assert not names & {"importCustomers", "exportCustomers"}
    seller.tasks.wait()

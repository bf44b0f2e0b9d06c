"""The Excel menu's exports: the list as it is filtered, to .xlsx or .csv, and the template."""
from __future__ import annotations

import csv
import datetime as dt
import json
import threading

import pytest
from openpyxl import load_workbook
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog

from crmdesk.models import AuditEntry
from crmdesk.progress import Cancelled
from crmdesk.services import customers
from crmdesk.services.context import Actor
from crmdesk.ui import excel_actions
from crmdesk.ui.main_window import MainWindow
from crmdesk.ui.operations import Operation

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
    window.customers.search.setText("zs")
    # The list's first search (run when the window opened) may still answer: wait for the
    # list that this search gives, not for any search.
    qtbot.waitUntil(lambda: window.customers.model.rowCount() == 2, timeout=WAIT_MS)
    window.tasks.wait()
    return window


def _save_as(monkeypatch, path, chosen_filter: str = "") -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), chosen_filter))


def _wait_for_message(qtbot, window: MainWindow, operation: Operation, text: str) -> None:
    """Wait until the export's operation is over, then expect ``text`` in the status bar."""
    if operation.is_running():
        with qtbot.waitSignal(operation.finished, timeout=WAIT_MS):
            pass
    assert text in window.statusBar().currentMessage()


def test_export_writes_the_filtered_list_to_a_workbook(listed, qtbot, monkeypatch, tmp_path,
                                                       boxes):
    _save_as(monkeypatch, tmp_path / "客户", "Excel (*.xlsx)")  # no ending typed
    operation = excel_actions.export_customers(listed)
    target = tmp_path / "客户.xlsx"
    _wait_for_message(qtbot, listed, operation, str(target))
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
    operation = excel_actions.export_customers(listed)
    _wait_for_message(qtbot, listed, operation, str(target))
    with target.open(encoding="utf-8-sig", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    assert sorted(row[header.index("客户名称")] for row in rows) == ["张三", "张珊珊"]


def test_a_cancelled_export_leaves_no_file(listed, qtbot, monkeypatch, tmp_path):
    target = tmp_path / "customers.xlsx"
    _save_as(monkeypatch, target)
    gate = threading.Event()
    listed.tasks.run(lambda: gate.wait(WAIT_MS / 1000))  # the export waits behind this
    operation = excel_actions.export_customers(listed)
    operation.cancel()  # what the progress window's Cancel does
    gate.set()
    _wait_for_message(qtbot, listed, operation, str(Cancelled()))
    assert not target.exists()


def test_export_communications_of_the_filtered_list(listed, qtbot, monkeypatch, tmp_path):
    from crmdesk.services.contacts import Contact, log_contact

    for customer_id, record in ((1, "=1+1"), (2, "李四的记录")):
        log_contact(customer_id, Contact(dt.datetime(2024, 3, 5, 9, 30), "phone", record),
                    listed.actor)
    target = tmp_path / "log.xlsx"
    _save_as(monkeypatch, target)
    operation = excel_actions.export_communications(listed)
    _wait_for_message(qtbot, listed, operation, str(target))
    header, *rows = list(load_workbook(target).active.values)
    assert [row[header.index("过程记录与特别事项")] for row in rows] == ["=1+1"]
    assert json.loads(AuditEntry.get(AuditEntry.action == "export").details)["what"] == (
        "communications")


def test_export_visits_asks_for_the_days(window, qtbot, monkeypatch, tmp_path):
    asked = []
    monkeypatch.setattr(excel_actions, "ask_days", lambda *a: asked.append(a) or (
        dt.date(2024, 3, 1), dt.date(2024, 3, 31)))
    target = tmp_path / "visits.xlsx"
    _save_as(monkeypatch, target)
    operation = excel_actions.export_visits(window)
    _wait_for_message(qtbot, window, operation, str(target))
    assert asked
    assert next(load_workbook(target).active.values)[0] == "到访时间"


def test_export_visits_cancelled_at_the_days_writes_nothing(window, monkeypatch, tmp_path):
    monkeypatch.setattr(excel_actions, "ask_days", lambda *a: None)
    _save_as(monkeypatch, tmp_path / "visits.xlsx")
    excel_actions.export_visits(window)
    assert not (tmp_path / "visits.xlsx").exists()


def test_export_overdue_list(window, qtbot, monkeypatch, tmp_path):
    target = tmp_path / "overdue.csv"
    _save_as(monkeypatch, target)
    operation = excel_actions.export_overdue(window)
    _wait_for_message(qtbot, window, operation, str(target))
    assert target.read_text(encoding="utf-8-sig").startswith("逾期天数")


def test_save_import_template(window, qtbot, monkeypatch, tmp_path):
    target = tmp_path / "template.xlsx"
    _save_as(monkeypatch, target)
    operation = excel_actions.save_template(window)
    _wait_for_message(qtbot, window, operation, str(target))
    book = load_workbook(target)
    header = next(book.worksheets[0].values)
    assert "客户名称*" in header
    assert len(book.sheetnames) == 3


def test_the_excel_menu_follows_the_roles(window, qtbot, salesperson: Actor):
    assert {a.objectName() for a in window.findChildren(QAction)} >= {
        "importCustomers", "importHistory", "importTemplate", "exportCustomers",
        "exportVisits", "exportCommunications", "exportOverdue"}
    seller = MainWindow(salesperson, "archive")
    qtbot.addWidget(seller)
    names = {a.objectName() for a in seller.findChildren(QAction)}
    assert not names & {"importCustomers", "exportCustomers", "exportVisits",
                        "exportCommunications", "exportOverdue"}
    seller.tasks.wait()


def test_an_export_of_a_confidential_card_asks_for_approval_then_goes_through(
        window, qtbot, monkeypatch, tmp_path, manager):
    from PySide6.QtWidgets import QInputDialog

    from crmdesk.models import Staff
    from crmdesk.services.exports import approval

    card = customers.new_card(manager)
    card.values.update(name="张三", mobile="13800138000", confidentiality="confidential")
    customers.save_card(card, manager, accept_incomplete=True)
    second = Actor.of(Staff.create(name="钱经理", username="qian", roles="manager"))
    target = tmp_path / "customers.xlsx"
    _save_as(monkeypatch, target)
    asked = []
    monkeypatch.setattr(QInputDialog, "getText",
                        lambda parent, title, text: asked.append(text) or ("年度回访", True))

    operation = excel_actions.export_customers(window)
    if operation.is_running():
        with qtbot.waitSignal(operation.finished, timeout=WAIT_MS):
            pass
    window.tasks.wait()
    qtbot.waitUntil(lambda: bool(approval.approvals(manager)), timeout=WAIT_MS)
    assert not target.exists()
    assert "机密" in asked[0]
    [row] = approval.approvals(manager)
    approval.decide(row.id, True, second)

    operation = excel_actions.export_customers(window)
    _wait_for_message(qtbot, window, operation, str(target))
    assert load_workbook(target).active.max_row == 2

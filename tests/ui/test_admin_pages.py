"""The manager's audit page and the administrator's staff page."""
from __future__ import annotations

from openpyxl import load_workbook
from PySide6.QtWidgets import QFileDialog

from crmdesk.models import AuditEntry, Staff
from crmdesk.services import accounts, customers
from crmdesk.services.audit_text import action_title
from crmdesk.ui.operations import Operations
from crmdesk.ui.pages.audit_view import AuditPage
from crmdesk.ui.pages.staff_admin import AccountDialog, StaffPage


def test_audit_page_filters_and_exports_to_excel(qtbot, archive, manager, boxes, tmp_path,
                                                  monkeypatch):
    card = customers.new_card(manager)
    card.values.update(name="张三")
    number = customers.save_card(card, manager, accept_incomplete=True).archive_no
    page = AuditPage(manager)
    qtbot.addWidget(page)
    page.archive_no.setText(number)
    page.reload()
    assert page.table.rowCount() == 1
    assert page.table.item(0, 3).text() == action_title("create")

    target = tmp_path / "audit.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    page.export()
    rows = list(load_workbook(target).active.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][4] == number
    assert AuditEntry.select().where(AuditEntry.action == "export_audit").count() == 1

    page.verify()
    assert "完好" in boxes.texts() or "intact" in boxes.texts()


def test_staff_page_adds_an_account_that_can_log_in(qtbot, archive, boxes, monkeypatch):
    admin = accounts.create_first_admin("管理员", "admin", "admin password")
    page = StaffPage(admin, Operations())
    qtbot.addWidget(page)

    def fill(dialog):
        dialog.name.setText("前台小李")
        dialog.username.setText("lili")
        dialog.roles.boxes["sales"].setChecked(False)
        dialog.roles.boxes["frontdesk"].setChecked(True)
        dialog.password.setText("frontdesk pass")
        return 1

    monkeypatch.setattr(AccountDialog, "exec", fill)
    page.add()

    assert Staff.get(Staff.username == "lili").roles == "frontdesk"
    assert accounts.log_in("lili", "frontdesk pass").name == "前台小李"
    assert page.table.rowCount() == 2

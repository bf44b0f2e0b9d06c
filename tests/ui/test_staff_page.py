"""The staff page for a manager: the staff list with today's duty list, which the manager
runs; account buttons are the administrator's and say so."""
from __future__ import annotations

import datetime as dt

from crmdesk.models import Staff
from crmdesk.services import rotation
from crmdesk.ui.pages.staff_admin import StaffPage


def test_a_manager_gets_the_staff_page_and_runs_the_duty_list(qtbot, window, manager,
                                                             inline_operations):
    pages = [window.pages.tabText(i) for i in range(window.pages.count())]
    assert "员工" in pages
    seller = Staff.create(name="王强", username="wq", roles="sales")
    page = StaffPage(manager, window.tasks)
    qtbot.addWidget(page)
    assert page.duty is not None
    assert not page.buttons["add"].isEnabled() and page.buttons["add"].toolTip()
    assert page.buttons["on_duty"].isEnabled()
    today = [m.staff_id for m in rotation.duty_list(dt.date.today())]
    assert seller.id in today  # every salesperson is on a new day's list
    row = page._ids.index(seller.id)
    page.table.selectRow(row)
    page.put_on_duty(False)
    assert seller.id not in [m.staff_id for m in rotation.duty_list(dt.date.today())]
    assert page.table.item(row, 5).text() == ""
    page.put_on_duty(True)
    order = [m.staff_id for m in rotation.duty_list(dt.date.today())]
    assert order[-1] == seller.id
    assert page.table.item(row, 5).text() == f"第 {len(order)} 位"
    assert page.duty.table.rowCount() == len(order)


def test_a_salesperson_gets_no_staff_page(qtbot, salesperson):
    from crmdesk.ui.main_window import MainWindow

    seller = MainWindow(salesperson, "archive")
    qtbot.addWidget(seller)
    assert "员工" not in [seller.pages.tabText(i) for i in range(seller.pages.count())]
    seller.tasks.wait()

"""The follow-up page and the dashboard strip: log a contact from the overdue list."""
from __future__ import annotations

import datetime as dt

import pytest

from crmdesk.models import Customer, Level
from crmdesk.services import contacts, customers
from crmdesk.ui.dialogs.contact_dialog import ContactDialog

TODAY = dt.date.today()


def _overdue_customer(manager, name: str, days_late: int) -> int:
    card = customers.new_card(manager)
    card.values.update(name=name, level=Level.get(Level.code == "B").id)
    customer_id = customers.save_card(card, manager, accept_incomplete=True).customer_id
    contacted = dt.datetime.combine(TODAY - dt.timedelta(days=days_late + 5), dt.time(10))
    contacts.log_contact(customer_id, contacts.Contact(
        contacted, "phone", "电话沟通", next_follow_up=TODAY - dt.timedelta(days=days_late)),
        manager)
    return customer_id


def _wait_rows(qtbot, window, count: int) -> None:
    qtbot.waitUntil(lambda: window.followups.model.rowCount() == count, timeout=5000)


def test_contact_logged_from_the_overdue_list_takes_the_row_off(window, qtbot, manager,
                                                                 monkeypatch):
    late = _overdue_customer(manager, "逾期甲", 3)
    _overdue_customer(manager, "逾期乙", 9)
    page = window.followups
    page.show_list("overdue")
    _wait_rows(qtbot, window, 2)
    assert [r.name for r in page.model.rows] == ["逾期乙", "逾期甲"]  # most overdue first
    assert page.model.index(0, 0).data() == "9"

    page.view.setCurrentIndex(page.model.index(1, 0))

    def fill_and_log(dialog: ContactDialog) -> int:
        dialog.record.setPlainText("回访,约下周到店")
        dialog._log()
        # As exec() does: the dialog is answered once the contact's operation is over.
        qtbot.waitUntil(lambda: dialog.result() == dialog.DialogCode.Accepted, timeout=5000)
        return dialog.result()

    monkeypatch.setattr(ContactDialog, "exec", fill_and_log)
    page.log_contact()

    _wait_rows(qtbot, window, 1)
    assert page.model.rows[0].name == "逾期乙"
    assert Customer.get_by_id(late).next_follow_up > TODAY


def test_dashboard_counts_open_their_lists(window, qtbot, manager):
    _overdue_customer(manager, "逾期丙", 2)
    strip_buttons = {b.objectName(): b for b in window.findChildren(type(window.card.save_button))
                     if b.objectName().startswith("dashboard_")}
    # The counters follow the change event of the customer saved above.
    qtbot.waitUntil(lambda: "1" in strip_buttons["dashboard_overdue"].text(), timeout=5000)
    strip_buttons["dashboard_overdue"].click()
    assert window.pages.currentWidget() is window.followups
    _wait_rows(qtbot, window, 1)


def test_reminders_list_birthdays_and_incomplete_archives(window, qtbot, manager):
    card = customers.new_card(manager)
    born = TODAY + dt.timedelta(days=2)
    card.values.update(name="寿星", birth_date=born.replace(year=1980))
    customers.save_card(card, manager, accept_incomplete=True)
    window.reminders.reload()
    qtbot.waitUntil(lambda: window.reminders.birthdays.rowCount() == 1, timeout=5000)
    assert window.reminders.birthdays.item(0, 3).text() == "寿星"
    assert window.reminders.incomplete.rowCount() == 1
    assert "手机" in window.reminders.incomplete.item(0, 3).text()


@pytest.mark.usefixtures("inline_operations")  # the card opens before the call returns
def test_ctrl_l_in_the_list_logs_a_contact_for_the_selected_customer(window, qtbot, manager,
                                                                      monkeypatch):
    from PySide6.QtCore import Qt

    customer_id = _overdue_customer(manager, "列表选中", 4)
    page = window.customers
    with qtbot.waitSignal(page.searched, timeout=5000):
        page.reload()
    page.view.setFocus()
    page.view.selectRow(0)
    seen = []

    def log(dialog: ContactDialog) -> int:
        seen.append(dialog.windowTitle())
        dialog.record.setPlainText("列表里直接记录")
        dialog._log()
        return dialog.result()

    monkeypatch.setattr(ContactDialog, "exec", log)
    qtbot.keyClick(page.view, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)

    assert seen and "列表选中" in seen[0]
    assert customers.get_card(customer_id).communications[0]["record"] == "列表里直接记录"
    assert window.card.customer_id is None  # the open card was left alone


def test_pages_read_their_data_when_first_shown(window, qtbot, manager):
    _overdue_customer(manager, "首次显示", 2)
    window.tasks.wait()
    qtbot.wait(20)
    assert window.followups.model.rowCount() == 0  # nothing read at start
    window.pages.setCurrentWidget(window.followups)
    _wait_rows(qtbot, window, 1)

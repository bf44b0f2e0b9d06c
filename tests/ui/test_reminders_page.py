"""The reminders page: whose birthday in words (本人/配偶/子女), no name twice, counts on the
tabs, and actions on the selected row."""
from __future__ import annotations

import datetime as dt

from crmdesk.models import Communication
from crmdesk.services import customers, reminders
from crmdesk.ui.dialogs.contact_dialog import ContactDialog


def _wait(qtbot, window, rows: int) -> None:
    window.reminders.reload()
    qtbot.waitUntil(lambda: window.reminders.birthdays.rowCount() == rows, timeout=5000)


def test_birthdays_say_whose_and_name_nobody_twice(window, qtbot, manager):
    today = reminders.today()
    card = customers.new_card(manager)
    card.values.update(name="张三", birth_date=(today + dt.timedelta(days=1)).replace(year=1980),
                       spouse_name="李梅",
                       spouse_birth_date=(today + dt.timedelta(days=2)).replace(year=1982))
    customers.save_card(card, manager, accept_incomplete=True)
    _wait(qtbot, window, 2)
    table = window.reminders.birthdays
    rows = [[table.item(r, c).text() for c in range(table.columnCount())]
            for r in range(table.rowCount())]
    assert rows[0][1] == "本人" and rows[1][1] == "配偶　李梅"
    assert all(row.count("张三") == 1 for row in rows)
    assert all("出生日期" not in " ".join(row) for row in rows)
    titles = [window.reminders.tabs.tabText(i) for i in range(3)]
    assert titles[0].endswith("（2）") or titles[0].endswith("(2)")
    assert "1" in titles[2]


def test_a_contact_is_logged_from_the_selected_reminder(window, qtbot, manager, monkeypatch):
    today = reminders.today()
    card = customers.new_card(manager)
    card.values.update(name="生日客户", birth_date=today.replace(year=1990))
    customer_id = customers.save_card(card, manager, accept_incomplete=True).customer_id
    _wait(qtbot, window, 1)
    page = window.reminders
    assert not page.contact_button.isEnabled()
    page.birthdays.selectRow(0)
    assert page.chosen() == customer_id and page.contact_button.isEnabled()
    seen = {}

    def answer(dialog: ContactDialog) -> int:
        seen["title"] = dialog.windowTitle()
        return 0

    monkeypatch.setattr(ContactDialog, "exec", answer)
    page.contact_button.click()
    qtbot.waitUntil(lambda: "title" in seen, timeout=5000)  # once the card is read
    assert "生日客户" in seen["title"]
    assert Communication.select().count() == 0
    page.open_button.click()
    qtbot.waitUntil(lambda: window.card.customer_id == customer_id, timeout=5000)

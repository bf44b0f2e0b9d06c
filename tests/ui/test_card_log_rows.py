"""The log's rows fit their text when the log tab is on screen, also for a card opened while
another tab was shown (the fitting waits for the tab)."""
from __future__ import annotations

import datetime as dt

import pytest

from crmdesk.services import customers
from crmdesk.services.contacts import Contact, log_contact

pytestmark = pytest.mark.usefixtures("inline_operations")

LONG_RECORD = "\n".join(f"第{n}行：客户询问价格与交车时间" for n in range(1, 7))


def test_a_long_record_gets_a_tall_row_once_the_log_tab_is_shown(window, manager):
    card = customers.new_card(manager)
    card.values.update(name="王长记")
    customer_id = customers.save_card(card, manager, accept_incomplete=True).customer_id
    log_contact(customer_id, Contact(dt.datetime(2026, 3, 1, 9), "phone", LONG_RECORD), manager)
    log_contact(customer_id, Contact(dt.datetime(2026, 3, 2, 9), "phone", "回访"), manager)
    window.show_archive()
    editor = window.card
    editor.tabs.setCurrentIndex(0)
    window.open_customer(customer_id)
    table = editor.log_tab.table
    editor.tabs.setCurrentWidget(editor.log_tab)
    assert table.isVisible()
    # Newest first: the short record, then the six-line one.
    assert table.rowHeight(1) > 3 * table.rowHeight(0)

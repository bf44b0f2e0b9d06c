"""Destroying an archive from the window: reason, confirmation, and the review page."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtWidgets import QInputDialog, QMessageBox

from crmdesk.models import AuditEntry, Customer
from crmdesk.services import customers
from crmdesk.ui import retention_actions


def _customer(manager, name: str) -> int:
    card = customers.new_card(manager)
    card.values.update(name=name)
    return customers.save_card(card, manager, accept_incomplete=True).customer_id


@pytest.mark.usefixtures("inline_operations")  # the card opens before the call returns
def test_destroying_the_open_card_needs_a_reason_and_a_yes(window, manager, boxes, monkeypatch):
    customer_id = _customer(manager, "待销毁")
    window.card.load(customer_id)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("客户要求删除", True))

    boxes.answer = QMessageBox.StandardButton.No
    retention_actions.destroy_open_card(window)
    assert Customer.select().where(Customer.id == customer_id).exists()

    boxes.answer = QMessageBox.StandardButton.Yes
    retention_actions.destroy_open_card(window)
    assert not Customer.select().where(Customer.id == customer_id).exists()
    assert window.card.customer_id is None
    entry = AuditEntry.get(AuditEntry.action == "destroy")
    assert "客户要求删除" in entry.details


def test_review_page_lists_long_silent_archives(window, manager, boxes, monkeypatch):
    old = _customer(manager, "多年未联系")
    _customer(manager, "新客户")
    long_ago = dt.datetime(2015, 1, 5, 9, 0)
    Customer.update(created_at=long_ago, last_contact_at=long_ago).where(
        Customer.id == old).execute()
    page = next(window.pages.widget(i) for i in range(window.pages.count())
                if isinstance(window.pages.widget(i), retention_actions.RetentionPage))
    page.reload()
    assert page.table.rowCount() == 1 and page.table.item(0, 1).text() == "多年未联系"

    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("超过保存期限", True))
    boxes.answer = QMessageBox.StandardButton.Yes
    page.table.setCurrentCell(0, 0)
    page.destroy_chosen()
    assert page.table.rowCount() == 0
    assert not Customer.select().where(Customer.id == old).exists()

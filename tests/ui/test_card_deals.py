"""Deals on the card: recorded from the card's business tab they appear in its list, the card
shows the status 成交 and, with a product, the purchase line; the salesperson is the owner
unless another is chosen; a refused deal keeps what was typed and records nothing."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from PySide6.QtCore import QDate

from crmdesk.models import Deal, Purchase
from crmdesk.services import customers
from crmdesk.ui.card.deals_view import DealDialog

pytestmark = pytest.mark.usefixtures("inline_operations")


@pytest.fixture
def card(window, salesperson, manager) -> int:
    """A saved customer of the salesperson whose card is open in the manager's window."""
    new = customers.new_card(manager)
    new.values.update(name="李成交", owner=salesperson.staff_id)
    customer_id = customers.save_card(new, manager, accept_incomplete=True).customer_id
    window.open_customer(customer_id)
    assert window.card.customer_id == customer_id
    return customer_id


def _record_with(monkeypatch, fill) -> list[DealDialog]:
    """Make the deal dialog fill itself with ``fill`` and press OK once it opens."""
    seen: list[DealDialog] = []

    def run(dialog: DealDialog) -> int:
        fill(dialog)
        dialog.submit()
        seen.append(dialog)
        return dialog.result()

    monkeypatch.setattr(DealDialog, "exec", run)
    return seen


def test_a_deal_recorded_from_the_card_is_listed_with_its_purchase(window, card, manager,
                                                                   monkeypatch):
    section = window.card.deals
    assert section.table.rowCount() == 0 and section.record_button.isEnabled()

    def fill(dialog: DealDialog) -> None:
        dialog.closed_on.setDate(QDate(2026, 3, 5))
        dialog.salesperson.setCurrentIndex(dialog.salesperson.findData(manager.staff_id))
        dialog.amount.setText("¥12,800.5")
        dialog.product.setText("空气净化器")
        dialog.quantity.setValue(2)

    _record_with(monkeypatch, fill)
    assert section.record()
    assert [section.table.item(0, c).text() for c in range(4)] == [
        "2026-03-05", "赵经理", "12,800.50", "空气净化器"]
    deal = Deal.get(Deal.customer == card)
    line = Purchase.get(Purchase.customer == card)
    assert (deal.closed_on, deal.salesperson_id, deal.purchase_id) == (
        dt.date(2026, 3, 5), manager.staff_id, line.id)
    assert (line.product, line.quantity, line.amount) == ("空气净化器", 2, Decimal("12800.50"))
    # The card was read again: its status and its purchase history show the deal.
    assert window.card.editor("status").value() == "deal"
    assert [row["product"] for row in window.card.tables["purchases"].rows()] == ["空气净化器"]


def test_without_a_salesperson_the_cards_owner_is_credited(window, card, salesperson,
                                                          monkeypatch):
    _record_with(monkeypatch, lambda dialog: dialog.closed_on.setDate(QDate.currentDate()))
    assert window.card.deals.record()
    deal = Deal.get(Deal.customer == card)
    assert (deal.salesperson_id, deal.amount, deal.purchase_id) == (
        salesperson.staff_id, None, None)
    assert window.card.deals.table.item(0, 1).text() == "王强"


def test_a_refused_deal_keeps_what_was_typed_and_records_nothing(window, card, boxes,
                                                                 monkeypatch):
    def fill(dialog: DealDialog) -> None:
        dialog.amount.setText("一万")
        dialog.product.setText("净水器")
        dialog.submit()  # refused before the service: not an amount
        dialog.amount.setText("800")
        dialog.closed_on.setDate(QDate.currentDate().addDays(3))

    seen = _record_with(monkeypatch, fill)  # refused by the service: a day still to come
    assert not window.card.deals.record()
    assert "金额" in boxes.shown[0][1] and "一万" in boxes.shown[0][1]
    assert "成交日期" in boxes.shown[1][1]
    dialog = seen[0]
    assert (dialog.amount.text(), dialog.product.text()) == ("800", "净水器")
    assert Deal.select().count() == 0 and Purchase.select().count() == 0
    assert window.card.deals.table.rowCount() == 0

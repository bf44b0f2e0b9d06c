"""Opening a card in the window reads it and every panel (ownership, value, deals,
appointments, complaints, the banner's owner) in one operation with few statements, counted
from peewee's query log as peewee's own tests count them, painting included."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from crmdesk.models import Staff
from crmdesk.services import appointments, complaints, customers, deals, ownership
from tests.statements import statements_run

pytestmark = pytest.mark.usefixtures("inline_operations")

# The card with most panels' data 1, its log 1, its audit entry 3, and the panels' other reads
# (see tests/services/test_card_view.py).
STATEMENTS = 8


@pytest.fixture
def busy_card(salesperson, manager) -> int:
    """A salesperson's customer with a purchase, a deal, an appointment, a complaint and a
    transfer to a colleague."""
    new = customers.new_card(manager)
    new.values.update(name="李成交", owner=salesperson.staff_id)
    customer_id = customers.save_card(new, manager, accept_incomplete=True).customer_id
    today = dt.date.today()
    deals.record_deal(customer_id, deals.NewDeal(today, amount=Decimal("800"), product="轿车"),
                      manager)
    appointments.book(customer_id, dt.datetime.combine(today, dt.time(10))
                      + dt.timedelta(days=1), "试驾", manager)
    complaints.record_complaint(customer_id, complaints.NewComplaint(
        dt.datetime.now(), "call", "态度差", "service"), manager)
    colleague = Staff.create(name="李娜", username="li", roles="sales")
    ownership.transfer([customer_id], colleague.id, "调离交接", manager)
    return customer_id


def test_opening_a_card_in_the_window_takes_few_statements(busy_card, window, qtbot, caplog):
    card = window.card
    qtbot.wait(50)  # the window's own first reads are done

    def open_and_paint() -> None:
        window.open_customer(busy_card)
        card.repaint()

    opening = statements_run(caplog, open_and_paint)
    assert card.customer_id == busy_card
    assert card.deals.table.rowCount() == card.appointments.table.rowCount() == 1
    assert card.complaints_tab.table.rowCount() == 1
    assert "李娜" in card.ownership.protection.text()
    assert card.customer_value.value is not None and card.customer_value.value.orders == 1
    assert len(opening) <= STATEMENTS, opening

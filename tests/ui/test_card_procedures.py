"""The handbook's procedures on the card: appointments on the card's back, the customer's value
on the business tab, putting a card up for review, and requesting access when a card is refused."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import QPushButton

from crmdesk.models import AccessRequest, Appointment, CardReview, Purchase, Staff
from crmdesk.services import appointments, customers
from crmdesk.services.context import Actor
from crmdesk.ui.dialogs.appointment_dialog import AppointmentDialog

pytestmark = pytest.mark.usefixtures("inline_operations")
TOMORROW = dt.date.today() + dt.timedelta(days=1)


def _customer(actor: Actor, name: str = "刘预约") -> int:
    new = customers.new_card(actor)
    new.values.update(name=name)
    return customers.save_card(new, actor, accept_incomplete=True).customer_id


@pytest.fixture
def card(window, manager) -> int:
    """A saved customer of the manager, open in the window."""
    customer_id = _customer(manager)
    window.open_customer(customer_id)
    assert window.card.customer_id == customer_id
    return customer_id



def test_an_invitation_booked_on_the_card_is_listed_with_its_state(window, card, monkeypatch):
    section = window.card.appointments
    assert section.table.rowCount() == 0 and section.invite_button.isEnabled()

    def book(dialog: AppointmentDialog) -> int:
        assert dialog.salesperson.currentText() == "赵经理"  # the card's owner by default
        dialog.starts_at.setDateTime(QDateTime(TOMORROW.year, TOMORROW.month, TOMORROW.day,
                                               14, 30, 0))
        dialog.purpose.setText("试驾")
        dialog.expected.setText("刘先生和夫人")
        dialog.submit()
        return dialog.result()

    monkeypatch.setattr(AppointmentDialog, "exec", book)
    assert section.invite()
    assert [section.table.item(0, c).text() for c in range(5)] == [
        f"{TOMORROW.isoformat()} 14:30", "试驾", "刘先生和夫人", "赵经理", "待到访"]
    saved = Appointment.get(Appointment.customer == card)
    assert (saved.purpose, saved.expected) == ("试驾", "刘先生和夫人")


def test_an_invitation_without_a_purpose_is_refused_and_keeps_the_time(window, card, boxes,
                                                                        monkeypatch):
    seen: list[AppointmentDialog] = []

    def book(dialog: AppointmentDialog) -> int:
        dialog.starts_at.setDateTime(QDateTime(TOMORROW.year, TOMORROW.month, TOMORROW.day,
                                               9, 0, 0))
        dialog.submit()
        seen.append(dialog)
        return dialog.result()

    monkeypatch.setattr(AppointmentDialog, "exec", book)
    assert not window.card.appointments.invite()
    assert "来意" in boxes.texts()
    assert seen[0].starts_at.dateTime().time().hour() == 9
    assert Appointment.select().count() == 0


def test_cancelling_an_appointment_marks_it_cancelled(window, card, manager, boxes):
    appointments.book(card, dt.datetime.combine(TOMORROW, dt.time(10)), "签约", manager)
    section = window.card.appointments
    section.reload()
    section.table.selectRow(0)
    assert section.cancel_button.isEnabled()
    boxes.answer = boxes.answer.Yes
    section.cancel_chosen()
    assert section.table.item(0, 4).text() == "已取消"
    assert not section.cancel_button.isEnabled()


def test_the_business_tab_shows_the_value_grade_with_orders_and_amount(window, manager):
    customer_id = _customer(manager, "钱大户")
    for n in range(6):
        Purchase.create(customer=customer_id, date=dt.date(2026, 1, n + 1),
                        product="配件", quantity=1, amount=Decimal("30000"))
    window.open_customer(customer_id)
    text = window.card.customer_value.text()
    assert "主力客户" in text and "6" in text and "180,000.00" in text
    window.card.load_new()
    assert "尚无购买记录" in window.card.customer_value.text()


def test_the_writer_puts_a_card_up_for_review_once(window, card, boxes):
    button = window.card.review_button
    assert button.isEnabled()
    button.put_up()
    assert CardReview.select().where(CardReview.customer == card).count() == 1
    button.put_up()
    assert "已提交审核" in boxes.texts()
    assert CardReview.select().count() == 1


def test_a_refused_card_offers_to_request_access(sales_window, manager, boxes, qtbot):
    colleague = Actor.of(Staff.create(name="李娜", username="ln", roles="sales"))
    theirs = _customer(colleague, "别人的客户")
    sales_window.card.load(theirs)
    offer = sales_window.card.access_offer
    assert offer.box is not None and offer.box.isVisible()
    offer.box.findChild(QPushButton, "requestAccess").click()
    dialog = offer.dialog
    assert dialog is not None
    dialog.purpose.setText("核对合同")
    dialog.submit()  # no reason: refused, nothing lost
    assert "理由" in boxes.texts() and dialog.purpose.text() == "核对合同"
    dialog.reason.setText("客户来电询问")
    dialog.submit()
    request = AccessRequest.get(AccessRequest.customer == theirs)
    assert (request.purpose, request.reason, request.state) == ("核对合同", "客户来电询问",
                                                                "pending")
    assert sales_window.card.customer_id != theirs

"""The appointment tiles: the front desk's customers expected today, a salesperson's no-shows;
each opens its full list, and a line opens the card."""
from __future__ import annotations

import datetime as dt

import pytest

from crmdesk.models import Appointment, Staff
from crmdesk.services import customers
from crmdesk.services.context import Actor
from crmdesk.ui.main_window import MainWindow

pytestmark = pytest.mark.usefixtures("inline_operations")
TODAY = dt.date.today()


def _booked(owner: Actor, name: str, at: dt.datetime) -> int:
    card = customers.new_card(owner)
    card.values.update(name=name, owner=owner.staff_id)
    customer_id = customers.save_card(card, owner, accept_incomplete=True).customer_id
    Appointment.create(customer=customer_id, salesperson=owner.staff_id, starts_at=at,
                       purpose="试驾", booked_by=owner.staff_id, booked_at=at)
    return customer_id


def _home(qtbot, archive, actor: Actor) -> MainWindow:
    window = MainWindow(actor, str(archive))
    qtbot.addWidget(window)
    window.show()
    return window


def test_the_front_desk_home_lists_todays_expected_customers(qtbot, archive, salesperson,
                                                             boxes):
    _booked(salesperson, "张三", dt.datetime.combine(TODAY, dt.time(10)))
    desk = Actor.of(Staff.create(name="陈静", username="desk", roles="frontdesk"))
    window = _home(qtbot, archive, desk)
    tile = window.pages.widget(0).tiles["expected"]
    assert tile.title.text() == "今日预约到访"
    assert tile.figure.text() == "1"
    assert tile.lines.item(0).text().startswith("张三    10:00")
    tile.figure.click()
    dialog = window.pages.widget(0).list_dialog
    assert dialog is not None and dialog.table.rowCount() == 1
    window.tasks.wait()


def test_the_salesperson_home_lists_their_no_shows_and_opens_the_card(qtbot, archive,
                                                                      salesperson, boxes):
    missed = _booked(salesperson, "李四", dt.datetime.combine(TODAY - dt.timedelta(days=2),
                                                               dt.time(15)))
    window = _home(qtbot, archive, salesperson)
    tile = window.pages.widget(0).tiles["no_shows"]
    assert tile.title.text() == "我的爽约预约"
    assert tile.figure.text() == "1"
    tile.customer_chosen.emit(missed)
    assert window.card.customer_id == missed
    assert window.card.appointments.table.item(0, 4).text() == "未到访"
    window.tasks.wait()

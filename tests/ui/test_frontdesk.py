"""The front desk in the window: F2, the keyboard-only register form, matches as the phone is
typed, a lapsed owner and the override with its reason."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from crmdesk.models import Customer, Staff, Visit
from crmdesk.services import customers
from crmdesk.services.context import Actor
from crmdesk.ui.pages.frontdesk import FrontDeskPage

# The duplicate check is an operation: run inline, the matches are listed as each key is typed.
pytestmark = pytest.mark.usefixtures("inline_operations")

def _type(widget, text: str) -> None:
    """Type ``text`` key by key into the focused ``widget``, as a keyboard or input method does."""
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier,
                                                     char))


def _enter(widget) -> None:
    QTest.keyClick(widget, Qt.Key.Key_Return)


@pytest.fixture
def desk_page(window):
    """The front desk page, with 王强 and 李娜 selling besides the manager."""
    for name, username in (("王强", "wq"), ("李娜", "ln")):
        Staff.create(name=name, username=username, roles="sales")
    page = window.findChild(FrontDeskPage)
    page.duty.reload()
    return page


def _open_form(qtbot, window, page):
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    QTest.keyClick(window.customers.search, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: page.dialog is not None and page.dialog.isVisible())
    qtbot.waitUntil(page.dialog.isActiveWindow)
    return page.dialog


def _customer(owner: Actor, name: str, mobile: str) -> Customer:
    card = customers.new_card(owner)
    card.values.update(name=name, mobile=mobile)
    return Customer.get_by_id(customers.save_card(card, owner, accept_incomplete=True)
                              .customer_id)


def test_f2_and_the_keyboard_alone_register_a_new_visitor(qtbot, window, desk_page):
    form = _open_form(qtbot, window, desk_page)
    assert form.name.hasFocus()

    _type(form.name, "张三")
    _enter(form.name)
    assert form.phone.hasFocus()
    _type(form.phone, "138 0013 8000")
    QTest.keyClick(form.phone, Qt.Key.Key_Tab)
    assert form.purpose.hasFocus()
    _type(form.purpose, "看车")
    _enter(form.purpose)

    qtbot.waitUntil(lambda: not form.isVisible())
    visit = Visit.get()
    assert (visit.name, visit.phone, visit.purpose, visit.returning) == (
        "张三", "13800138000", "看车", False)
    assert Customer.get().name == "张三"
    assert desk_page.register.table.rowCount() == 1
    assert "张三" in [desk_page.register.table.item(0, c).text() for c in range(4)]
    assert desk_page.last.text()


def test_matches_appear_while_the_phone_is_typed_and_a_known_phone_links(qtbot, window,
                                                                        desk_page, manager):
    known = _customer(manager, "李四", "13912345678")
    form = _open_form(qtbot, window, desk_page)
    _type(form.name, "李先生")
    _enter(form.name)

    _type(form.phone, "13")
    assert form.matches.rowCount() == 0
    _type(form.phone, "9")
    assert form.matches.rowCount() == 1
    assert form.matches.item(0, 0).text() == known.archive_no
    assert form.linked_id() is None
    _type(form.phone, "1234 5678")

    assert form.linked_id() == known.id
    assert known.archive_no in form.link_note.text()
    _enter(form.phone)  # Enter registers, as the button says
    qtbot.waitUntil(lambda: not form.isVisible())
    assert Customer.select().count() == 1
    assert Visit.get().returning


def test_a_lapsed_owner_is_shown_and_overriding_needs_a_reason(qtbot, window, desk_page, boxes,
                                                              manager):
    wang = Actor.of(Staff.get(Staff.name == "王强"))
    known = _customer(wang, "李四", "13912345678")
    Customer.update(created_at=dt.datetime.now() - dt.timedelta(days=90)).execute()
    form = _open_form(qtbot, window, desk_page)
    _type(form.name, "李四")
    form.phone.setFocus()
    _type(form.phone, "139 1234 5678")

    assert form.linked_id() == known.id
    assert "失效" in form.matches.item(0, 6).text()
    assert "保护期已满" in form.proposal_note.text()
    assert form.salesperson.currentData() != wang.staff_id
    form.salesperson.setCurrentIndex(form.salesperson.findData(wang.staff_id))
    form.salesperson.activated.emit(form.salesperson.currentIndex())
    assert form.reason.isEnabled()

    form.register_button.click()
    assert "理由" in boxes.texts()
    assert form.isVisible()
    form.reason.setFocus()
    _type(form.reason, "客户指定王强")
    _enter(form.reason)

    qtbot.waitUntil(lambda: not form.isVisible())
    visit = Visit.get()
    assert (visit.salesperson_id, visit.assignment, visit.override_reason) == (
        wang.staff_id, "override", "客户指定王强")

"""The card editor: filling, saving, refusing, reminding, switching cards."""
from __future__ import annotations

import itertools

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from crmdesk.models import Customer
from crmdesk.services import customers

# Opening and saving are operations: run inline, each is over when the call returns.
pytestmark = pytest.mark.usefixtures("inline_operations")


def _saved(card) -> bool:
    """Save the card; True when it was saved (a refusal or a "no" to the reminder is False)."""
    saved = []
    card.saved.connect(saved.append)
    card.save()
    card.saved.disconnect(saved.append)
    return bool(saved)


def _type(qtbot, editor, text: str) -> None:
    """Type ``text`` key by key, as a keyboard (or an input method) delivers Chinese."""
    editor.setFocus()
    editor.clear()
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(editor, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


def _choose(combo, key) -> None:
    combo.setCurrentIndex(combo.findData(key))
    combo.activated.emit(combo.currentIndex())


def _fill_complete_card(qtbot, card) -> None:
    _type(qtbot, card.editor("name"), "张三")
    _type(qtbot, card.editor("mobile"), "138 0013 8000")
    _type(qtbot, card.editor("address"), "上海市长宁路 1 号")
    _type(qtbot, card.editor("employer"), "华信科技有限公司")
    _type(qtbot, card.editor("birth_date"), "1985年3月9日")
    _type(qtbot, card.editor("email"), "zhangsan@example.com")
    _choose(card.editor("source"), "referral")
    _choose(card.editor("gender"), "male")
    card.editor("consent").setChecked(True)
    card.editor("needs").setPlainText("家用代步,预算 15 万")


def test_card_filled_through_widgets_reopens_with_the_same_values(window, qtbot):
    card = window.card
    _fill_complete_card(qtbot, card)
    card.tables["purchases"].add_row({"date": None})
    grid = card.tables["purchases"].grid
    for col, text in enumerate(("2026-01-05", "SUV B 型", "2", "300,000.50")):
        grid.item(0, col).setText(text)
    assert card.is_dirty()

    assert _saved(card)

    saved_id = card.customer_id
    card.load_new()
    card.load(saved_id)
    assert card.editor("name").value() == "张三"
    assert card.editor("mobile").value() == "138 0013 8000"
    assert card.editor("birth_date").value() == "1985-03-09"
    assert card.editor("source").value() == "referral"
    assert card.editor("gender").value() == "male"
    assert card.editor("consent").value() is True
    assert card.editor("needs").value() == "家用代步,预算 15 万"
    assert card.tables["purchases"].rows()[0]["amount"] == "300,000.50"
    assert Customer.get_by_id(saved_id).mobile == "13800138000"
    assert not card.is_dirty()


def test_refused_save_lists_every_problem_and_keeps_the_input(window, qtbot, boxes):
    card = window.card
    _type(qtbot, card.editor("mobile"), "1380013")
    _type(qtbot, card.editor("email"), "not-an-address")
    _type(qtbot, card.editor("birth_date"), "2023-02-30")

    assert not _saved(card)

    text = boxes.texts()
    assert "客户名称" in text and "手机" in text and "电子邮箱" in text and "出生日期" in text
    assert card.editor("mobile").value() == "1380013"
    assert card.editor("email").value() == "not-an-address"
    assert card.editor("mobile").property("invalid") is True
    assert card.editor("address").property("invalid") is False
    assert Customer.select().count() == 0


def test_important_field_reminder_names_all_missing_fields_at_once(window, qtbot, boxes):
    card = window.card
    _type(qtbot, card.editor("name"), "李四")
    boxes.answer = QMessageBox.StandardButton.Cancel

    assert not _saved(card)

    assert len(boxes.shown) == 1
    reminder = boxes.shown[0][1]
    for label in ("客户来源", "同意建档", "手机", "地址", "工作单位", "客户需求"):
        assert label in reminder
    assert Customer.select().count() == 0

    boxes.answer = QMessageBox.StandardButton.Save
    assert _saved(card)
    assert Customer.select().count() == 1


def test_organisation_shows_its_own_groups(window, qtbot):
    card = window.card
    _choose(card.editor("kind"), "organisation")
    assert card.editor("licence_no").isVisibleTo(card)
    assert not card.editor("gender").isVisibleTo(card)
    assert not card.editor("home_phone").isVisibleTo(card)
    _choose(card.editor("kind"), "individual")
    assert card.editor("gender").isVisibleTo(card)
    assert not card.editor("licence_no").isVisibleTo(card)


def test_switching_cards_with_unsaved_edits_asks_first(window, qtbot, boxes, manager):
    first = customers.new_card(manager)
    first.values.update(name="王五")
    first_id = customers.save_card(first, manager, accept_incomplete=True).customer_id
    card = window.card
    _type(qtbot, card.editor("name"), "赵六")

    boxes.answer = QMessageBox.StandardButton.Cancel
    window.open_customer(first_id)
    assert card.editor("name").value() == "赵六"
    assert card.customer_id is None

    boxes.answer = QMessageBox.StandardButton.Discard
    window.open_customer(first_id)
    assert card.customer_id == first_id
    assert card.editor("name").value() == "王五"


def test_ctrl_n_starts_a_new_card_with_the_cursor_in_the_name(window, qtbot, manager):
    existing = customers.new_card(manager)
    existing.values.update(name="钱七")
    window.card.load(customers.save_card(existing, manager, accept_incomplete=True).customer_id)

    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)

    assert window.card.customer_id is None
    assert window.card.editor("name").value() == ""
    assert window.card.editor("name").hasFocus()


def _next_tab_stop(widget):
    following = widget.nextInFocusChain()
    while not (following.focusPolicy() & Qt.FocusPolicy.TabFocus) or not following.isEnabled():
        following = following.nextInFocusChain()
    return following


def test_tab_order_follows_the_card(window):
    card = window.card
    order = ["kind", "name", "alias", "owner", "level", "status", "source", "referrer"]
    for here, there in itertools.pairwise(order):
        assert _next_tab_stop(card.editor(here)) is card.editor(there)


def test_contact_logged_during_an_edit_keeps_its_level_when_the_card_is_saved(window, qtbot,
                                                                            manager):
    import datetime as dt

    from crmdesk.models import Level
    from crmdesk.services import contacts

    first = customers.new_card(manager)
    first.values.update(name="郑十")
    customer_id = customers.save_card(first, manager, accept_incomplete=True).customer_id
    card = window.card
    card.load(customer_id)
    _type(qtbot, card.editor("alias"), "小郑")
    level_h = Level.get(Level.code == "H").id
    contacts.log_contact(customer_id, contacts.Contact(dt.datetime.now(), "phone", "来电",
                                                       level_id=level_h), manager)
    # The card takes the contact's level from its change event, keeping the alias typed.
    qtbot.waitUntil(lambda: card.editor("level").value() == level_h)
    assert card.editor("alias").value() == "小郑"

    assert _saved(card)

    stored = Customer.get_by_id(customer_id)
    assert stored.level_id == level_h
    assert stored.alias == "小郑"


def test_opening_card_after_card_keeps_the_app_alive(window, manager):
    """Qt bindings that leak references to None abort the process after a few dozen cards."""
    import sys

    ids = []
    for name in ("甲", "乙"):
        card = customers.new_card(manager)
        card.values.update(name=name)
        ids.append(customers.save_card(card, manager, accept_incomplete=True).customer_id)
    before = sys.getrefcount(None)
    for turn in range(120):
        window.card.load(ids[turn % 2])
    assert window.card.editor("name").value() == "乙"
    assert sys.getrefcount(None) >= before - 1000

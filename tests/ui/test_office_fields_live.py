"""The open card follows the office's field definitions without a restart."""
from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from crmdesk.services import office_fields
from crmdesk.ui.main_window import MainWindow
from tests.office_field_samples import CLUB, WORK_YEARS, add_fields

WAIT_MS = 10000


@pytest.fixture
def open_window(qtbot, window: MainWindow, manager) -> MainWindow:
    """A manager's window, open while the office adds a club choice: it shows on the card."""
    # The blank card is read by an operation: delivered here, it never blanks what a test
    # types later.
    window.card.load_new()
    window.tasks.wait()
    QApplication.processEvents()
    add_fields(manager, CLUB)
    qtbot.waitUntil(lambda: "office.club" in _names(window.card), timeout=WAIT_MS)
    return window


def _names(card) -> set[str]:
    return {name for form in card.forms for name in form.editors}


def test_a_field_added_through_the_service_appears_on_the_open_card(open_window, manager,
                                                                    qtbot):
    card = open_window.card
    qtbot.keyClicks(card.editor("name"), "Zhang San")
    card.editor("office.club").set_value("tennis")
    assert card.is_dirty()
    assert "office.work_years" not in _names(card)
    work_years, = add_fields(manager, WORK_YEARS)
    qtbot.waitUntil(lambda: "office.work_years" in _names(card), timeout=WAIT_MS)
    assert not card.editor("office.work_years").isHidden()
    # What was typed stays, in the card's own fields and in the office's.
    assert card.editor("name").text() == "Zhang San"
    assert card.editor("office.club").value() == "tennis"
    assert card.is_dirty()
    office_fields.set_hidden(work_years.id, True, manager)
    qtbot.waitUntil(lambda: "office.work_years" not in _names(card), timeout=WAIT_MS)


def test_a_built_in_field_hidden_or_shown_again_follows_on_the_open_card(open_window,
                                                                         manager, qtbot):
    card = open_window.card
    assert not card.editor("hobbies").isHidden()
    office_fields.hide_builtin("hobbies", True, manager)
    qtbot.waitUntil(lambda: card.editor("hobbies").isHidden(), timeout=WAIT_MS)
    office_fields.hide_builtin("hobbies", False, manager)
    qtbot.waitUntil(lambda: not card.editor("hobbies").isHidden(), timeout=WAIT_MS)


def test_removing_a_field_holding_values_asks_first(qtbot, open_window, manager, boxes):
    from PySide6.QtWidgets import QMessageBox

    from crmdesk.models import OfficeValue
    from crmdesk.services import customers
    from crmdesk.ui.dialogs.office_fields import OfficeFieldsDialog

    card = customers.new_card(manager)
    card.values.update(name="张三", mobile="13800138000")
    card.office = {"club": "golf"}
    customers.save_card(card, manager, accept_incomplete=True)
    dialog = OfficeFieldsDialog(manager)
    qtbot.addWidget(dialog)
    dialog.table.selectRow(0)
    boxes.answer = QMessageBox.StandardButton.No
    dialog.remove()
    assert "有 1 张卡片填了俱乐部" in boxes.shown[-1][1]
    assert OfficeValue.select().count() == 1 and dialog.table.rowCount() == 1
    boxes.answer = QMessageBox.StandardButton.Yes
    dialog.remove()
    assert OfficeValue.select().count() == 0 and dialog.table.rowCount() == 0
    qtbot.waitUntil(lambda: "office.club" not in _names(open_window.card), timeout=WAIT_MS)

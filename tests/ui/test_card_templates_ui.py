"""Picking the office's ready-made card in the window: at first start, and later from the
archive menu; the open card's form follows and the levels change."""
from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox

from crmdesk.services import accounts, card_templates
from crmdesk.services.levels import levels
from crmdesk.ui.dialogs.card_template import CardTemplateDialog
from crmdesk.ui.dialogs.login import FirstAdminDialog
from crmdesk.ui.main_window import MainWindow

WAIT_MS = 10000


def _pick(combo, key: str) -> None:
    combo.setCurrentIndex(combo.findData(key))


@pytest.mark.parametrize(("key", "codes"), [("showroom", ["O", "H", "A", "B", "C", "战败"]),
                                            ("telesales", ["A", "B", "C", "D"]),
                                            ("organisation", ["A", "B", "C", "D"])])
def test_the_first_administrator_picks_the_offices_card(qtbot, archive, key, codes):
    dialog = FirstAdminDialog()
    qtbot.addWidget(dialog)
    dialog.name.setText("周经理")
    dialog.password.setText("good password")
    dialog.repeat.setText("good password")
    _pick(dialog.template.choice, key)
    assert dialog.template.about.text() == card_templates.TEMPLATES[key].about
    dialog.submit()
    assert accounts.accounts_exist()
    assert card_templates.current_template() == key
    assert [lv.code for lv in levels(active_only=True)] == codes


@pytest.fixture
def open_window(qtbot, archive, manager, boxes) -> Iterator[MainWindow]:
    card_templates.apply_template("showroom", manager)
    main = MainWindow(manager, str(archive))
    qtbot.addWidget(main)
    main.show()
    main.tasks.wait()
    yield main
    main.tasks.wait()


def test_a_manager_picks_another_card_and_the_open_form_follows(open_window, manager, qtbot,
                                                                boxes):
    card = open_window.card
    assert not card.editor("favourite_cuisine").isHidden()
    assert open_window.findChild(QAction, "cardTemplates") is not None
    dialog = CardTemplateDialog(manager, open_window)
    qtbot.addWidget(dialog)
    assert dialog.picker.key() == "showroom"
    _pick(dialog.picker.choice, "telesales")
    boxes.answer = QMessageBox.StandardButton.Yes
    dialog.apply()
    assert "电话销售" in boxes.texts()
    qtbot.waitUntil(lambda: card.editor("favourite_cuisine").isHidden(), timeout=WAIT_MS)
    assert not card.editor("wechat").isHidden()
    assert [lv.code for lv in levels(active_only=True)] == ["A", "B", "C", "D"]
    dialog = CardTemplateDialog(manager, open_window)
    qtbot.addWidget(dialog)
    assert dialog.picker.key() == "telesales"

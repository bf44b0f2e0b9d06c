"""The level scheme dialog: edit an interval, apply the telesales preset."""
from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QMessageBox

from crmdesk.models import Customer, Level
from crmdesk.services import customers
from crmdesk.ui.dialogs.level_scheme import LevelForm, LevelSchemeDialog


def test_new_interval_recalculates_next_dates(qtbot, archive, manager, boxes, monkeypatch):
    card = customers.new_card(manager)
    card.values.update(name="王五", level=Level.get(Level.code == "C").id)
    customer_id = customers.save_card(card, manager, accept_incomplete=True).customer_id
    registered = Customer.get_by_id(customer_id).created_at.date()
    dialog = LevelSchemeDialog(manager)
    qtbot.addWidget(dialog)
    row = next(i for i, lv in enumerate(dialog._levels) if lv.code == "C")
    dialog.table.setCurrentCell(row, 0)

    def shorter(form: LevelForm) -> int:
        form.interval.setValue(4)
        return 1

    monkeypatch.setattr(LevelForm, "exec", shorter)
    dialog.edit()

    assert Level.get(Level.code == "C").interval_days == 4
    assert Customer.get_by_id(customer_id).next_follow_up == registered + dt.timedelta(days=4)
    assert dialog.table.item(row, 2).text() == "4"


def test_telesales_preset_replaces_the_scheme(qtbot, archive, manager, boxes):
    dialog = LevelSchemeDialog(manager)
    qtbot.addWidget(dialog)
    dialog.preset.setCurrentIndex(dialog.preset.findData("telesales"))
    boxes.answer = QMessageBox.StandardButton.Yes
    dialog.apply_preset()
    active = {lv.code: lv.interval_days for lv in Level.select().where(Level.active)}
    assert active == {"A": 1, "B": 7, "C": 15, "D": 30}

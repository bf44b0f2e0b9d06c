"""Starting up: the bundled font renders Chinese; the contact dialog logs and re-grades."""
from __future__ import annotations

import datetime as dt

from PySide6.QtGui import QFontDatabase, QRawFont

from crmdesk.models import Customer, Level
from crmdesk.services import customers
from crmdesk.ui.app import install_font, register_font
from crmdesk.ui.dialogs.contact_dialog import ContactDialog
from crmdesk.ui.operations import Operations


def test_bundled_font_is_the_application_font_and_has_chinese(qapp):
    assert register_font() == "WenQuanYi Micro Hei"
    install_font(qapp)
    font = qapp.font()
    assert font.family() == "WenQuanYi Micro Hei"
    raw = QRawFont.fromFont(font)
    assert raw.isValid()
    assert all(raw.supportsCharacter(ord(ch)) for ch in "客户档案卡张三沟通记录")
    assert "WenQuanYi Micro Hei" in QFontDatabase.families()


def test_contact_dialog_logs_the_contact_and_sets_the_level(qtbot, archive, manager, boxes,
                                                           inline_operations):
    card = customers.new_card(manager)
    card.values.update(name="周杰")
    customer_id = customers.save_card(card, manager, accept_incomplete=True).customer_id
    level_h = Level.get(Level.code == "H")
    dialog = ContactDialog(customer_id, "周杰", None, manager, Operations())
    qtbot.addWidget(dialog)
    dialog.level.setCurrentIndex(dialog.level.findData(level_h.id))
    offered = dialog.next_date.text()
    dialog.record.setPlainText("客户来店看车,约好周末试驾")
    dialog.conclusion.setText("继续跟进")

    dialog._log()

    assert dialog.result() == dialog.DialogCode.Accepted
    stored = Customer.get_by_id(customer_id)
    assert stored.level_id == level_h.id
    assert stored.next_follow_up.isoformat() == offered
    assert stored.next_follow_up == dt.date.today() + dt.timedelta(days=2)
    log = customers.get_card(customer_id).communications
    assert log[0]["record"] == "客户来店看车,约好周末试驾"


def test_contact_without_a_record_is_refused_and_kept(qtbot, archive, manager, boxes,
                                                      inline_operations):
    card = customers.new_card(manager)
    card.values.update(name="吴敏")
    customer_id = customers.save_card(card, manager, accept_incomplete=True).customer_id
    dialog = ContactDialog(customer_id, "吴敏", None, manager, Operations())
    qtbot.addWidget(dialog)
    dialog.conclusion.setText("待定")

    dialog._log()

    assert "过程记录与特别事项" in boxes.texts()
    assert dialog.conclusion.text() == "待定"
    assert customers.get_card(customer_id).communications == []

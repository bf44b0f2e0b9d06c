"""A notice pops up by the bell, never over a dialog waiting for an answer."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QRect, QSize
from PySide6.QtWidgets import QDialog

from crmdesk.services.notices import NoticeRow
from crmdesk.ui.notice_placement import notice_position

ROOM = QRect(0, 0, 1366, 728)
BELL = QRect(1250, 700, 70, 24)
NOTICE = QSize(400, 150)


def _row() -> NoticeRow:
    return NoticeRow(id=1, created_at=dt.datetime(2026, 3, 2, 9, 30), kind="visitor",
                     text="来访：张三 在前台等候", customer_id=None, sender="前台", read=False)


def test_a_notice_sits_just_above_the_bell_when_nothing_is_in_the_way():
    spot = QRect(notice_position(NOTICE, BELL, ROOM, []), NOTICE)
    assert spot.right() == BELL.right() and spot.bottom() < BELL.top()
    assert ROOM.contains(spot)


def test_a_notice_goes_to_another_corner_rather_than_over_a_modal_dialog():
    visit_form = QRect(600, 250, 760, 500)  # covers the corner by the bell
    spot = QRect(notice_position(NOTICE, BELL, ROOM, [visit_form]), NOTICE)
    assert not spot.intersects(visit_form) and ROOM.contains(spot)


def test_a_notice_takes_the_one_free_corner_or_else_the_least_covered_spot():
    wide = QRect(450, 0, 916, 728)  # leaves only the left of the screen free
    spot = QRect(notice_position(NOTICE, BELL, ROOM, [wide]), NOTICE)
    assert not spot.intersects(wide) and spot.left() < 450
    everything = QRect(0, 0, 1366, 700)
    spot = QRect(notice_position(NOTICE, BELL, ROOM, [everything]), NOTICE)
    assert ROOM.contains(spot) and spot.bottom() > 700  # the strip below the dialog


def _modal(qtbot, window, geometry: QRect) -> QDialog:
    dialog = QDialog(window)
    dialog.setModal(True)
    qtbot.addWidget(dialog)
    dialog.setGeometry(geometry)
    dialog.show()
    return dialog


def test_a_notice_never_opens_over_an_open_modal_dialog(qtbot, window):
    bell = window.notice_bell
    corner = QRect(bell.mapToGlobal(bell.rect().topLeft()), bell.size())
    dialog = _modal(qtbot, window, QRect(corner.right() - 500, corner.top() - 300, 480, 280))
    popup = bell.pop_up(_row())
    qtbot.addWidget(popup)
    assert popup.isVisible()
    assert not popup.frameGeometry().intersects(dialog.frameGeometry())


def test_a_dialog_opening_over_a_notice_moves_the_notice_away(qtbot, window):
    bell = window.notice_bell
    popup = bell.pop_up(_row())
    qtbot.addWidget(popup)
    dialog = _modal(qtbot, window, popup.frameGeometry().adjusted(-20, -20, 20, 20))
    dialog.activateWindow()
    qtbot.waitActive(dialog)
    dialog.setFocus()
    qtbot.waitUntil(lambda: not popup.frameGeometry().intersects(dialog.frameGeometry()),
                    timeout=3000)

"""Notices on screen: a bell with the unread count, and a card that pops up when one arrives.

A visitor handed to this salesperson pops up at once (and in the system tray where the desktop
has one) with "Open card", "I'm coming" and "Later". Unread notices stay under the bell, so
someone who was away sees them; they are read from the archive, so they survive a restart.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMenu,
    QSystemTrayIcon,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from crmdesk.i18n import _
from crmdesk.services import daily_notices, notices
from crmdesk.services.context import Actor
from crmdesk.services.notices import NoticeRow
from crmdesk.ui.notice_placement import modal_dialogs, place_notice
from crmdesk.ui.operations import Operations


class NoticePopup(QDialog):
    """One notice, not modal: the user can go on working with it open."""

    def __init__(self, notice: NoticeRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.notice = notice
        self.setWindowTitle(_("Notice"))
        self.setModal(False)
        self.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, True)
        layout = QVBoxLayout(self)
        self.text = QLabel(notice.text, self)
        self.text.setObjectName("notice_text")
        self.text.setWordWrap(True)
        layout.addWidget(self.text)
        self.buttons = QDialogButtonBox(self)
        if notice.customer_id is not None:
            self.open_card = self.buttons.addButton(_("Open card"),
                                                    QDialogButtonBox.ButtonRole.ActionRole)
            self.open_card.setObjectName("open_card")
        if notice.kind == "visitor":
            self.coming = self.buttons.addButton(_("I'm coming"),
                                                 QDialogButtonBox.ButtonRole.AcceptRole)
            self.coming.setObjectName("coming")
        self.later = self.buttons.addButton(_("Later") if notice.kind == "visitor" else _("OK"),
                                            QDialogButtonBox.ButtonRole.RejectRole)
        self.later.setObjectName("later")
        layout.addWidget(self.buttons)
        self.setMinimumWidth(380)


# The day's follow-ups and lapses wait under the bell (the home page shows them too); the rest
# pop up, since someone is waiting or something was given to the reader.
QUIET_KINDS = frozenset({"due_today", "lapsing"})
DAY_CHECK_MS = 60_000


class NoticeBell(QToolButton):
    """The unread count; its menu lists the notices. Emits ``open_customer`` for a card.

    The first refresh of each day (at login, or when a window left open sees the date change)
    also leaves the day's follow-up and lapse notices, once a day per person.
    """

    open_customer = Signal(int)

    def __init__(self, tasks: Operations, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("notice_bell")
        self._tasks, self._actor = tasks, actor
        self._shown: set[int] = set()
        self.popups: list[NoticePopup] = []
        self._menu = QMenu(self)
        self.setMenu(self._menu)
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        # The count is the button's whole face; the menu arrow only crowded it.
        self.setStyleSheet("QToolButton::menu-indicator { image: none; width: 0px; }")
        self.tray = QSystemTrayIcon(self) if QSystemTrayIcon.isSystemTrayAvailable() else None
        self._daily_left: dt.date | None = None
        self._day_check = QTimer(self)
        self._day_check.setInterval(DAY_CHECK_MS)
        self._day_check.timeout.connect(self._check_day)
        self._day_check.start()
        self._show_count(0)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._keep_clear)

    def refresh(self, pop_up: bool = True) -> None:
        """Read the unread notices; pop up those not shown yet (unless ``pop_up`` is False)."""
        actor, today = self._actor, dt.date.today()
        leave_daily = self._daily_left != today
        self._daily_left = today

        def read() -> list[NoticeRow]:
            if leave_daily:
                daily_notices.post_daily(actor, today)
            return notices.notices_for(actor)

        self._tasks.run(read, lambda rows: self._show(rows, pop_up), channel="notices")

    def _check_day(self) -> None:
        if self._daily_left != dt.date.today():
            self.refresh()

    def _show_count(self, count: int) -> None:
        self.setText(_("Notices: {n}").format(n=count))
        self.setToolTip(_("Unread notices"))

    def _show(self, rows: list[NoticeRow], pop_up: bool) -> None:
        self._show_count(len(rows))
        self._menu.clear()
        for row in rows:
            action = self._menu.addAction(f"{row.created_at:%H:%M}  {row.text}")
            action.triggered.connect(lambda _c=False, r=row: self.pop_up(r))
        if not rows:
            self._menu.addAction(_("No unread notices")).setEnabled(False)
        for row in rows:
            if pop_up and row.id not in self._shown and row.kind not in QUIET_KINDS:
                self.pop_up(row)
                if self.tray is not None:
                    self.tray.showMessage(_("crmdesk"), row.text)
            self._shown.add(row.id)

    def pop_up(self, row: NoticeRow) -> NoticePopup:
        popup = NoticePopup(row, self.window())
        self.popups.append(popup)

        def answer(action: Callable[[int, Actor], None], then_open: bool = False) -> None:
            popup.close()
            self._tasks.run(lambda: action(row.id, self._actor),
                            lambda _r: self.refresh(pop_up=False))
            if then_open and row.customer_id is not None:
                self.open_customer.emit(row.customer_id)

        if hasattr(popup, "open_card"):
            popup.open_card.clicked.connect(lambda: answer(notices.mark_read, then_open=True))
        if hasattr(popup, "coming"):
            popup.coming.clicked.connect(lambda: answer(notices.reply_coming))
        if row.kind == "visitor":
            popup.later.clicked.connect(popup.close)  # stays unread, under the bell
        else:
            popup.later.clicked.connect(lambda: answer(notices.mark_read))
        popup.finished.connect(lambda _r: self.popups.remove(popup)
                               if popup in self.popups else None)
        popup.adjustSize()
        place_notice(popup, self)
        popup.show()
        return popup

    def _keep_clear(self, _old: QWidget | None, _new: QWidget | None) -> None:
        """A dialog that opened over a notice (the focus moves into it) moves the notice away."""
        modals = modal_dialogs()
        for popup in self.popups:
            if popup.isVisible() and any(popup.frameGeometry().intersects(m) for m in modals):
                place_notice(popup, self)

"""Notices on screen: a bell with the unread count, and a card that pops up when one arrives.

A visitor handed to this salesperson pops up at once (and in the system tray where the desktop
has one) with "Open card", "I'm coming" and "Later". Unread notices stay under the bell, so
someone who was away sees them; they are read from the archive, so they survive a restart.
"""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
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
from crmdesk.services import notices
from crmdesk.services.context import Actor
from crmdesk.services.notices import NoticeRow
from crmdesk.ui.tasks import TaskRunner


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


class NoticeBell(QToolButton):
    """The unread count; its menu lists the notices. Emits ``open_customer`` for a card."""

    open_customer = Signal(int)

    def __init__(self, tasks: TaskRunner, actor: Actor, parent: QWidget | None = None) -> None:
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
        self._show_count(0)

    def refresh(self, pop_up: bool = True) -> None:
        """Read the unread notices; pop up those not shown yet (unless ``pop_up`` is False)."""
        self._tasks.run(lambda: notices.notices_for(self._actor),
                        lambda rows: self._show(rows, pop_up), channel="notices")

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
            if pop_up and row.id not in self._shown:
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
        popup.show()
        return popup

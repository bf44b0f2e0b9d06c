"""Locking the window after some idle minutes; the open card keeps whatever was typed.

Only a window on screen locks (a minimised one is still on screen): a closed window waiting to
be deleted, or one not shown yet, never asks for a password."""
from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

from crmdesk.services.context import Actor
from crmdesk.ui.dialogs.login import UnlockDialog

_INPUT = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
          QEvent.Type.Wheel}
CHECK_EVERY_MS = 15_000


class IdleLock(QObject):
    """Watches keyboard and mouse; after ``minutes`` without input asks for the password."""

    def __init__(self, window: QMainWindow, actor: Actor, minutes: float) -> None:
        super().__init__(window)
        self._window, self._actor = window, actor
        self.limit_s = minutes * 60
        self.last_input = time.monotonic()
        self.locked = False
        QApplication.instance().installEventFilter(self)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.check)
        self._timer.start(CHECK_EVERY_MS)

    def set_minutes(self, minutes: float) -> None:
        """Lock after ``minutes`` idle from now on (the office settings changed)."""
        self.limit_s = minutes * 60

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _INPUT and not self.locked:
            self.last_input = time.monotonic()
        return False

    def check(self) -> None:
        """Lock if the desk has been idle too long (never a window that is not on screen)."""
        if not self._window.isVisible():
            return
        if not self.locked and time.monotonic() - self.last_input >= self.limit_s:
            self.lock()

    def lock(self) -> None:
        """Hide the window's content behind the unlock dialog until the password is given."""
        self.locked = True
        central = self._window.centralWidget()
        central.setVisible(False)
        dialog = UnlockDialog(self._actor, self._window)
        unlocked = dialog.exec()
        self.locked = False
        self.last_input = time.monotonic()
        if unlocked:
            central.setVisible(True)
        else:
            self._window.close()
            if self._window.isVisible():  # the user chose to stay (unsaved card): lock again
                self.lock()

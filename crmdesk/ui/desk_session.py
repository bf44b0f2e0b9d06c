"""Who is at the desk: the main window of whoever logged in, and handing the desk over.

Log out closes the window (asking first about an unsaved card) and shows the login dialog;
cancelling it quits. Switch user asks for the next person's login over the open window and
replaces the window only once they are in; cancelling leaves everything as it was. Closing the
window any other way quits the program.
"""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QApplication, QWidget

from crmdesk.services import accounts, settings
from crmdesk.services.context import Actor
from crmdesk.ui.account_actions import AccountActions
from crmdesk.ui.dialogs.login import LoginDialog
from crmdesk.ui.idle_lock import IdleLock
from crmdesk.ui.main_window import MainWindow

# Asks who comes next (the login dialog, over ``parent`` when given); None when cancelled.
AskLogin = Callable[[QWidget | None], Actor | None]


def ask_login(parent: QWidget | None) -> Actor | None:
    """The login dialog; the person who logged in, or None when cancelled."""
    dialog = LoginDialog(parent=parent)
    return dialog.actor if dialog.exec() else None


class DeskSession(QObject):
    """Owns the current main window; ``window`` is None once nobody is at the desk."""

    def __init__(self, location: str, ask: AskLogin = ask_login) -> None:
        super().__init__()
        self._location = location
        self._ask = ask
        self.window: MainWindow | None = None
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        # The program ends when the desk is left, not when a window closes for the next person.
        app.setQuitOnLastWindowClosed(False)

    def start(self, actor: Actor | None) -> MainWindow:
        """Open the main window for ``actor``, with the idle lock and the account entries."""
        window = MainWindow(actor, self._location)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if actor is not None:
            IdleLock(window, actor, float(settings.get("idle_lock_minutes")))
        account = window.findChild(AccountActions)
        if account is not None:
            account.log_out_requested.connect(self.log_out)
            account.switch_user_requested.connect(self.switch_user)
        window_id = id(window)
        window.destroyed.connect(lambda _gone=None: self._closed(window_id))
        self.window = window
        window.show()
        return window

    def _closed(self, window_id: int) -> None:
        if self.window is not None and id(self.window) == window_id:
            self.window = None  # closed, not handed over: nobody is at the desk
            QApplication.instance().quit()

    def _leave_then(self, proceed: Callable[[], None]) -> None:
        """Close the current window for the next person, then ``proceed()``; an unsaved card
        is asked about first, and staying with it proceeds to nothing."""
        window = self.window
        if window is None:
            proceed()
            return

        def hand_over() -> None:
            if self.window is not window:
                return
            self.window = None  # closed for the next person: the program goes on
            if not window.close():
                self.window = window
                return
            if window.actor is not None:
                accounts.log_out(window.actor)
            proceed()

        window.leave_card_then(hand_over)

    def log_out(self) -> None:
        """Close the window and show the login dialog; cancelling it quits."""
        self._leave_then(self._next_login)

    def _next_login(self) -> None:
        actor = self._ask(None)
        if actor is None:
            QApplication.instance().quit()
            return
        self.start(actor)

    def switch_user(self) -> None:
        """Let the next person log in over the window; only then close it and open theirs."""
        current = self.window
        if current is None:
            return
        actor = self._ask(current)
        if actor is None or self.window is not current or actor == current.actor:
            return
        self._leave_then(lambda: self.start(actor))

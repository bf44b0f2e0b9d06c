"""The Archive menu's entries about who is at the desk: change my password, switch user, log
out. Leaving the desk is the desk session's business (``DeskSession``), which listens to the
signals here; the window itself only asks."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from crmdesk.i18n import _
from crmdesk.ui.dialogs.login import ChangePasswordDialog

if TYPE_CHECKING:
    from crmdesk.ui.main_window import MainWindow


class AccountActions(QObject):
    """The account entries of one window; ``log_out_requested`` and
    ``switch_user_requested`` fire when chosen."""

    log_out_requested = Signal()
    switch_user_requested = Signal()

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        entries = [
            window.action(_("Change my password…"), self.change_password, None,
                          "changePassword"),
            window.action(_("Switch user…"), self.switch_user_requested.emit, "Ctrl+Shift+U",
                          "switchUser"),
            window.action(_("Log out"), self.log_out_requested.emit, "Ctrl+Shift+Q", "logOut"),
        ]
        if window.actor is None:  # an archive still being set up has nobody to log out
            for action in entries:
                action.setEnabled(False)
                action.setToolTip(_("This archive has no accounts yet."))
        window.add_archive_entries(entries)

    def change_password(self) -> None:
        """Ask for the current password and the new one twice."""
        actor = self._window.actor
        if actor is None:
            return
        dialog = ChangePasswordDialog(actor, self._window)
        if dialog.exec():
            self._window.statusBar().showMessage(_("Your password was changed."), 8000)


def install(window: MainWindow) -> AccountActions:
    """Add the account entries to ``window``'s Archive menu."""
    return AccountActions(window)

"""The pages and menu entries that features add to the main window, installed in one place."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from crmdesk.ui.main_window import MainWindow


def install_all(window: MainWindow) -> None:
    """Give every feature its page, actions and shortcuts on ``window``."""
    from crmdesk.ui import backup_actions, excel_actions, print_actions
    from crmdesk.ui.pages import audit_view, frontdesk, staff_admin

    for install in (audit_view.install, staff_admin.install, backup_actions.install,
                    frontdesk.install, print_actions.install, excel_actions.install):
        install(window)

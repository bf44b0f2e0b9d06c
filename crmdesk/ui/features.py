"""The pages and menu entries that features add to the main window, installed in one place."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from crmdesk.ui.main_window import MainWindow


def install_all(window: MainWindow) -> None:
    """Give every feature its page, actions and shortcuts on ``window``."""
    from crmdesk.ui import (
        backup_actions,
        dashboard,
        excel_actions,
        print_actions,
        retention_actions,
    )
    from crmdesk.ui.dialogs import level_scheme
    from crmdesk.ui.pages import (
        audit_view,
        followup_page,
        frontdesk,
        reminders_page,
        staff_admin,
    )

    # Pages in tab order after the customer archive; the dashboard strip comes last because
    # its buttons open the pages before it.
    for install in (frontdesk.install, followup_page.install, reminders_page.install,
                    audit_view.install, retention_actions.install, staff_admin.install,
                    backup_actions.install,
                    print_actions.install, excel_actions.install, level_scheme.install,
                    dashboard.install):
        install(window)

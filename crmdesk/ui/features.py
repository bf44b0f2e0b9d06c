"""The pages and menu entries that features add to the main window, installed in one place."""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from crmdesk.ui.main_window import MainWindow


def install_all(window: MainWindow) -> None:
    """Give every feature its page, actions and shortcuts on ``window``."""
    for install in installers():
        install(window)


def installers() -> tuple[Callable[[MainWindow], object], ...]:
    """Every feature's ``install``, in the order they go on the window (importing them loads
    the features' modules, which ``crmdesk.ui.window_modules`` does ahead of the window)."""
    from crmdesk.ui import (
        account_actions,
        backup_actions,
        dashboard,
        excel_actions,
        help_actions,
        print_actions,
        retention_actions,
    )
    from crmdesk.ui.dialogs import card_template, level_scheme, office_fields, office_settings
    from crmdesk.ui.pages import (
        audit_view,
        complaints_overdue,
        confidentiality,
        duplicates_page,
        followup_page,
        frontdesk,
        home,
        reminders_page,
        staff_admin,
        statistics_page,
    )

    # Pages in tab order after the customer archive; the dashboard strip and the home page come
    # last because they open the pages before them (the home page then goes first).
    return (frontdesk.install, followup_page.install, reminders_page.install,
            statistics_page.install, complaints_overdue.install,
            duplicates_page.install, confidentiality.install, audit_view.install,
            retention_actions.install,
            staff_admin.install,
            backup_actions.install,
            print_actions.install, excel_actions.install, level_scheme.install,
            office_settings.install, office_fields.install, card_template.install,
            account_actions.install, help_actions.install,
            dashboard.install, home.install)

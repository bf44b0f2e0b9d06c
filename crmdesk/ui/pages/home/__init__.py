"""The home pages (工作台): each role lands on its own, the first tab of the window."""
from __future__ import annotations

from typing import TYPE_CHECKING

from crmdesk.i18n import _
from crmdesk.services import workbench

if TYPE_CHECKING:
    from crmdesk.ui.main_window import MainWindow
    from crmdesk.ui.pages.home.board import HomeBoard


def install(window: MainWindow) -> HomeBoard | None:
    """Put the actor's home page first and land on it; its figures follow every change."""
    from crmdesk.ui.pages.home.frontdesk_home import FrontDeskHome
    from crmdesk.ui.pages.home.manager_home import ManagerHome
    from crmdesk.ui.pages.home.sales_home import SalesHome

    pages = {workbench.MANAGER: ManagerHome, workbench.FRONT_DESK: FrontDeskHome,
             workbench.SALES: SalesHome}
    which = workbench.home_of(window.actor)
    if which is None:
        return None
    page = pages[which](window)
    window.add_home(page, _("Home"))
    window.on_change(page.refresh)
    page.refresh()
    return page

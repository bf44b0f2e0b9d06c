"""The manager's home page: the office's counts, overdue by salesperson, today's visits,
customers lapsing soon, and the statistics."""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QPushButton

from crmdesk.i18n import _
from crmdesk.ui.pages.home.board import HomeBoard, TileSpec
from crmdesk.ui.pages.statistics_page import StatisticsPage

if TYPE_CHECKING:
    from crmdesk.ui.main_window import MainWindow


class ManagerHome(HomeBoard):
    """Tiles of the whole office, with links to the visitor statistics of week and month."""

    def __init__(self, window: MainWindow) -> None:
        lapsing = _("Customers lapsing to the pool soon")
        week = QPushButton(_("Visitor statistics: this week"))
        week.setObjectName("homeWeekStatistics")
        week.clicked.connect(lambda: self.open_statistics("week"))
        month = QPushButton(_("Visitor statistics: this month"))
        month.setObjectName("homeMonthStatistics")
        month.clicked.connect(lambda: self.open_statistics("month"))
        specs = (
            TileSpec("office", _("The office today"), self._open_archive),
            TileSpec("overdue_by_owner", _("Overdue by salesperson"),
                     lambda: self.open_follow_ups("overdue"), warn_when_any=True),
            TileSpec("visits", _("Visits and calls today"), self.open_register),
            TileSpec("lapsing", lapsing, lambda: self.open_list("lapsing", lapsing),
                     warn_when_any=True),
        )
        super().__init__(window, specs, [week, month])

    def _open_archive(self) -> None:
        self._window.show_archive()

    def open_statistics(self, kind: str) -> StatisticsPage | None:
        """The statistics page on the visitor report of this week or month (the register's
        days when the window has no statistics page)."""
        page = self._window.findChild(StatisticsPage)
        if page is None:
            today = dt.date.today()
            start = today - dt.timedelta(days=today.weekday()) if kind == "week" else (
                today.replace(day=1))
            self.open_register(start, today)
            return None
        page.choose("visitors", kind)
        self._window.pages.setCurrentWidget(page)
        page.refresh()
        return page

"""The manager's home page: the office's counts, overdue by salesperson, today's visits,
customers lapsing soon, and the statistics."""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QPushButton

from crmdesk.i18n import _
from crmdesk.ui.pages.home.board import HomeBoard, TileSpec

if TYPE_CHECKING:
    from crmdesk.ui.main_window import MainWindow


class ManagerHome(HomeBoard):
    """Tiles of the whole office, with links to the register's statistics of week and month."""

    def __init__(self, window: MainWindow) -> None:
        lapsing = _("Customers lapsing to the pool soon")
        today = dt.date.today()
        week = QPushButton(_("Visitor statistics: this week"))
        week.setObjectName("homeWeekStatistics")
        week.clicked.connect(lambda: self.open_register(
            today - dt.timedelta(days=today.weekday()), today))
        month = QPushButton(_("Visitor statistics: this month"))
        month.setObjectName("homeMonthStatistics")
        month.clicked.connect(lambda: self.open_register(today.replace(day=1), today))
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

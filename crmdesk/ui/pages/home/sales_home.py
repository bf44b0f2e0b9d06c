"""A salesperson's home page: overdue, due today, today's visitors, customers about to lapse,
birthdays, appointments the customer did not come to."""
from __future__ import annotations

from typing import TYPE_CHECKING

from crmdesk.i18n import _
from crmdesk.ui.pages.home.board import HomeBoard, TileSpec

if TYPE_CHECKING:
    from crmdesk.ui.main_window import MainWindow


class SalesHome(HomeBoard):
    """Tiles of the salesperson's own customers."""

    def __init__(self, window: MainWindow) -> None:
        titles = {"visitors": _("My visitors today"),
                  "lapsing": _("My customers lapsing to the pool soon"),
                  "no_shows": _("My appointments missed")}
        specs = (
            TileSpec("overdue", _("My overdue follow-ups"),
                     lambda: self.open_follow_ups("overdue"), warn_when_any=True),
            TileSpec("due_today", _("Due today"), lambda: self.open_follow_ups("today")),
            TileSpec("visitors", titles["visitors"],
                     lambda: self.open_list("visitors", titles["visitors"])),
            TileSpec("lapsing", titles["lapsing"],
                     lambda: self.open_list("lapsing", titles["lapsing"]), warn_when_any=True),
            TileSpec("birthdays", _("My customers' birthdays this week"), self.open_birthdays),
            TileSpec("no_shows", titles["no_shows"],
                     lambda: self.open_list("no_shows", titles["no_shows"]), warn_when_any=True),
        )
        super().__init__(window, specs)

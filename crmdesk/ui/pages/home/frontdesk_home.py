"""The front desk's home page: who is inside, today's register, who is next, the duty list,
the customers invited for today."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QPushButton

from crmdesk.i18n import _
from crmdesk.services.workbench import Tile
from crmdesk.ui.pages.home.board import HomeBoard, TileSpec

if TYPE_CHECKING:
    from crmdesk.ui.main_window import MainWindow


class FrontDeskHome(HomeBoard):
    """Tiles of the front desk, and the "register a visitor (F2)" button."""

    def __init__(self, window: MainWindow) -> None:
        register = QPushButton(_("Register a visitor ({key})").format(key="F2"))
        register.setObjectName("homeRegisterVisitor")
        register.setStyleSheet("font-size: 12pt; padding: 6px 18px;")
        expected = _("Appointments expected today")
        specs = (
            TileSpec("inside", _("Still in the building"), self.open_register),
            TileSpec("today", _("Visitors and callers today"), self.open_register),
            TileSpec("next", _("Next in the rotation"), self.open_duty_list),
            TileSpec("duty", _("Duty list: present today"), self.open_duty_list),
            TileSpec("expected", expected,
                     lambda: self.open_list("expected", expected)),
        )
        super().__init__(window, specs, [register])
        register.clicked.connect(self._register_visitor)

    def _register_visitor(self) -> None:
        page = self._window.frontdesk_page
        if page is not None:
            page.register_visitor()

    def figure(self, key: str, tile: Tile) -> str | None:
        """The next salesperson's name in place of a count; nobody present says so."""
        if key == "next":
            return tile.lines[0].title if tile.lines else _("nobody present")
        return None

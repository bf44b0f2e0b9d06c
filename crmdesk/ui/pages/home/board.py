"""A role's home page: its tiles in a grid, read in one background task and again whenever the
archive changes, and the ways a tile opens its list (a page with a filter, or a list dialog)."""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from crmdesk.i18n import N_, _
from crmdesk.services import workbench
from crmdesk.services.workbench import Line, Tile
from crmdesk.ui.pages.home.tile import TileView
from crmdesk.ui.rows_table import RowsTable

if TYPE_CHECKING:
    from crmdesk.ui.main_window import MainWindow


log = logging.getLogger(__name__)
WEEKDAYS = (N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"),
            N_("Saturday"), N_("Sunday"))


@dataclass(frozen=True)
class TileSpec:
    """A tile of a page: its key in the workbench's tiles, title, and what opening it does."""

    key: str
    title: str
    opens: Callable[[], None]
    warn_when_any: bool = False


class TileList(QDialog):
    """The full list behind a tile; activating a line that names an archive opens the card."""

    def __init__(self, title: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("tileList")
        self.table = RowsTable([_("Name"), _("Details")], self, stretch=1)
        self.table.setObjectName("tileListRows")
        self.count = QLabel(_("Reading…"), self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.count)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(640, 460)

    def show_lines(self, lines: Sequence[Line]) -> None:
        """Fill the list."""
        self.count.setText(_("{n} in all").format(n=len(lines)))
        self.table.set_rows([(line.customer_id, (line.title, line.detail)) for line in lines])


class HomeBoard(QWidget):
    """Tiles in a grid under a greeting; ``actions`` (buttons, links) go in a row above them."""

    COLUMNS = 3

    def __init__(self, window: MainWindow, specs: Sequence[TileSpec],
                 actions: Sequence[QWidget] = ()) -> None:
        super().__init__(window)
        self.setObjectName("home")
        self._window = window
        self.greeting = QLabel(self)
        self.greeting.setObjectName("homeGreeting")
        self.greeting.setStyleSheet("font-size: 13pt;")
        top = QHBoxLayout()
        top.addWidget(self.greeting, 1)
        for widget in actions:
            widget.setParent(self)
            top.addWidget(widget)
        grid = QGridLayout()
        grid.setSpacing(10)
        self.tiles: dict[str, TileView] = {}
        for index, spec in enumerate(specs):
            view = TileView(spec.key, spec.title, self, spec.warn_when_any)
            view.opened.connect(spec.opens)
            view.customer_chosen.connect(window.show_customer)
            grid.addWidget(view, index // self.COLUMNS, index % self.COLUMNS)
            self.tiles[spec.key] = view
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(grid)
        layout.addStretch(1)
        self.list_dialog: TileList | None = None
        self._reading = self._again = False

    def refresh(self) -> None:
        """Read every tile again in the background.

        Changes arriving while a read runs (an import, a busy front desk) cause one more read
        when it ends, not one each: on a large archive a manager's page takes a while to count.
        """
        if self._reading:
            self._again = True
            return
        self._reading, self._again = True, False
        actor = self._window.actor
        self._window.tasks.run(lambda: workbench.home(actor), self._read, channel="home",
                               on_error=self._failed)

    def _read(self, tiles: dict[str, Tile]) -> None:
        self._reading = False
        self.show_tiles(tiles)
        if self._again:
            self.refresh()

    def _failed(self, error: Exception) -> None:
        # The connection line tells the user when the server is away; the next change reads
        # again.
        self._reading = False
        log.warning("reading the home page failed: %s", error)

    def show_tiles(self, tiles: dict[str, Tile]) -> None:
        """Show what was read."""
        today = dt.date.today()
        user = self._window.actor.name if self._window.actor else ""
        self.greeting.setText(_("{user}, today is {day}, {weekday}").format(
            user=user, day=today.isoformat(), weekday=_(WEEKDAYS[today.weekday()])))
        for key, view in self.tiles.items():
            if key in tiles:
                view.show_tile(tiles[key], self.figure(key, tiles[key]))

    def figure(self, _key: str, _tile: Tile) -> str | None:
        """The text in place of a tile's count (None: the count); pages override it."""
        return None

    def open_list(self, key: str, title: str) -> TileList:
        """Open the full list behind the tile ``key`` in a dialog."""
        dialog = TileList(title, self._window)
        dialog.table.chosen.connect(lambda customer_id: self._open_card(dialog, customer_id))
        self.list_dialog = dialog
        actor = self._window.actor
        self._window.tasks.run(lambda: workbench.full_list(key, actor), dialog.show_lines)
        dialog.open()
        return dialog

    def _open_card(self, dialog: TileList, customer_id: int | None) -> None:
        if customer_id is not None:
            dialog.accept()
            self._window.show_customer(customer_id)

    # -- the pages tiles open ---------------------------------------------------------------

    def open_follow_ups(self, which: str) -> None:
        """The follow-up page showing one of its lists ("overdue", "today", ...)."""
        page = self._window.followups
        if page is not None:
            self._window.pages.setCurrentWidget(page)
            page.show_list(which)

    def open_register(self, start: dt.date | None = None, end: dt.date | None = None) -> None:
        """The front desk's register of ``start`` to ``end`` (default today)."""
        page = self._window.frontdesk_page
        if page is None:
            return
        page.show_tab(page.register)
        today = dt.date.today()
        page.register.start.setDate(QDate(start or today))
        page.register.end.setDate(QDate(end or today))
        page.register.reload()

    def open_duty_list(self) -> None:
        """The front desk's duty list."""
        page = self._window.frontdesk_page
        if page is not None:
            page.show_tab(page.duty)

    def open_birthdays(self) -> None:
        """The reminders page at its birthdays."""
        page = self._window.reminders
        if page is not None:
            self._window.pages.setCurrentWidget(page)
            page.tabs.setCurrentWidget(page.birthdays)

"""The strip at the top of the window: overdue, due today, today's visits, birthdays this week.

Each figure is a button that opens its list. Counts are read in the background and again
whenever something changes them (a contact logged, a card saved, a visitor registered).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from crmdesk.i18n import _
from crmdesk.services import followup, reminders
from crmdesk.services.visit_register import visits_between

if TYPE_CHECKING:
    from crmdesk.services.context import Actor
    from crmdesk.ui.main_window import MainWindow


@dataclass(frozen=True)
class Figures:
    """The four numbers of the strip."""

    overdue: int
    due_today: int
    visits_today: int
    birthdays: int


def read_figures(actor: Actor | None, today: dt.date) -> Figures:
    """The strip's numbers for ``actor`` on ``today``."""
    counts = followup.counts(today, actor)
    return Figures(counts.overdue, counts.due_today, len(visits_between(today, today, actor)),
                   reminders.birthday_tile(today, actor, None, 0)[0])


class DashboardStrip(QWidget):
    """Four buttons with live counts."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.buttons: dict[str, QPushButton] = {}
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        for key, slot in (("overdue", self._open_overdue), ("due_today", self._open_due),
                          ("visits_today", self._open_visits), ("birthdays", self._open_birthdays)):
            button = QPushButton(self)
            button.setObjectName(f"dashboard_{key}")
            button.setFlat(True)
            button.setStyleSheet("font-size: 12pt; padding: 4px 14px;")
            button.clicked.connect(slot)
            layout.addWidget(button)
            self.buttons[key] = button
        layout.addStretch(1)
        self.show_figures(Figures(0, 0, 0, 0))

    def refresh(self) -> None:
        """Read the counts again in the background."""
        actor = self._window.actor
        self._window.tasks.run(lambda: read_figures(actor, followup.today()), self.show_figures,
                               channel="dashboard")

    def show_figures(self, figures: Figures) -> None:
        texts = {
            "overdue": _("Overdue: {n}").format(n=figures.overdue),
            "due_today": _("Due today: {n}").format(n=figures.due_today),
            "visits_today": _("Visits today: {n}").format(n=figures.visits_today),
            "birthdays": _("Birthdays this week: {n}").format(n=figures.birthdays),
        }
        for key, text in texts.items():
            self.buttons[key].setText(text)
        self.buttons["overdue"].setStyleSheet(
            "font-size: 12pt; padding: 4px 14px;"
            + (" color: #c5221f; font-weight: bold;" if figures.overdue else ""))

    def _open_overdue(self) -> None:
        self._show_page(self._window.followups)
        self._window.followups.show_list("overdue")

    def _open_due(self) -> None:
        self._show_page(self._window.followups)
        self._window.followups.show_list("today")

    def _open_visits(self) -> None:
        page = getattr(self._window, "frontdesk_page", None)
        if page is not None:
            self._show_page(page)

    def _open_birthdays(self) -> None:
        self._show_page(self._window.reminders)
        self._window.reminders.tabs.setCurrentIndex(0)

    def _show_page(self, page: QWidget) -> None:
        self._window.pages.setCurrentWidget(page)


def install(window: MainWindow) -> DashboardStrip:
    """Put the strip above the pages."""
    strip = DashboardStrip(window)
    # A figure whose list this user does not have (the front desk's follow-ups) is left out.
    for key, page in (("overdue", window.followups), ("due_today", window.followups),
                      ("birthdays", window.reminders)):
        strip.buttons[key].setVisible(page is not None)
    window.add_strip(strip)
    window.on_change(strip.refresh)
    strip.refresh()
    return strip

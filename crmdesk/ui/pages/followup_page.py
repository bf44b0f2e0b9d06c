"""The follow-up page (逾期跟进): overdue, due today, due this week, never contacted.

Managers see everyone's customers, grouped by owner with counts; salespeople see their own.
From a row: open the card, log a contact (the row leaves when no longer overdue), hand over.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from crmdesk.i18n import _
from crmdesk.models.card import SOURCES
from crmdesk.services import documents, followup
from crmdesk.services.levels import levels
from crmdesk.services.visibility import Duty, may
from crmdesk.ui.dialogs.contact_dialog import ContactDialog
from crmdesk.ui.dialogs.print_preview import preview
from crmdesk.ui.itemmodels.followup_table import FollowUpTableModel

if TYPE_CHECKING:
    from crmdesk.ui.main_window import MainWindow

OVERDUE, DUE_TODAY, DUE_WEEK, NEVER = "overdue", "today", "week", "never"


def _lists() -> tuple[tuple[str, str], ...]:
    return ((OVERDUE, _("Overdue")), (DUE_TODAY, _("Due today")), (DUE_WEEK, _("Due this week")),
            (NEVER, _("Never contacted since registration")))


class FollowUpPage(QWidget):
    """Lists of customers to follow up, with filters and row actions."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._actor = window.actor
        self._manager = may(self._actor, Duty.LIST_ALL_FOLLOW_UPS)
        self.which = QComboBox(self)
        for key, label in _lists():
            self.which.addItem(label, key)
        self.level = self._combo([(lv.id, lv.name) for lv in levels(active_only=True)],
                                 _("All levels"))
        self.band = self._combo([(b, b.label) for b in followup.Band], _("Any lateness"))
        self.source = self._combo([(c.key, c.label) for c in SOURCES], _("Any source"))
        for combo in (self.which, self.level, self.band, self.source):
            combo.currentIndexChanged.connect(self.reload)
        self.total = QLabel(self)
        top = QHBoxLayout()
        for widget in (self.which, self.level, self.band, self.source):
            top.addWidget(widget)
        top.addWidget(self.total, 1)
        self.owners = QListWidget(self)
        self.owners.setObjectName("owners")
        self.owners.currentRowChanged.connect(self._owner_chosen)
        self.owners.setVisible(self._manager)
        self.model = FollowUpTableModel(self)
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(26)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.doubleClicked.connect(lambda _i: self.open_card())
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.owners)
        splitter.addWidget(self.view)
        splitter.setSizes([200, 1000])
        buttons = QHBoxLayout()
        for text, slot in ((_("Open card"), self.open_card),
                           (_("Log a contact…"), self.log_contact),
                           (_("Hand over…"), self.hand_over), (_("More rows"), self.more),
                           (_("Print…"), self.print_list)):
            button = QPushButton(text, self)
            button.clicked.connect(slot)
            button.setObjectName(f"followup_{slot.__name__}")
            buttons.addWidget(button)
            if slot == self.hand_over:
                button.setVisible(may(self._actor, Duty.REASSIGN))
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)
        self._owner_id: int | None = None

    def _combo(self, options: list[tuple[object, str]], everything: str) -> QComboBox:
        combo = QComboBox(self)
        combo.addItem(everything, None)
        for value, label in options:
            combo.addItem(label, value)
        return combo

    def show_list(self, which: str) -> None:
        """Switch to one of the lists (used by the dashboard strip)."""
        self.which.setCurrentIndex(self.which.findData(which))
        self.reload()

    def filters(self) -> followup.FollowUpFilter:
        return followup.FollowUpFilter(owner_id=self._owner_id, level_id=self.level.currentData(),
                                       band=self.band.currentData(),
                                       source=self.source.currentData())

    def _fetch(self, offset: int) -> Callable[[], list[followup.FollowUpRow]]:
        which, filters, actor, today = self.which.currentData(), self.filters(), self._actor, \
            followup.today()

        def work() -> list[followup.FollowUpRow]:
            if which == OVERDUE:
                return followup.overdue(today, filters, actor, offset=offset)
            if which == NEVER:
                return followup.never_contacted(today, actor, offset=offset)
            days = 1 if which == DUE_TODAY else 7
            return followup.due(today, days, filters, actor, offset=offset)

        return work

    def reload(self) -> None:
        """Read the first screen of the chosen list (and the owner counts) in the background."""
        filters, actor = self.filters(), self._actor
        self._window.tasks.run(self._fetch(0), self._show, channel="followup")
        if self._manager and self.which.currentData() == OVERDUE:
            self._window.tasks.run(
                lambda: followup.overdue_by_owner(followup.today(),
                                                  followup.FollowUpFilter(
                                                      level_id=filters.level_id,
                                                      band=filters.band,
                                                      source=filters.source), actor),
                self._show_owners, channel="followup-owners")

    def _show(self, rows: list[followup.FollowUpRow]) -> None:
        self.model.set_rows(rows)
        self.total.setText(_("{n} shown").format(n=len(rows)))

    def _show_owners(self, counts: list[followup.OwnerCount]) -> None:
        self.owners.blockSignals(True)
        current = self._owner_id
        self.owners.clear()
        everyone = QListWidgetItem(_("Everyone ({n})").format(n=sum(c.count for c in counts)))
        everyone.setData(Qt.ItemDataRole.UserRole, None)
        self.owners.addItem(everyone)
        for count in counts:
            item = QListWidgetItem(f"{count.owner_name or _('(no owner)')} ({count.count})")
            item.setData(Qt.ItemDataRole.UserRole, count.owner_id)
            self.owners.addItem(item)
            if count.owner_id == current:
                self.owners.setCurrentItem(item)
        self.owners.blockSignals(False)

    def _owner_chosen(self, row: int) -> None:
        item = self.owners.item(row)
        self._owner_id = item.data(Qt.ItemDataRole.UserRole) if item else None
        self._window.tasks.run(self._fetch(0), self._show, channel="followup")

    def more(self) -> None:
        """Add the next page of rows below."""
        self._window.tasks.run(self._fetch(self.model.rowCount()), self.model.append,
                               channel="followup")

    def _chosen(self) -> followup.FollowUpRow | None:
        index = self.view.currentIndex()
        return self.model.rows[index.row()] if index.isValid() else None

    def open_card(self) -> None:
        row = self._chosen()
        if row:
            self._window.show_customer(row.customer_id)

    def log_contact(self) -> None:
        """Log a contact for the chosen customer; the list is read again afterwards."""
        row = self._chosen()
        if row is None:
            return
        dialog = ContactDialog(row.customer_id, row.name, row.level_id, self._actor,
                               self._window.tasks, self)
        if dialog.exec():  # the list and the counters follow the contact's change event
            self.reload()

    def hand_over(self) -> None:
        row = self._chosen()
        if row is None:
            return
        from crmdesk.ui.dialogs.transfer_dialog import TransferDialog

        if TransferDialog([row.customer_id], self._actor, self._window.tasks, self).exec():
            self.reload()

    def print_list(self) -> None:
        """Preview the overdue list grouped by owner for printing."""
        actor, owner, today = self._actor, self._owner_id, followup.today()
        preview(self, self._window.tasks, _("Overdue follow-ups"),
                lambda: documents.overdue_printout(actor, today, owner))


def install(window: MainWindow) -> FollowUpPage | None:
    """Add the follow-up page, for those who follow customers up (not the front desk)."""
    if not may(window.actor, Duty.FOLLOW_UPS):
        return None
    page = FollowUpPage(window)
    window.add_page(page, _("Follow-ups"))
    window.followups = page
    return page

"""Reminders: birthdays this week (生日问候), dormant customers (沉睡客户), incomplete archives."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from crmdesk.i18n import _
from crmdesk.models.phones import format_phone
from crmdesk.services import reminders

if TYPE_CHECKING:
    from crmdesk.ui.main_window import MainWindow


def _table(parent: QWidget, titles: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(titles), parent)
    table.setHorizontalHeaderLabels(titles)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _fill(table: QTableWidget, rows: list[tuple[int, tuple[str, ...]]]) -> list[int]:
    table.setRowCount(len(rows))
    for r, (_cid, cells) in enumerate(rows):
        for c, text in enumerate(cells):
            table.setItem(r, c, QTableWidgetItem(text))
    return [cid for cid, _cells in rows]


def _mobile(value: str | None) -> str:
    return value if value and "*" in value else format_phone(value)


class RemindersPage(QWidget):
    """Three reminder lists; double-clicking a row opens the customer's card."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.tabs = QTabWidget(self)
        self.birthdays = _table(self, [_("Date"), _("Birthday of"), _("Name"), _("Age"),
                                       _("Customer"), _("Archive no."), _("Salesperson"),
                                       _("Mobile")])
        self.dormant = _table(self, [_("Days without contact"), _("Archive no."), _("Name"),
                                     _("Level"), _("Salesperson"), _("Last contact"),
                                     _("Mobile")])
        self.incomplete = _table(self, [_("Archive no."), _("Name"), _("Salesperson"),
                                        _("Important fields still empty")])
        self._ids: dict[QTableWidget, list[int]] = {}
        for table, title in ((self.birthdays, _("Birthdays this week")),
                             (self.dormant, _("Dormant customers")),
                             (self.incomplete, _("Incomplete archives"))):
            self.tabs.addTab(table, title)
            table.cellDoubleClicked.connect(lambda row, _c, t=table: self._open(t, row))
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)

    def reload(self) -> None:
        """Read all three lists in the background."""
        actor = self._window.actor
        self._window.tasks.run(lambda: (reminders.birthdays(actor=actor),
                                        reminders.dormant(actor=actor),
                                        reminders.incomplete_archives(actor=actor)),
                               self._show, channel="reminders")

    def _show(self, lists: tuple) -> None:
        birthdays, dormant, incomplete = lists
        self._ids[self.birthdays] = _fill(self.birthdays, [
            (b.customer_id, (b.occurs_on.isoformat(), b.whose_label, b.person or b.customer_name,
                             str(b.turning), b.customer_name, b.archive_no, b.owner_name,
                             _mobile(b.mobile))) for b in birthdays])
        self._ids[self.dormant] = _fill(self.dormant, [
            (d.customer_id, (str(d.days_since), d.archive_no, d.name, d.level_code, d.owner_name,
                             d.last_contact_at.date().isoformat() if d.last_contact_at
                             else _("never"), _mobile(d.mobile))) for d in dormant])
        self._ids[self.incomplete] = _fill(self.incomplete, [
            (i.customer_id, (i.archive_no, i.name, i.owner_name, "、".join(i.missing_labels)))
            for i in incomplete])

    def _open(self, table: QTableWidget, row: int) -> None:
        ids = self._ids.get(table, [])
        if 0 <= row < len(ids):
            self._window.show_customer(ids[row])


def install(window: MainWindow) -> RemindersPage:
    """Add the reminders page."""
    page = RemindersPage(window)
    window.add_page(page, _("Reminders"))
    window.reminders = page
    return page

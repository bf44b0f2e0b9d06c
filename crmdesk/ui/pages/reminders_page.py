"""Reminders: birthdays this week (生日问候), dormant customers (沉睡客户), incomplete archives."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from crmdesk.i18n import _
from crmdesk.models.phones import format_phone
from crmdesk.services import customers, reminders
from crmdesk.services.visibility import Duty, may
from crmdesk.ui.dialogs.contact_dialog import ContactDialog

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


def _whose(birthday: reminders.Birthday) -> str:
    """本人, or 配偶/子女 with their name when the card records it."""
    if birthday.whose == "customer" or not birthday.person:
        return birthday.whose_title
    return f"{birthday.whose_title}　{birthday.person}"


class RemindersPage(QWidget):
    """Three reminder lists with their counts; a row's card opens on double-click or
    "Open card", and "Log a contact…" records the greeting or the call-back at once."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.tabs = QTabWidget(self)
        self.birthdays = _table(self, [_("Date"), _("Whose birthday"), _("Turning"),
                                       _("Customer"), _("Archive no."), _("Salesperson"),
                                       _("Mobile")])
        self.dormant = _table(self, [_("Days without contact"), _("Archive no."), _("Name"),
                                     _("Level"), _("Salesperson"), _("Last contact"),
                                     _("Mobile")])
        self.incomplete = _table(self, [_("Archive no."), _("Name"), _("Salesperson"),
                                        _("Important fields still empty")])
        self._ids: dict[QTableWidget, list[int]] = {}
        self._totals: dict[QTableWidget, int] = {}
        for table in (self.birthdays, self.dormant, self.incomplete):
            self.tabs.addTab(table, "")
            table.cellDoubleClicked.connect(lambda row, _c, t=table: self._open(t, row))
            table.itemSelectionChanged.connect(self._selection_changed)
        self._set_titles(None)
        self.open_button = QPushButton(_("Open card"), self)
        self.open_button.setObjectName("openCard")
        self.open_button.clicked.connect(self.open_selected)
        self.contact_button = QPushButton(_("Log a contact…"), self)
        self.contact_button.setObjectName("logContact")
        self.contact_button.clicked.connect(self.log_contact)
        self.note = QLabel(self)
        self.note.setObjectName("remindersNote")
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.contact_button)
        buttons.addWidget(self.note, 1)
        self.tabs.currentChanged.connect(lambda _i: self._selection_changed())
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.tabs)
        self._selection_changed()

    def _set_titles(self, counts: tuple[int, int, int] | None) -> None:
        titles = (_("Birthdays this week"), _("Dormant customers"), _("Incomplete archives"))
        for index, title in enumerate(titles):
            self.tabs.setTabText(index, title if counts is None else _("{title} ({n})").format(
                title=title, n=counts[index]))

    def reload(self) -> None:
        """Read all three lists and their counts in the background."""
        actor = self._window.actor
        self._window.tasks.run(lambda: (reminders.birthdays(actor=actor),
                                        reminders.dormant(actor=actor),
                                        reminders.incomplete_archives(actor=actor),
                                        reminders.dormant_count(actor=actor),
                                        reminders.incomplete_count(actor=actor)),
                               self._show, channel="reminders")

    def _show(self, lists: tuple) -> None:
        birthdays, dormant, incomplete, dormant_total, incomplete_total = lists
        self._ids[self.birthdays] = _fill(self.birthdays, [
            (b.customer_id, (b.occurs_on.isoformat(), _whose(b), str(b.turning),
                             b.customer_name, b.archive_no, b.owner_name, _mobile(b.mobile)))
            for b in birthdays])
        self._ids[self.dormant] = _fill(self.dormant, [
            (d.customer_id, (str(d.days_since), d.archive_no, d.name, d.level_code, d.owner_name,
                             d.last_contact_at.date().isoformat() if d.last_contact_at
                             else _("never"), _mobile(d.mobile))) for d in dormant])
        self._ids[self.incomplete] = _fill(self.incomplete, [
            (i.customer_id, (i.archive_no, i.name, i.owner_name, "、".join(i.missing_labels)))
            for i in incomplete])
        self._totals = {self.birthdays: len(birthdays), self.dormant: dormant_total,
                        self.incomplete: incomplete_total}
        self._set_titles((len(birthdays), dormant_total, incomplete_total))
        self._selection_changed()

    def _table(self) -> QTableWidget:
        table = self.tabs.currentWidget()
        assert isinstance(table, QTableWidget)
        return table

    def chosen(self) -> int | None:
        """The customer of the row selected in the list on show, if any."""
        table = self._table()
        ids, row = self._ids.get(table, []), table.currentRow()
        return ids[row] if 0 <= row < len(ids) and table.selectedItems() else None

    def _selection_changed(self) -> None:
        chosen = self.chosen()
        for button in (self.open_button, self.contact_button):
            button.setEnabled(chosen is not None)
        table = self._table()
        shown, total = table.rowCount(), self._totals.get(table, 0)
        self.note.setText(_("Showing the first {shown} of {total}.").format(
            shown=shown, total=total) if total > shown else "")

    def _open(self, table: QTableWidget, row: int) -> None:
        ids = self._ids.get(table, [])
        if 0 <= row < len(ids):
            self._window.show_customer(ids[row])

    def open_selected(self) -> None:
        """Open the card of the selected row."""
        chosen = self.chosen()
        if chosen is not None:
            self._window.show_customer(chosen)

    def log_contact(self) -> None:
        """Log a contact with the selected row's customer without leaving the page."""
        chosen = self.chosen()
        if chosen is None:
            return
        actor, tasks = self._window.actor, self._window.tasks

        def log(card: customers.Card) -> None:
            # The page and the counters follow the contact's change event.
            ContactDialog(chosen, card.values.get("name") or "", card.values.get("level"),
                          actor, tasks, self._window).exec()

        tasks.run(lambda: customers.open_card(chosen, actor), log, title=_("Card not opened"),
                  parent=self)


def install(window: MainWindow) -> RemindersPage | None:
    """Add the reminders page, for those who follow customers up (not the front desk)."""
    if not may(window.actor, Duty.FOLLOW_UPS):
        return None
    page = RemindersPage(window)
    window.add_page(page, _("Reminders"))
    window.reminders = page
    return page

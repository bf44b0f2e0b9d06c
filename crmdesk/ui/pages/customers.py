"""The customer list: one search box over a lazily read, SQL-sorted table.

Searches run as operations (the newest answer wins while typing). A new search shows its first
screen of rows first (services.search.first_screen, which does not read every match), then a
second operation reads the whole list for the count and the scroll bar and appends it; rows
scrolled to are read as operations by the model. When customers change, here or at another
desk, the list searches again and keeps the selection and the scroll position.
"""
from __future__ import annotations

import time

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from crmdesk.i18n import _
from crmdesk.models.lists.customers import CUSTOMER_LIST
from crmdesk.models.office_fields import PREFIX
from crmdesk.services.context import Actor
from crmdesk.services.customer_value import GRADE_TITLES, GRADES
from crmdesk.services.search import ListQuery, find_ids, first_screen
from crmdesk.ui.change_hub import Changes
from crmdesk.ui.column_widths import ColumnWidths
from crmdesk.ui.empty_note import EmptyNote
from crmdesk.ui.itemmodels.customer_table import (
    PAGE,
    SORT_KEYS,
    CustomerTableModel,
    Page,
    read_pages,
)
from crmdesk.ui.operations import Operation, Operations
from crmdesk.ui.pages.office_filter import OfficeFilter

TYPING_PAUSE_MS = 120
ROW_HEIGHT = 26
# What the list shows changes with these kinds (a contact moves the last-contact column).
LIST_KINDS = ("customers", "contacts", "ownership", "visits")


class CustomerListPage(QWidget):
    """Search box and list; ``open_customer`` fires when a row is chosen."""

    open_customer = Signal(int)
    first_shown = Signal(int, float)  # rows of a new search's first screen, seconds
    searched = Signal(int, float)  # matches, seconds

    def __init__(self, tasks: Operations, actor: Actor | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._actor = actor
        self._query = ListQuery()
        self._shown: ListQuery | None = None  # the search whose list is shown
        self._open_first_match = False
        self.search = QLineEdit(self)
        self.search.setObjectName("search")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(
            _("Search: name, pinyin initials (zs), mobile or last 4 digits, archive no., company")
        )
        # Customer value (主力/一般/零散), filtered in SQL with the search.
        self.grade = QComboBox(self)
        self.grade.setObjectName("valueGrade")
        self.grade.setToolTip(_("Customer value, from the purchases"))
        self.grade.addItem(_("Any value"), None)
        for grade in GRADES:
            self.grade.addItem(_(GRADE_TITLES[grade]), grade)
        self.grade.currentIndexChanged.connect(self.reload)
        # An office field's value, filtered in SQL with the search; its columns in the list.
        self.office_filter = OfficeFilter(tasks, actor, self)
        self.office_filter.changed.connect(self.reload)
        self.count = QLabel(self)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(TYPING_PAUSE_MS)
        self._timer.timeout.connect(self.reload)
        self.search.textChanged.connect(self._timer.start)
        self.search.returnPressed.connect(self._open_first)
        self.model = CustomerTableModel(self, actor, tasks)
        self.office_filter.columns_changed.connect(self.model.reread)
        self.view = QTableView(self)
        self.view.setObjectName("customerList")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.setSortingEnabled(False)
        # Fixed row heights: sizing rows to contents reads every row of a large archive.
        vertical = self.view.verticalHeader()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(ROW_HEIGHT)
        vertical.setVisible(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSortIndicatorShown(True)
        header.setSectionsClickable(True)
        header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        header.sortIndicatorChanged.connect(self._sort_changed)
        # Widths by the columns' kinds: numbers and dates show whole, a four-character name and
        # the start of a company name too.
        self.widths = ColumnWidths(self.view, "customerList", str(actor.staff_id if actor else ""),
                                   [c.kind.chars for c in CUSTOMER_LIST],
                                   {n: c.kind.sample for n, c in enumerate(CUSTOMER_LIST)})
        self.empty_note = EmptyNote(self.view, _("No customer matches the search."))
        self.view.activated.connect(self._row_activated)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.grade)
        top.addWidget(self.office_filter)
        top.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.view)
        if tasks.hub is not None:
            tasks.hub.subscribe(LIST_KINDS, self._archive_changed)

    def reload(self) -> Operation:
        """Run the current search and sort as operations and show the result: a new search
        its first screen, then the whole list; the same search again (customers changed) the
        whole list at once, in place."""
        query = ListQuery(text=self.search.text(), sort=self._query.sort,
                          descending=self._query.descending,
                          value_grade=self.grade.currentData(),
                          office_value=self.office_filter.wanted(),
                          sort_field=self._sorted_field())
        again = query == self._shown
        self._query = query
        started = time.perf_counter()
        if again:
            return self._read_whole(query, started, self._pages_on_screen())
        actor = self._actor

        def screen() -> tuple[list[int], dict[int, Page]]:
            ids = first_screen(query, actor, PAGE)
            return ids, read_pages(ids, {0}, actor)

        def show(found: tuple[list[int], dict[int, Page]]) -> None:
            ids, pages = found
            if not self._still_asked(query):
                return  # typed on since: the search for the text in the box follows
            self._show_ids(ids, pages)
            self._shown = query
            self.first_shown.emit(len(ids), time.perf_counter() - started)
            if len(ids) < PAGE:  # the first screen is the whole list
                self._shown_whole(ids, started)
                return
            self.count.setText(_("{n}+ customers").format(n=len(ids)))
            self._open_asked_match()
            self._read_whole(query, started, set(), continuing=True)

        return self._tasks.run(screen, show, channel="customer-list", title=_("Search"))

    def _read_whole(self, query: ListQuery, started: float, pages: set[int],
                    continuing: bool = False) -> Operation:
        """Read every id of ``query`` (and the ``pages`` of rows on screen) as an operation,
        and show them; ``continuing``: after its first screen, appended to it."""
        actor = self._actor

        def search() -> tuple[list[int], dict[int, Page]]:
            ids = find_ids(query, actor)
            return ids, read_pages(ids, pages, actor)

        def show(found: tuple[list[int], dict[int, Page]]) -> None:
            ids, read = found
            if not self._still_asked(query):
                return
            if not (continuing and self.model.extend_ids(ids)):
                self._show_ids(ids, read)
            self._shown = query
            self._shown_whole(ids, started)

        return self._tasks.run(search, show, channel="customer-list", title=_("Search"))

    def _shown_whole(self, ids: list[int], started: float) -> None:
        self.count.setText(_("{n} customers").format(n=len(ids)))
        self._open_asked_match()
        self.searched.emit(len(ids), time.perf_counter() - started)

    def _still_asked(self, query: ListQuery) -> bool:
        """False when another search was asked for since ``query`` (or is being typed)."""
        return query == self._query and query.text == self.search.text()

    def _open_asked_match(self) -> None:
        """Open the first match when Enter asked for it (the first screen is enough)."""
        customer_id = self.model.customer_id(0)
        if self._open_first_match and customer_id is not None:
            self.view.selectRow(0)
            self.open_customer.emit(customer_id)
        self._open_first_match = False

    def _pages_on_screen(self) -> set[int]:
        """The pages of rows the list shows now, and so right after a search (the scroll
        position is kept, and rows are all of one height)."""
        top = max(self.view.rowAt(0), 0)
        rows = self.view.viewport().height() // ROW_HEIGHT + 1
        return set(range(top // PAGE, (top + rows) // PAGE + 1))

    def _archive_changed(self, _changes: Changes) -> None:
        self.reload()

    def _show_ids(self, ids: list[int], pages: dict[int, Page]) -> None:
        """Show a search's result with the ``pages`` of rows read with it, keeping the selected
        customers and the scroll position."""
        if self.model.shows(ids):
            self.model.refresh_rows(pages)  # the same customers: their rows read afresh
            return
        selected, current = self.selected_ids(), self.model.customer_id(
            self.view.currentIndex().row())
        scrolled = self.view.verticalScrollBar().value()
        self.model.set_ids(ids, pages)
        selection = QItemSelection()
        for customer_id in selected:
            row = self.model.row_of(customer_id)
            if row is not None:
                selection.select(self.model.index(row, 0), self.model.index(
                    row, self.model.columnCount() - 1))
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect
        self.view.selectionModel().select(selection, flags)
        row = self.model.row_of(current) if current is not None else None
        if row is not None:
            self.view.selectionModel().setCurrentIndex(
                self.model.index(row, 0), QItemSelectionModel.SelectionFlag.NoUpdate)
        self.view.verticalScrollBar().setValue(scrolled)

    def selected_ids(self) -> list[int]:
        """Customers selected in the list, top to bottom."""
        rows = sorted({index.row() for index in self.view.selectionModel().selectedRows()})
        return [cid for cid in (self.model.customer_id(r) for r in rows) if cid is not None]

    def _sort_changed(self, column: int, order: Qt.SortOrder) -> None:
        office = column >= len(SORT_KEYS)  # an office field's column: sorted by its value
        self._query = ListQuery(
            text=self._query.text, sort=self._query.sort if office else SORT_KEYS[column],
            descending=order == Qt.SortOrder.DescendingOrder,
            value_grade=self._query.value_grade, office_value=self._query.office_value,
            sort_field=self.model.column_keys()[column].removeprefix(PREFIX) if office else None)
        self.reload()

    def _sorted_field(self) -> str | None:
        """The office field the list is sorted by, while the list still shows its column."""
        key = self._query.sort_field
        return key if key is not None and PREFIX + key in self.model.column_keys() else None

    def _row_activated(self, index: object) -> None:
        customer_id = self.model.customer_id(index.row())  # type: ignore[attr-defined]
        if customer_id is not None:
            self.open_customer.emit(customer_id)

    def _open_first(self) -> None:
        """Enter in the search box opens the first match once the search has answered."""
        self._timer.stop()
        self._open_first_match = True
        self.reload()

"""The customer list: one search box over a lazily read, SQL-sorted table."""
from __future__ import annotations

import time

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from crmdesk.i18n import _
from crmdesk.services.context import Actor
from crmdesk.services.search import ListQuery, find_ids
from crmdesk.ui.itemmodels.customer_table import SORT_KEYS, CustomerTableModel
from crmdesk.ui.tasks import TaskRunner

TYPING_PAUSE_MS = 120
ROW_HEIGHT = 26


class CustomerListPage(QWidget):
    """Search box and list; ``open_customer`` fires when a row is chosen."""

    open_customer = Signal(int)
    searched = Signal(int, float)  # matches, seconds

    def __init__(self, tasks: TaskRunner, actor: Actor | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._actor = actor
        self._query = ListQuery()
        self._open_first_match = False
        self.search = QLineEdit(self)
        self.search.setObjectName("search")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(
            _("Search: name, pinyin initials (zs), mobile or last 4 digits, archive no., company")
        )
        self.count = QLabel(self)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(TYPING_PAUSE_MS)
        self._timer.timeout.connect(self.reload)
        self.search.textChanged.connect(self._timer.start)
        self.search.returnPressed.connect(self._open_first)
        self.model = CustomerTableModel(self, actor)
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
        header.setStretchLastSection(True)
        for column, width in enumerate((120, 90, 120, 220, 50, 70, 80, 100)):
            self.view.setColumnWidth(column, width)
        self.view.activated.connect(self._row_activated)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.view)

    def reload(self) -> None:
        """Run the current search and sort in the background and show the result."""
        query = ListQuery(text=self.search.text(), sort=self._query.sort,
                          descending=self._query.descending)
        self._query = query
        started = time.perf_counter()

        def show(ids: list[int]) -> None:
            self.model.set_ids(ids)
            self.count.setText(_("{n} customers").format(n=len(ids)))
            self.searched.emit(len(ids), time.perf_counter() - started)
            if self._open_first_match and ids:
                self.view.selectRow(0)
                self.open_customer.emit(ids[0])
            self._open_first_match = False

        self._tasks.run(lambda: find_ids(query, self._actor), show, channel="customer-list")

    def refresh_rows(self) -> None:
        """Repaint rows after a card was saved elsewhere."""
        self.model.refresh_rows()

    def selected_ids(self) -> list[int]:
        """Customers selected in the list, top to bottom."""
        rows = sorted({index.row() for index in self.view.selectionModel().selectedRows()})
        return [cid for cid in (self.model.customer_id(r) for r in rows) if cid is not None]

    def _sort_changed(self, column: int, order: Qt.SortOrder) -> None:
        self._query = ListQuery(text=self._query.text, sort=SORT_KEYS[column],
                                descending=order == Qt.SortOrder.DescendingOrder)
        self.reload()

    def _row_activated(self, index: object) -> None:
        customer_id = self.model.customer_id(index.row())  # type: ignore[attr-defined]
        if customer_id is not None:
            self.open_customer.emit(customer_id)

    def _open_first(self) -> None:
        """Enter in the search box opens the first match once the search has answered."""
        self._timer.stop()
        self._open_first_match = True
        self.reload()

"""The customer list: holds the ordered ids of a search and reads rows a page at a time.

Sorting and filtering happen in SQL (services.search.find_ids); the model only asks for the rows
being shown, so a 200,000-customer archive opens as fast as a small one. In the window a page of
rows is read as an operation, off the UI thread: a row not read yet shows empty until its page
arrives (a search hands over the pages on screen with its result, so the list never flickers).
Without operations (model checks, benchmarks) pages are read on the caller's thread.
"""
from __future__ import annotations

from collections import OrderedDict
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from crmdesk.i18n import _
from crmdesk.models.lists.columns import ColumnList
from crmdesk.models.lists.customers import CUSTOMER_LIST
from crmdesk.services import customer_list
from crmdesk.services.context import Actor
from crmdesk.services.search import LIST_COLUMNS, SortKey, list_rows
from crmdesk.services.visibility import closed_marks_of, refusal
from crmdesk.ui.itemmodels.alignment import ALIGNMENTS
from crmdesk.ui.operations import Operations

PAGE = 200
CACHED_PAGES = 64  # about 13,000 rows; older pages are read again when scrolled back to
CUSTOMER_ID_ROLE = Qt.ItemDataRole.UserRole + 1
# The 机密/绝密 mark of a row the user may not open ("confidential", "secret"), else None.
CLOSED_MARK_ROLE = Qt.ItemDataRole.UserRole + 2
NAME_COLUMN = 1
CLOSED_COLOUR = QColor("#80868b")


def mark_label(mark: str) -> str:
    """The short label put after the name of a row the user may not open."""
    return {"secret": _("〔绝密〕"), "confidential": _("〔机密〕")}[mark]
_Index = QModelIndex | QPersistentModelIndex


SORT_KEYS = tuple(SortKey(name) for name in LIST_COLUMNS)  # then the office fields' columns
# A page as read: display rows by id, the marks of those the user may not open, and the columns
# the rows hold (the office fields shown in the list may change at any desk).
Page = tuple[dict[int, tuple[str, ...]], dict[int, str], ColumnList]


def page_ids(ids: list[int], page_no: int) -> list[int]:
    """The ids shown on page ``page_no`` of a list of ``ids``."""
    return ids[page_no * PAGE:(page_no + 1) * PAGE]


def read_page(ids: list[int], actor: Actor | None) -> Page:
    """Read one page of rows (reads the archive: call it in an operation's work)."""
    fields = customer_list.listed_fields()
    rows = customer_list.with_office_cells(list_rows(ids, actor), actor, fields)
    return rows, closed_marks_of(actor, ids), customer_list.list_columns(fields)


def read_pages(ids: list[int], page_numbers: set[int], actor: Actor | None) -> dict[int, Page]:
    """Read the pages ``page_numbers`` of ``ids`` (those past the end are left out)."""
    return {n: read_page(page_ids(ids, n), actor) for n in sorted(page_numbers)
            if n * PAGE < len(ids)}


class CustomerTableModel(QAbstractTableModel):
    """Rows of the customer list; ``set_ids`` replaces the result of a search."""

    def __init__(self, parent: Any = None, actor: Actor | None = None,
                 operations: Operations | None = None) -> None:
        super().__init__(parent)
        self._actor = actor
        self._operations = operations
        self._ids: list[int] = []
        self._pages: OrderedDict[int, dict[int, tuple[str, ...]]] = OrderedDict()
        self._closed: dict[int, str] = {}  # marks of rows on cached pages the user may not open
        # Read at once when pages are (model checks, benchmarks), else with the first page.
        self._columns = (CUSTOMER_LIST if operations is not None
                         else customer_list.list_columns())
        self._titles = self._columns.titles()
        self._resetting = False
        self._asked: set[int] = set()  # pages being read for the ids shown
        self._generation = 0  # counts the lists shown: a page read for an older one is dropped
        self._asking = False  # inside data(): a page read inline needs no dataChanged

    def set_ids(self, ids: list[int], pages: dict[int, Page] | None = None) -> None:
        """Show these customers, in this order, with ``pages`` already read for them."""
        self.beginResetModel()
        self._resetting = True
        self._ids = ids
        self._forget(pages)
        self._resetting = False
        self.endResetModel()

    def shows(self, ids: list[int]) -> bool:
        """True when the list shows exactly these customers, in this order."""
        return ids == self._ids

    def extend_ids(self, ids: list[int]) -> bool:
        """Append the rest of a list whose first screen is shown (``ids`` starts with the ids
        shown, a whole number of pages): the rows read stay, and so do the selection and the
        scroll position. False, changing nothing, when ``ids`` does not continue the list."""
        shown = len(self._ids)
        if shown % PAGE or ids[:shown] != self._ids:
            return False
        if len(ids) > shown:
            self.beginInsertRows(QModelIndex(), shown, len(ids) - 1)
            self._ids = ids
            self.endInsertRows()
        return True

    def refresh_rows(self, pages: dict[int, Page] | None = None) -> None:
        """Forget cached rows (after an edit), keep ``pages`` read afresh, and repaint what is
        visible."""
        self._forget(pages)
        if self._ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1,
                                                               len(self._columns) - 1))

    def reread(self) -> None:
        """Read the rows shown again with the list's columns (the office fields shown in the
        list changed): the columns change when the first page arrives."""
        shown = set(self._pages) or {0}
        self._forget(None)
        for page_no in sorted(shown):
            if page_no * PAGE < len(self._ids):
                self._ask(page_no)

    def customer_id(self, row: int) -> int | None:
        """The customer shown in ``row``."""
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, customer_id: int) -> int | None:
        """The row showing ``customer_id``, if it is in the list."""
        try:
            return self._ids.index(customer_id)
        except ValueError:
            return None

    def column_keys(self) -> tuple[str, ...]:
        """The keys of the list's columns (``office.<key>`` for an office field's)."""
        return self._columns.keys

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._titles[section]
        return str(section + 1)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == CUSTOMER_ID_ROLE:
            return self._ids[index.row()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return ALIGNMENTS[self._columns.columns[index.column()].kind.align]
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
                        Qt.ItemDataRole.ForegroundRole, CLOSED_MARK_ROLE):
            return None
        row = self._row(index.row())
        if row is None:
            return None
        mark = self._closed.get(self._ids[index.row()])
        if role == CLOSED_MARK_ROLE:
            return mark
        if role == Qt.ItemDataRole.ToolTipRole:  # the whole text of a cut-off cell
            return refusal(mark) if mark else (row[index.column()] or None)
        if role == Qt.ItemDataRole.ForegroundRole:
            return CLOSED_COLOUR if mark else None
        text = row[index.column()]
        return f"{text} {mark_label(mark)}" if mark and index.column() == NAME_COLUMN else text

    def _forget(self, pages: dict[int, Page] | None) -> None:
        self._pages.clear()
        self._closed.clear()
        self._asked.clear()
        self._generation += 1
        for page_no, page in (pages or {}).items():
            self._keep(page_no, page)

    def _keep(self, page_no: int, page: Page) -> None:
        rows, closed, columns = page
        if columns.keys != self._columns.keys:
            self._show_columns(columns)
        self._pages[page_no] = rows
        self._closed.update(closed)
        if len(self._pages) > CACHED_PAGES:
            self._pages.popitem(last=False)

    def _show_columns(self, columns: ColumnList) -> None:
        """Show ``columns``: rows read for the columns shown before are dropped."""
        if not self._resetting:
            self.beginResetModel()
        self._columns, self._titles = columns, columns.titles()
        self._pages.clear()
        self._closed.clear()
        if not self._resetting:
            self.endResetModel()

    def _row(self, row: int) -> tuple[str, ...] | None:
        page_no = row // PAGE
        page = self._pages.get(page_no)
        if page is None:
            self._ask(page_no)
            page = self._pages.get(page_no)  # there already when read inline
            if page is None:
                return None
        else:
            self._pages.move_to_end(page_no)
        return page.get(self._ids[row])

    def _ask(self, page_no: int) -> None:
        """Read page ``page_no``: as an operation when the model has them, else at once."""
        ids, actor = page_ids(self._ids, page_no), self._actor
        if self._operations is None:
            self._keep(page_no, read_page(ids, actor))
            return
        if page_no in self._asked:
            return
        self._asked.add(page_no)
        generation = self._generation
        self._asking = True
        try:
            # A failed read stays asked: the error shows once, not at every repaint.
            self._operations.run(lambda: read_page(ids, actor),
                                 lambda page: self._arrived(generation, page_no, page),
                                 title=_("Search"))
        finally:
            self._asking = False

    def _arrived(self, generation: int, page_no: int, page: Page) -> None:
        if generation != self._generation:
            return  # read for a list no longer shown
        self._asked.discard(page_no)
        self._keep(page_no, page)
        if not self._asking:
            first = page_no * PAGE
            last = min(first + PAGE, len(self._ids)) - 1
            self.dataChanged.emit(self.index(first, 0),
                                  self.index(last, len(self._columns) - 1))

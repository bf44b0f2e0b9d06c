"""The customer list: holds the ordered ids of a search and reads rows a page at a time.

Sorting and filtering happen in SQL (services.search.find_ids); the model only asks for the rows
being shown, so a 200,000-customer archive opens as fast as a small one.
"""
from __future__ import annotations

from collections import OrderedDict
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from crmdesk.i18n import _
from crmdesk.services.context import Actor
from crmdesk.services.search import LIST_COLUMNS, SortKey, list_rows

PAGE = 200
CACHED_PAGES = 64  # about 13,000 rows; older pages are read again when scrolled back to
CUSTOMER_ID_ROLE = Qt.ItemDataRole.UserRole + 1
_Index = QModelIndex | QPersistentModelIndex


def column_titles() -> tuple[str, ...]:
    """Column headings in the current language, in LIST_COLUMNS order."""
    return (_("Archive no."), _("Name"), _("Mobile"), _("Company"), _("Level"), _("Status"),
            _("Salesperson"), _("Last contact"), _("Next follow-up"))


SORT_KEYS = tuple(SortKey(name) for name in LIST_COLUMNS)


class CustomerTableModel(QAbstractTableModel):
    """Rows of the customer list; ``set_ids`` replaces the result of a search."""

    def __init__(self, parent: Any = None, actor: Actor | None = None) -> None:
        super().__init__(parent)
        self._actor = actor
        self._ids: list[int] = []
        self._pages: OrderedDict[int, dict[int, tuple[str, ...]]] = OrderedDict()
        self._titles = column_titles()

    def set_ids(self, ids: list[int]) -> None:
        """Show these customers, in this order."""
        self.beginResetModel()
        self._ids = ids
        self._pages.clear()
        self.endResetModel()

    def refresh_rows(self) -> None:
        """Forget cached rows (after an edit) and repaint what is visible."""
        self._pages.clear()
        if self._ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1,
                                                               len(LIST_COLUMNS) - 1))

    def customer_id(self, row: int) -> int | None:
        """The customer shown in ``row``."""
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, customer_id: int) -> int | None:
        """The row showing ``customer_id``, if it is in the list."""
        try:
            return self._ids.index(customer_id)
        except ValueError:
            return None

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(LIST_COLUMNS)

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
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        row = self._row(index.row())
        return row[index.column()] if row else None

    def _row(self, row: int) -> tuple[str, ...] | None:
        page_no = row // PAGE
        page = self._pages.get(page_no)
        if page is None:
            page = list_rows(self._ids[page_no * PAGE:(page_no + 1) * PAGE], self._actor)
            self._pages[page_no] = page
            if len(self._pages) > CACHED_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page_no)
        return page.get(self._ids[row])

"""Rows of the follow-up lists (overdue, due today, due this week, never contacted)."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from crmdesk.models.lists.overdue import OVERDUE_LIST
from crmdesk.services.followup import FollowUpRow
from crmdesk.ui.itemmodels.alignment import ALIGNMENTS

_Index = QModelIndex | QPersistentModelIndex
LATE = QColor("#c5221f")


class FollowUpTableModel(QAbstractTableModel):
    """A page of follow-up rows; ``append`` adds the next page below."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[FollowUpRow] = []
        self._cells: list[tuple[str, ...]] = []
        self._titles = OVERDUE_LIST.titles()

    def set_rows(self, rows: list[FollowUpRow]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self._cells = [OVERDUE_LIST.displayed(r) for r in rows]
        self.endResetModel()

    def append(self, rows: list[FollowUpRow]) -> None:
        if not rows:
            return
        start = len(self.rows)
        self.beginInsertRows(QModelIndex(), start, start + len(rows) - 1)
        self.rows.extend(rows)
        self._cells.extend(OVERDUE_LIST.displayed(r) for r in rows)
        self.endInsertRows()

    def customer_id(self, row: int) -> int | None:
        return self.rows[row].customer_id if 0 <= row < len(self.rows) else None

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._titles)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._titles[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cells[index.row()][index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return ALIGNMENTS[OVERDUE_LIST.columns[index.column()].kind.align]
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 0:
            return QBrush(LATE)
        return None

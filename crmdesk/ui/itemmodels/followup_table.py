"""Rows of the follow-up lists (overdue, due today, due this week, never contacted)."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from crmdesk.i18n import _
from crmdesk.models.phones import format_phone
from crmdesk.services.followup import FollowUpRow

_Index = QModelIndex | QPersistentModelIndex
LATE = QColor("#c5221f")


def _titles() -> tuple[str, ...]:
    return (_("Days overdue"), _("Next follow-up"), _("Archive no."), _("Name"), _("Level"),
            _("Salesperson"), _("Last contact"), _("Method"), _("Last conclusion"), _("Mobile"))


def _cells(row: FollowUpRow) -> tuple[str, ...]:
    last = row.last_contact_at.date().isoformat() if row.last_contact_at else _("never")
    return (str(row.days_overdue) if row.days_overdue > 0 else "", row.next_follow_up.isoformat(),
            row.archive_no, row.name, row.level_name or row.level_code, row.owner_name, last,
            row.last_method_label, row.last_conclusion or "",
            row.mobile if row.mobile and "*" in row.mobile else format_phone(row.mobile))


class FollowUpTableModel(QAbstractTableModel):
    """A page of follow-up rows; ``append`` adds the next page below."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[FollowUpRow] = []
        self._cells: list[tuple[str, ...]] = []
        self._titles = _titles()

    def set_rows(self, rows: list[FollowUpRow]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self._cells = [_cells(r) for r in rows]
        self.endResetModel()

    def append(self, rows: list[FollowUpRow]) -> None:
        if not rows:
            return
        start = len(self.rows)
        self.beginInsertRows(QModelIndex(), start, start + len(rows) - 1)
        self.rows.extend(rows)
        self._cells.extend(_cells(r) for r in rows)
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
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 0:
            return QBrush(LATE)
        return None

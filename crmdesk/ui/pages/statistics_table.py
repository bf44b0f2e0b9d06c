"""One section of a report as a Qt table: a row per group, the total last; figures that count
something are underlined and carry the figure (FIGURE_ROLE) so a click lists what they count."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from crmdesk.services.statistics.report import Figure, Section

FIGURE_ROLE = Qt.ItemDataRole.UserRole + 1
DRILL_COLOUR = QColor("#1a56a0")
TOTAL_BACKGROUND = QColor("#eef1f5")

Index = QModelIndex | QPersistentModelIndex


class ReportTableModel(QAbstractTableModel):
    """Shows one ``Section``; empty until ``set_section``."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.section: Section | None = None

    def set_section(self, section: Section | None) -> None:
        """Show ``section`` (None: nothing)."""
        self.beginResetModel()
        self.section = section
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() or self.section is None:
            return 0
        return len(self.section.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() or self.section is None:
            return 0
        return len(self.section.columns)

    def figure(self, index: Index) -> Figure | None:
        """The figure shown at ``index``."""
        if self.section is None or not index.isValid():
            return None
        return self.section.rows[index.row()][index.column()]

    def _is_total(self, row: int) -> bool:
        return self.section is not None and self.section.has_total and \
            row == len(self.section.rows) - 1

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        figure = self.figure(index)
        if figure is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return figure.text()
        if role == FIGURE_ROLE:
            return figure
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if index.column() == 0:
                return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and figure.drillable:
            return QBrush(DRILL_COLOUR)
        if role == Qt.ItemDataRole.FontRole and (
                figure.drillable or self._is_total(index.row())):
            font = QFont()
            font.setUnderline(figure.drillable)
            font.setBold(self._is_total(index.row()))
            return font
        if role == Qt.ItemDataRole.BackgroundRole and self._is_total(index.row()):
            return QBrush(TOTAL_BACKGROUND)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal
                or self.section is None or section >= len(self.section.columns)):
            return None
        return self.section.columns[section]

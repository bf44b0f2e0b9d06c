"""An editable table of the card (people in the decision, purchases), columns from the card."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from crmdesk.i18n import _
from crmdesk.models.card import TABLE_COLUMNS
from crmdesk.models.fieldtypes import Editor


class RecordTable(QWidget):
    """Rows of one of the card's tables; cells hold typed text, choices use drop-downs."""

    changed = Signal()

    def __init__(self, table: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._columns = TABLE_COLUMNS[table]
        self.setObjectName(f"table_{table}")
        self.grid = QTableWidget(0, len(self._columns), self)
        self.grid.setHorizontalHeaderLabels([c.label for c in self._columns])
        self.grid.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.grid.verticalHeader().setDefaultSectionSize(28)
        self.grid.setMinimumHeight(150)
        self.grid.itemChanged.connect(self.changed)
        add = QPushButton(_("Add row"), self)
        remove = QPushButton(_("Remove row"), self)
        add.clicked.connect(self._add_clicked)
        remove.clicked.connect(self._remove_row)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.grid)
        layout.addLayout(buttons)

    def add_row(self, values: dict[str, Any] | None = None) -> None:
        """Append a row, filled from ``values`` (stored values) when given."""
        values = values or {}
        row = self.grid.rowCount()
        self.grid.blockSignals(True)
        self.grid.insertRow(row)
        for col, column in enumerate(self._columns):
            value = values.get(column.name)
            if column.kind.editor is Editor.CHOICE:
                combo = QComboBox(self.grid)
                combo.addItem("", None)
                for choice in column.choices:
                    combo.addItem(choice.label, choice.key)
                combo.setCurrentIndex(max(combo.findData(value), 0) if value else 0)
                combo.activated.connect(self.changed)
                self.grid.setCellWidget(row, col, combo)
            else:
                item = QTableWidgetItem(column.kind.display(value))
                if column.computed:  # worked out from the other cells, never typed
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.grid.setItem(row, col, item)
        self.grid.blockSignals(False)

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        """Replace every row."""
        self.grid.setRowCount(0)
        for row in rows:
            self.add_row(row)

    def rows(self) -> list[dict[str, Any]]:
        """Every row as typed: choice keys, other cells as text (computed cells left out)."""
        result = []
        for row in range(self.grid.rowCount()):
            values: dict[str, Any] = {}
            for col, column in enumerate(self._columns):
                if column.computed:
                    continue
                widget = self.grid.cellWidget(row, col)
                if isinstance(widget, QComboBox):
                    values[column.name] = widget.currentData()
                else:
                    item = self.grid.item(row, col)
                    values[column.name] = item.text() if item else ""
            result.append(values)
        return result

    def _add_clicked(self) -> None:
        self.add_row()
        self.grid.setCurrentCell(self.grid.rowCount() - 1, 0)
        self.changed.emit()

    def _remove_row(self) -> None:
        row = self.grid.currentRow()
        if row >= 0:
            self.grid.removeRow(row)
            self.changed.emit()

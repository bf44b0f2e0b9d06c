"""A read-only table of short lists (a day's register, the duty list, matches): rows of text.

Each row carries a key (a visit or customer id) so a page asks for the chosen row's key, not its
position. For the customer archive itself use the lazy CustomerTableModel instead.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from crmdesk.i18n import _
from crmdesk.ui.empty_note import EmptyNote

KEY_ROLE = Qt.ItemDataRole.UserRole + 1
WARNING_COLOUR = QColor("#b3261e")


class RowsTable(QTableWidget):
    """Rows of text with a key each; ``chosen`` fires with the key of a row activated."""

    chosen = Signal(object)

    def __init__(self, headers: Sequence[str], parent: QWidget | None = None,
                 stretch: int | None = None, empty: str | None = None) -> None:
        super().__init__(0, len(headers), parent)
        self.empty_note = EmptyNote(self, empty if empty is not None else _("Nothing to show."))
        self.setHorizontalHeaderLabels(list(headers))
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().setVisible(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        if stretch is not None:
            header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        else:
            header.setStretchLastSection(True)
        self.activated.connect(lambda index: self.chosen.emit(self.key(index.row())))

    def set_rows(self, rows: Sequence[tuple[Any, Sequence[str]]],
                 warn: Sequence[bool] | None = None) -> None:
        """Show ``rows`` of (key, texts); rows flagged in ``warn`` are drawn in red."""
        self.setRowCount(len(rows))
        for row, (key, texts) in enumerate(rows):
            for col, text in enumerate(texts):
                item = QTableWidgetItem(text)
                item.setData(KEY_ROLE, key)
                if warn and warn[row]:
                    item.setForeground(WARNING_COLOUR)
                self.setItem(row, col, item)

    def key(self, row: int) -> Any:
        """The key of ``row`` (None outside the table)."""
        item = self.item(row, 0)
        return item.data(KEY_ROLE) if item is not None else None

    def current_key(self) -> Any:
        """The key of the selected row, or None."""
        rows = self.selectionModel().selectedRows()
        return self.key(rows[0].row()) if rows else None

    def select_key(self, key: Any) -> None:
        """Select the row with ``key`` (clear the selection when it is not shown)."""
        for row in range(self.rowCount()):
            if self.key(row) == key:
                self.selectRow(row)
                return
        self.clearSelection()

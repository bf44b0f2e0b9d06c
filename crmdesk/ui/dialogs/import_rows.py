"""The rows of an import preview as a Qt table model: found, action, problems, values.

The model reads the preview's rows as they are shown, so a sheet of 50,000 rows stays quick.
The action of a duplicate row is editable (a drop-down of the duplicate policies); a value the
dry run refused is shown as the file holds it, next to the reason.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from crmdesk.exporters.columns import ExportColumn
from crmdesk.i18n import _, ngettext
from crmdesk.importers.cells import cell_text
from crmdesk.importers.mapping import ARCHIVE_NO
from crmdesk.importers.preview import Policy, Preview, PreviewRow, RowStatus
from crmdesk.services.exports.customers import Renderer, export_columns
from crmdesk.services.imports.own_fields import own_part
from crmdesk.ui.rows_table import WARNING_COLOUR

# The problems come right after the action, so a refused row's reasons are read without
# scrolling past every mapped column.
ROW, STATUS, ACTION, PROBLEMS = range(4)
FIRST_VALUE = 4
DUPLICATE_COLOUR = QColor("#8a5300")
Index = QModelIndex | QPersistentModelIndex


class PreviewModel(QAbstractTableModel):
    """The rows of a ``Preview``: row number, status, action, the mapped fields, the problems."""

    def __init__(self, preview: Preview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.preview = preview
        mapped = [(c, t) for c, t in enumerate(preview.mapping.targets) if t is not None]
        self._sources = [c for c, _t in mapped]
        self._fields: list[ExportColumn] = export_columns([t for _c, t in mapped])
        self._renderer = Renderer()
        self._renderer.prepare(r.values for r in preview.rows)
        self._bold = QFont()
        self._bold.setBold(True)

    def row_at(self, row: int) -> PreviewRow:
        return self.preview.rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self.preview.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else FIRST_VALUE + len(self._fields)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if section == ROW:
            return _("Row")
        if section == STATUS:
            return _("Found")
        if section == ACTION:
            return _("Action")
        if section == PROBLEMS:
            return _("Problems")
        return self._fields[section - FIRST_VALUE].header

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = self.row_at(index.row()), index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            text = self._text(row, column)
            if role == Qt.ItemDataRole.ToolTipRole and column == PROBLEMS:
                return row.reasons or None
            return text
        if role == Qt.ItemDataRole.EditRole and column == ACTION:
            return row.action.value if row.action else None
        if role == Qt.ItemDataRole.ForegroundRole and column in (STATUS, PROBLEMS):
            return {RowStatus.ERROR: WARNING_COLOUR,
                    RowStatus.DUPLICATE: DUPLICATE_COLOUR}.get(row.status)
        if role == Qt.ItemDataRole.FontRole and column == ACTION and row.action is not None:
            return self._bold  # chosen for this row, not the import's policy
        return None

    def _text(self, row: PreviewRow, column: int) -> str:
        if column == ROW:
            return str(row.row)
        if column == STATUS:
            return status_text(row)
        if column == ACTION:
            return action_text(self.preview, row)
        if column == PROBLEMS:
            return "；".join(str(p) for p in row.problems)
        source = self._sources[column - FIRST_VALUE]
        if any(p.column == source for p in row.problems):  # refused: show what the file holds
            value = row.raw[source] if source < len(row.raw) else None
        else:
            record = {**row.values, ARCHIVE_NO: row.archive_no, "office": own_part(row.values)}
            value = self._renderer.value(self._fields[column - FIRST_VALUE], record)
        return cell_text(value) if value is not None else ""

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.column() == ACTION and self.row_at(index.row()).status is RowStatus.DUPLICATE:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Choose the action of one row: a Policy value, or None to follow the import's."""
        if role != Qt.ItemDataRole.EditRole or index.column() != ACTION:
            return False
        row = self.row_at(index.row())
        try:
            self.preview.set_action(row.row, Policy(value) if value else None)
        except ValueError:
            return False
        self.dataChanged.emit(index, index)
        return True

    def refresh(self) -> None:
        """Redraw every row after the import's policy changed."""
        self.dataChanged.emit(self.index(0, 0),
                              self.index(self.rowCount() - 1, self.columnCount() - 1))


def status_text(row: PreviewRow) -> str:
    """What the dry run found for ``row``: new, a duplicate of whom, or an error."""
    if row.status is RowStatus.ERROR:
        return ngettext("Refused: {n} problem", "Refused: {n} problems",
                        len(row.problems)).format(n=len(row.problems))
    if row.status is RowStatus.DUPLICATE:
        return str(row.match)
    return _("New")


def action_text(preview: Preview, row: PreviewRow) -> str:
    """What the commit will do with ``row``."""
    action = preview.action(row)
    if action is None:
        return _("Rejected")
    if row.status is RowStatus.NEW:
        return _("Create") if action is Policy.CREATE else _("Skip")
    return action.label


class ActionDelegate(QStyledItemDelegate):
    """A drop-down of the duplicate policies for one row's action."""

    def createEditor(self, parent: QWidget, _option: QStyleOptionViewItem,
                     _index: Index) -> QWidget:
        combo = QComboBox(parent)
        combo.addItem(_("As for the whole import"), None)
        for policy in Policy:
            combo.addItem(policy.label, policy.value)
        return combo

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        editor.setCurrentIndex(max(editor.findData(index.data(Qt.ItemDataRole.EditRole)), 0))

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class StatusFilter(QSortFilterProxyModel):
    """Shows the rows of one status only (None: every row)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.status: RowStatus | None = None

    def show_status(self, status: RowStatus | None) -> None:
        self.status = status
        self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, _parent: Index) -> bool:
        model = self.sourceModel()
        return self.status is None or model.row_at(source_row).status is self.status

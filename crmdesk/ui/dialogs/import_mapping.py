"""The wizard's first step: which sheet, which column fills which card field, and who owns the
new customers.

Each column of the sheet is a row here: its letter, its header, a few sample values and the
card field it fills (or "(ignore)"). A field is filled from one column only, so choosing a field
for one column frees it from any other.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from openpyxl.utils import get_column_letter
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from crmdesk.i18n import _
from crmdesk.importers.cells import cell_text
from crmdesk.importers.mapping import ColumnMapping, target_label
from crmdesk.services import rotation

SAMPLES = 3
LETTER, HEADER, SAMPLE, TARGET = range(4)


def sample_values(head: Sequence[Sequence[Any]], header_row: int, column: int) -> str:
    """The first few filled cells of ``column`` below the header, as a person reads them."""
    found = []
    for row in head[header_row + 1:]:
        value = row[column] if column < len(row) else None
        text = cell_text(value) if value is not None else ""
        if text:
            found.append(text)
        if len(found) == SAMPLES:
            break
    return " | ".join(found)


class MappingPage(QWidget):
    """The file, its sheet, the column mapping and the owners of new customers.

    ``sheet_chosen`` fires with the name of a sheet the user picks; ``choose_file`` when they
    ask for another file.
    """

    sheet_chosen = Signal(str)
    choose_file = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._mapping = ColumnMapping(0, (), ())
        self._targets: Sequence[tuple[str, str]] = ()
        self.file_label = QLabel(self)
        self.file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        another = QPushButton(_("Choose another file…"), self)
        another.clicked.connect(self.choose_file)
        self.sheet_label = QLabel(_("Sheet:"), self)
        self.sheet = QComboBox(self)
        self.sheet.setObjectName("importSheet")
        self.sheet.textActivated.connect(self.sheet_chosen)
        top = QHBoxLayout()
        top.addWidget(self.file_label, 1)
        top.addWidget(self.sheet_label)
        top.addWidget(self.sheet)
        top.addWidget(another)
        self.header_note = QLabel(self)
        self.header_note.setWordWrap(True)
        self.table = QTableWidget(0, 4, self)
        self.table.setObjectName("importMapping")
        self.table.setHorizontalHeaderLabels(
            [_("Column"), _("Header in the file"), _("Sample values"), _("Fills card field")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(SAMPLE, QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.header_note)
        layout.addWidget(self.table, 1)
        layout.addWidget(self._owners_box())

    def _owners_box(self) -> QGroupBox:
        box = QGroupBox(_("Owner of the new customers"), self)
        self.from_column = QRadioButton(
            _("As the owner column says; rows naming nobody go to me"), box)
        self.in_turn = QRadioButton(
            _("Rows naming nobody are shared in turn among the salespeople ticked here:"), box)
        self.from_column.setChecked(True)
        self.salespeople = QListWidget(box)
        self.salespeople.setObjectName("importOwners")
        self.salespeople.setFlow(QListWidget.Flow.LeftToRight)
        self.salespeople.setWrapping(True)
        self.salespeople.setMaximumHeight(self.fontMetrics().height() * 4)
        for staff_id, name in rotation.salespeople():
            item = QListWidgetItem(name, self.salespeople)
            item.setData(Qt.ItemDataRole.UserRole, staff_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        self.salespeople.itemChanged.connect(lambda _item: self.in_turn.setChecked(True))
        layout = QVBoxLayout(box)
        layout.addWidget(self.from_column)
        layout.addWidget(self.in_turn)
        layout.addWidget(self.salespeople)
        return box

    # -- filling ------------------------------------------------------------------------------

    def show_head(self, file_name: str, sheets: Sequence[str], chosen: str,
                  head: Sequence[Sequence[Any]], mapping: ColumnMapping,
                  targets: Sequence[tuple[str, str]]) -> None:
        """Show a sheet's first rows and the guessed (or remembered) mapping; ``targets`` are
        what a column may fill, (target, label) each."""
        self._targets = targets
        self.file_label.setText(_("File: {name}").format(name=file_name))
        self.sheet.blockSignals(True)
        self.sheet.clear()
        self.sheet.addItems(list(sheets))
        self.sheet.setCurrentText(chosen)
        self.sheet.blockSignals(False)
        for widget in (self.sheet_label, self.sheet):
            widget.setVisible(len(sheets) > 1)
        self.header_note.setText(_(
            "The headers were found on row {header}; the data starts on row {first}. Check "
            "each column's card field; columns set to (ignore) are not imported.").format(
                header=mapping.header_row + 1, first=mapping.header_row + 2))
        self._mapping = mapping
        self.table.setRowCount(len(mapping.headers))
        for column, text in enumerate(mapping.headers):
            self.table.setItem(column, LETTER, QTableWidgetItem(get_column_letter(column + 1)))
            self.table.setItem(column, HEADER, QTableWidgetItem(text))
            samples = sample_values(head, mapping.header_row, column)
            item = QTableWidgetItem(samples)
            item.setToolTip(samples)
            self.table.setItem(column, SAMPLE, item)
            self.table.setCellWidget(column, TARGET, self._target_combo(column))
        self._show_targets()

    def _target_combo(self, column: int) -> QComboBox:
        combo = QComboBox(self.table)
        combo.addItem(target_label(None), None)
        for target, label in self._targets:
            combo.addItem(label, target)
        combo.setMaxVisibleItems(20)
        combo.activated.connect(
            lambda _index, c=column, box=combo: self.set_target(c, box.currentData()))
        return combo

    def _show_targets(self) -> None:
        for column, target in enumerate(self._mapping.targets):
            combo = self.table.cellWidget(column, TARGET)
            combo.setCurrentIndex(max(combo.findData(target), 0))

    # -- reading ------------------------------------------------------------------------------

    def set_target(self, column: int, target: str | None) -> None:
        """Let ``column`` fill ``target`` (None: ignore it); another column filling it stops."""
        self._mapping = self._mapping.with_target(column, target)
        self._show_targets()

    def mapping(self) -> ColumnMapping:
        """The mapping as the user left it."""
        return self._mapping

    def owners(self) -> tuple[int, ...]:
        """The salespeople new customers are shared among (empty: the owner column, else me)."""
        if not self.in_turn.isChecked():
            return ()
        items = (self.salespeople.item(i) for i in range(self.salespeople.count()))
        return tuple(item.data(Qt.ItemDataRole.UserRole) for item in items
                     if item.checkState() == Qt.CheckState.Checked)

    def choose_owners(self, staff_ids: Sequence[int]) -> None:
        """Tick ``staff_ids`` and share new customers among them."""
        for index in range(self.salespeople.count()):
            item = self.salespeople.item(index)
            ticked = item.data(Qt.ItemDataRole.UserRole) in staff_ids
            item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
        self.in_turn.setChecked(True)

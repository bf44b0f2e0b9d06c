"""The level scheme (客户分级与跟进频率): managers edit levels and apply a preset."""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from crmdesk.i18n import _
from crmdesk.services import levels
from crmdesk.services.context import Actor
from crmdesk.services.visibility import Duty, may
from crmdesk.ui.errors import attempt

if TYPE_CHECKING:
    from crmdesk.ui.main_window import MainWindow


class LevelForm(QDialog):
    """One level's code, name, description, interval (0: no follow-up), order, active."""

    def __init__(self, level: levels.LevelInfo | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Level"))
        self.code = QLineEdit(level.code if level else "", self)
        self.name = QLineEdit(level.name if level else "", self)
        self.description = QLineEdit(level.description if level else "", self)
        self.interval = QSpinBox(self)
        self.interval.setRange(0, 365)
        self.interval.setSpecialValueText(_("no follow-up"))
        self.interval.setValue((level.interval_days or 0) if level else 7)
        self.order = QSpinBox(self)
        self.order.setRange(0, 99)
        self.order.setValue(level.sort_order if level else 50)
        self.active = QCheckBox(_("Active"), self)
        self.active.setChecked(level.active if level else True)
        form = QFormLayout(self)
        form.addRow(_("Code"), self.code)
        form.addRow(_("Level name"), self.name)
        form.addRow(_("Description"), self.description)
        form.addRow(_("Follow-up interval (days)"), self.interval)
        form.addRow(_("Order"), self.order)
        form.addRow("", self.active)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def draft(self) -> levels.LevelDraft:
        return levels.LevelDraft(
            code=self.code.text().strip(), name=self.name.text().strip(),
            description=self.description.text().strip(),
            interval_days=self.interval.value() or None, sort_order=self.order.value(),
            active=self.active.isChecked())


class LevelSchemeDialog(QDialog):
    """The scheme as a table, with add, edit and preset buttons; every change saves at once."""

    def __init__(self, actor: Actor | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Levels and follow-up cadence"))
        self._actor = actor
        self.table = QTableWidget(0, 5, self)
        self.table.setHorizontalHeaderLabels(
            [_("Code"), _("Level name"), _("Follow-up interval (days)"), _("Active"),
             _("Description")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.cellDoubleClicked.connect(lambda _r, _c: self.edit())
        self.preset = QComboBox(self)
        for preset in levels.presets():
            self.preset.addItem(preset.label, preset.key)
        row = QHBoxLayout()
        for text, slot in ((_("Add…"), self.add), (_("Edit…"), self.edit)):
            button = QPushButton(text, self)
            button.clicked.connect(slot)
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(self.preset)
        apply = QPushButton(_("Apply preset"), self)
        apply.clicked.connect(self.apply_preset)
        row.addWidget(apply)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.table)
        layout.addWidget(close)
        self._levels: list[levels.LevelInfo] = []
        self.resize(760, 380)
        self.reload()

    def reload(self) -> None:
        self._levels = levels.levels()
        self.table.setRowCount(len(self._levels))
        for r, lv in enumerate(self._levels):
            cells = (lv.code, lv.name, str(lv.interval_days) if lv.interval_days else "—",
                     _("Yes") if lv.active else _("No"), lv.description)
            for c, text in enumerate(cells):
                self.table.setItem(r, c, QTableWidgetItem(text))

    def _report(self, recomputed: int) -> None:
        if recomputed:
            QMessageBox.information(self, self.windowTitle(), _(
                "The next follow-up date of {n} customers was recalculated.").format(n=recomputed))

    def _attempt(self, action: Callable[[], object]) -> None:
        attempt(self, self.windowTitle(), action)
        self.reload()

    def add(self) -> None:
        form = LevelForm(None, self)
        if form.exec():
            self._attempt(lambda: levels.create_level(form.draft(), self._actor))

    def edit(self) -> None:
        row = self.table.currentRow()
        if not 0 <= row < len(self._levels):
            return
        level = self._levels[row]
        form = LevelForm(level, self)
        if form.exec():
            self._attempt(lambda: self._report(
                levels.update_level(level.id, form.draft(), self._actor).recomputed))

    def apply_preset(self) -> None:
        key = self.preset.currentData()
        if QMessageBox.question(self, self.windowTitle(), _(
                "Replace the level scheme with “{name}”?").format(
                name=self.preset.currentText())) != QMessageBox.StandardButton.Yes:
            return
        self._attempt(lambda: self._report(levels.apply_preset(key, self._actor).recomputed))


def install(window: MainWindow) -> None:
    """Offer the level scheme to managers in the archive menu."""
    if not may(window.actor, Duty.BUSINESS_SETTINGS):
        return

    def open_scheme() -> None:
        LevelSchemeDialog(window.actor, window).exec()  # the counters follow its changes

    window.add_archive_entries([window.action(_("Levels and follow-up cadence…"), open_scheme,
                                              name="levelScheme")])

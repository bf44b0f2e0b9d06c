"""The imports made in this archive, newest first, and undoing one while it is untouched."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from crmdesk.i18n import _
from crmdesk.services.context import Actor
from crmdesk.services.imports.undo import ImportInfo, UndoResult, import_history, undo_import
from crmdesk.ui.operations import Operations
from crmdesk.ui.rows_table import RowsTable

SHOWN = 200


def history_texts(info: ImportInfo) -> list[str]:
    """One import as the history table shows it."""
    state = (_("undone {when}").format(when=info.undone_at.strftime("%Y-%m-%d %H:%M"))
             if info.undone_at else "")
    return [str(info.id), info.at.strftime("%Y-%m-%d %H:%M"), info.actor, info.file_name,
            str(info.created), str(info.updated), str(info.skipped), str(info.rejected), state]


class ImportHistoryDialog(QDialog):
    """Lists the imports; Undo takes the chosen one back. ``undone`` fires after an undo."""

    undone = Signal(object)  # UndoResult

    def __init__(self, tasks: Operations, actor: Actor | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Import history"))
        self._tasks, self._actor = tasks, actor
        self.table = RowsTable([_("No."), _("When"), _("By"), _("File"), _("Created"),
                                _("Updated"), _("Skipped"), _("Rejected"), _("Undone")], self,
                               stretch=3)
        self.table.setObjectName("importHistory")
        self.table.itemSelectionChanged.connect(self._enable)
        self.undo_button = QPushButton(_("Undo this import…"), self)
        self.undo_button.setObjectName("undoImport")
        self.undo_button.clicked.connect(self.undo_selected)
        close = QPushButton(_("Close"), self)
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(QLabel(_("An import can be undone while the archives it created or "
                                   "changed are untouched since."), self), 1)
        buttons.addWidget(self.undo_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self._imports: dict[int, ImportInfo] = {}
        self._undoing = False
        self.reload()
        self.resize(1000, 480)

    def reload(self) -> None:
        """Read the imports again."""
        imports = import_history(SHOWN)
        self._imports = {info.id: info for info in imports}
        self.table.set_rows([(info.id, history_texts(info)) for info in imports],
                            warn=[info.undone_at is not None for info in imports])
        self._enable()

    def _enable(self) -> None:
        chosen = self._imports.get(self.table.current_key())
        self.undo_button.setEnabled(chosen is not None and chosen.undone_at is None)

    def undo_selected(self) -> None:
        """Ask, then undo the chosen import in the background."""
        info = self._imports.get(self.table.current_key())
        if info is None or info.undone_at is not None:
            return
        answer = QMessageBox.question(
            self, _("Undo the import?"),
            _("Undo import {id} of {name}? The {created} archives it created are deleted and "
              "the {updated} it updated get their earlier values back.").format(
                id=info.id, name=info.file_name, created=info.created, updated=info.updated),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.undo_button.setEnabled(False)
        self._undoing = True
        actor = self._actor
        self._tasks.run(lambda: undo_import(info.id, actor), self._undone,
                        on_error=self._not_undone)

    def reject(self) -> None:
        """Close, but not while an undo runs (it reports back to this dialog)."""
        if not self._undoing:
            super().reject()

    def accept(self) -> None:
        """Close, but not while an undo runs."""
        if not self._undoing:
            super().accept()

    def _undone(self, result: UndoResult) -> None:
        self._undoing = False
        self.reload()
        self.table.select_key(result.batch_id)
        self.undone.emit(result)
        QMessageBox.information(self, _("Import undone"), _(
            "Import {id} undone: {deleted} archives deleted, {restored} restored.").format(
                id=result.batch_id, deleted=result.deleted, restored=result.restored))

    def _not_undone(self, error: Exception) -> None:
        self._undoing = False
        self._enable()
        self._tasks.fail(error, _("Not undone"), self)

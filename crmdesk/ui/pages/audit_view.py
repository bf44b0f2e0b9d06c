"""The manager's view of the audit trail: filter by person, action (chosen from lists),
archive and dates; each action by name and its details as a line; export."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from crmdesk.errors import CrmError
from crmdesk.exporters.audit_trail import audit_headers
from crmdesk.i18n import _
from crmdesk.services import audit, audit_text
from crmdesk.services.context import Actor
from crmdesk.services.visibility import Duty, may

COLUMNS = ("seq", "at", "person", "action_title", "archive_no", "text")
DETAILS = len(COLUMNS) - 1


class AuditPage(QWidget):
    """Audit entries newest first, with filters, a chain check and export to Excel."""

    def __init__(self, actor: Actor | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._actor = actor
        self.person = QComboBox(self)
        self.person.setObjectName("auditPerson")
        self.action = QComboBox(self)
        self.action.setObjectName("auditAction")
        self.archive_no = QLineEdit(self)
        self.archive_no.setPlaceholderText(_("Archive no."))
        self.archive_no.returnPressed.connect(self.reload)
        today = QDate.currentDate()
        self.start = QDateEdit(today.addDays(-30), self)
        self.end = QDateEdit(today, self)
        for edit in (self.start, self.end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        show = QPushButton(_("Show"), self)
        show.clicked.connect(self.reload)
        check = QPushButton(_("Verify the chain"), self)
        check.clicked.connect(self.verify)
        export = QPushButton(_("Export to Excel…"), self)
        export.clicked.connect(self.export)
        filters = QHBoxLayout()
        for widget in (QLabel(_("Who"), self), self.person, QLabel(_("Action"), self),
                       self.action, self.archive_no, QLabel(_("From"), self), self.start,
                       QLabel(_("to"), self), self.end, show):
            filters.addWidget(widget)
        filters.addStretch(1)
        for widget in (check, export):
            filters.addWidget(widget)
        self.count = QLabel(self)
        self.count.setObjectName("auditCount")
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels(audit_headers())
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        for column in range(DETAILS):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(DETAILS, QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.count)
        layout.addWidget(self.table)
        self._rows: list[dict] = []
        self._fill_choices([], [])

    def _fill_choices(self, people: list[str], actions: list[str]) -> None:
        """The lists of people and actions, keeping what was chosen."""
        for combo, first, items in (
                (self.person, _("Everyone"), [(name, name) for name in people]),
                (self.action, _("All actions"), audit_text.action_choices(actions))):
            chosen = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(first, None)
            for text, data in items:
                combo.addItem(text, data)
            combo.setCurrentIndex(max(combo.findData(chosen), 0) if chosen else 0)
            combo.blockSignals(False)

    def _filter(self) -> audit.AuditFilter:
        return audit.AuditFilter(
            person=self.person.currentData(),
            archive_no=self.archive_no.text().strip().upper() or None,
            action=self.action.currentData(),
            start=self.start.date().toPython(), end=self.end.date().toPython())

    def reload(self) -> None:
        """Show the entries matching the filters."""
        try:
            self._fill_choices(*audit.filter_choices(self._actor))
            self._rows = audit_text.readable(audit.entries(self._actor, self._filter()))
        except CrmError as exc:
            QMessageBox.warning(self, _("Audit trail"), str(exc))
            return
        self.table.setRowCount(len(self._rows))
        for row, entry in enumerate(self._rows):
            for col, key in enumerate(COLUMNS):
                value = entry[key]
                text = audit_text.when(value) if key == "at" else str(value or "")
                item = QTableWidgetItem(text)
                if key == "text":
                    item.setToolTip(text)
                self.table.setItem(row, col, item)
        self.count.setText(_("{n} entries shown (newest first, at most 1,000).").format(
            n=len(self._rows)))

    def verify(self) -> None:
        """Check that no entry was edited, deleted or reordered, and say so."""
        problems = audit.verify()
        if problems:
            QMessageBox.warning(self, _("Audit trail"), "\n".join(
                _("entry {seq}: {reason}").format(seq=p.seq, reason=_(p.reason))
                for p in problems))
        else:
            QMessageBox.information(self, _("Audit trail"), _("The audit trail is intact."))

    def export(self) -> None:
        """Write the entries matching the filters to an Excel workbook."""
        path, _selected = QFileDialog.getSaveFileName(self, _("Export to Excel…"),
                                                      "audit.xlsx", "Excel (*.xlsx)")
        if path:
            count = audit.export_entries(self._actor, self._filter(), Path(path))
            QMessageBox.information(self, _("Audit trail"),
                                    _("{n} entries written.").format(n=count))


def install(window: object) -> None:
    """Add the audit page for managers."""
    if may(window.actor, Duty.READ_AUDIT):  # type: ignore[attr-defined]
        page = AuditPage(window.actor, window)  # type: ignore[attr-defined]
        window.add_page(page, _("Audit trail"))  # type: ignore[attr-defined]

"""The manager's view of the audit trail: filter by person, archive, action and dates; export."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QAbstractItemView,
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
from crmdesk.services import audit
from crmdesk.services.context import Actor
from crmdesk.services.visibility import Duty, may

COLUMNS = ("seq", "at", "person", "action", "archive_no", "details")


class AuditPage(QWidget):
    """Audit entries newest first, with filters, a chain check and export to Excel."""

    def __init__(self, actor: Actor | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._actor = actor
        self.person = QLineEdit(self)
        self.person.setPlaceholderText(_("Who"))
        self.archive_no = QLineEdit(self)
        self.archive_no.setPlaceholderText(_("Archive no."))
        self.action = QLineEdit(self)
        self.action.setPlaceholderText(_("Action, e.g. update"))
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
        for widget in (self.person, self.archive_no, self.action, QLabel(_("From"), self),
                       self.start, QLabel(_("to"), self), self.end, show, check, export):
            filters.addWidget(widget)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels(audit_headers())
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(
            len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table)
        self._rows: list[dict] = []

    def _filter(self) -> audit.AuditFilter:
        return audit.AuditFilter(
            person=self.person.text().strip() or None,
            archive_no=self.archive_no.text().strip().upper() or None,
            action=self.action.text().strip() or None,
            start=self.start.date().toPython(), end=self.end.date().toPython())

    def reload(self) -> None:
        """Show the entries matching the filters."""
        try:
            self._rows = audit.entries(self._actor, self._filter())
        except CrmError as exc:
            QMessageBox.warning(self, _("Audit trail"), str(exc))
            return
        self.table.setRowCount(len(self._rows))
        for row, entry in enumerate(self._rows):
            for col, key in enumerate(COLUMNS):
                value = entry[key]
                text = json.dumps(value, ensure_ascii=False) if key == "details" else (
                    value.isoformat(sep=" ") if isinstance(value, dt.datetime) else
                    str(value or ""))
                self.table.setItem(row, col, QTableWidgetItem(text))

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

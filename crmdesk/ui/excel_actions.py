"""The Excel menu: import customers, the import history (undo), the template, and the exports
(customers, the register of visits and calls, communication logs, the overdue list).

Import and its history are for those with the import duty, export for those with the export
duty (both managers). Every file is read or written as an operation of the window, with
progress and Cancel; the list and the pages follow the change events of an import or an undo.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QInputDialog,
    QWidget,
)

from crmdesk.i18n import _
from crmdesk.progress import Job
from crmdesk.services.exports import approval
from crmdesk.services.exports.approval import ApprovalNeeded
from crmdesk.services.exports.export import ExportRequest, export
from crmdesk.services.exports.template import write_import_template
from crmdesk.services.search import ListQuery
from crmdesk.services.visibility import Duty, may
from crmdesk.ui.operations import Operation

if TYPE_CHECKING:
    from crmdesk.ui.dialogs.import_history import ImportHistoryDialog
    from crmdesk.ui.dialogs.import_wizard import ImportWizard
    from crmdesk.ui.main_window import MainWindow

# The import dialogs bring the workbook readers with them: they load when first opened, not
# with the window.

XLSX, CSV = ".xlsx", ".csv"


def _opened(window: MainWindow, dialog: QWidget) -> None:
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()  # window-modal, and the event loop goes on (the worker reports back)


def import_customers(window: MainWindow) -> ImportWizard | None:
    """Ask for a spreadsheet and open the import wizard on it."""
    from crmdesk.ui.dialogs.import_wizard import ImportWizard, spreadsheet_filter

    name, _selected = QFileDialog.getOpenFileName(window, _("Import customers from"), "",
                                                  spreadsheet_filter())
    if not name:
        return None
    wizard = ImportWizard(window.tasks, window.actor, window)
    wizard.summary.open_customer.connect(window.show_customer)
    wizard.open_file(Path(name))
    _opened(window, wizard)
    return wizard


def show_import_history(window: MainWindow) -> ImportHistoryDialog:
    """List the imports, with Undo."""
    from crmdesk.ui.dialogs.import_history import ImportHistoryDialog

    dialog = ImportHistoryDialog(window.tasks, window.actor, window)
    _opened(window, dialog)
    return dialog


def _save_path(window: MainWindow, title: str, suggested: str, filters: str) -> Path | None:
    """Ask where to save; a name typed without a known ending gets the chosen filter's."""
    name, selected = QFileDialog.getSaveFileName(window, title, suggested, filters)
    if not name:
        return None
    path = Path(name)
    if path.suffix.lower() in (XLSX, CSV):
        return path
    return Path(name + (CSV if f"*{CSV}" in selected else XLSX))


def _status(window: MainWindow, text: str) -> None:
    window.statusBar().showMessage(text, 10000)


def _export(window: MainWindow, request: ExportRequest, title: str, suggested: str,
            busy: str) -> Operation | None:
    """Ask where to save, then write the export as an operation with progress and Cancel;
    returns the operation (None when no file was chosen)."""
    path = _save_path(window, title, suggested.format(day=dt.date.today().isoformat()),
                      _("Excel workbook (*.xlsx);;CSV, UTF-8 (*.csv)"))
    if path is None:
        return None
    actor = window.actor

    def work(job: Job) -> int:
        return export(path, request, actor, job, job)

    done = (_("{n} customers written to {file}.") if request.what == "customers"
            else _("{n} rows written to {file}."))

    def failed(error: Exception) -> None:
        if isinstance(error, ApprovalNeeded):
            ask_approval(window, request, error)
        else:
            window.tasks.fail(error, title)

    return window.tasks.start(busy, work, lambda count: (
        _status(window, done.format(n=count, file=path))), cancellable=True, title=title,
        on_error=failed)


def export_sales(window: MainWindow) -> Operation | None:
    """Export the yearly sales of the organisations the list shows now (a sheet of its own)."""
    request = ExportRequest("sales_by_year", ListQuery(
        text=window.customers.search.text(), office_value=window.customers.office_filter.wanted()))
    return _export(window, request, _("Export sales by year"), _("sales by year {day}.xlsx"),
                   _("Exporting sales by year…"))


def ask_approval(window: MainWindow, request: ExportRequest,
                 needed: ApprovalNeeded) -> Operation | None:
    """An export that needs a second person's approval: say why, and ask for it with a
    purpose; once given, the same export goes through."""
    purpose, ok = QInputDialog.getText(
        window, _("Export approval"), str(needed) + "\n\n" + _("Purpose of the export:"))
    if not ok or not purpose.strip():
        return None
    actor = window.actor
    return window.tasks.run(
        lambda: approval.ask(request.what, request.query, purpose, actor),
        lambda approval_id: _status(window, _(
            "Approval {id} asked for: export again once another manager or an administrator "
            "gave it.").format(id=approval_id)), title=_("Export approval"))


def export_customers(window: MainWindow) -> Operation | None:
    """Export the customers the list shows now (its search applied) to .xlsx or .csv."""
    request = ExportRequest("customers", ListQuery(
        text=window.customers.search.text(), office_value=window.customers.office_filter.wanted()))
    return _export(window, request, _("Export customers"), _("customers {day}.xlsx"),
            _("Exporting customers…"))


def export_communications(window: MainWindow) -> Operation | None:
    """Export the communication logs of the customers the list shows now."""
    request = ExportRequest("communications", ListQuery(
        text=window.customers.search.text(), office_value=window.customers.office_filter.wanted()))
    return _export(window, request, _("Export communications"), _("communications {day}.xlsx"),
            _("Exporting communications…"))


def export_overdue(window: MainWindow) -> Operation | None:
    """Export today's overdue follow-up list."""
    return _export(window, ExportRequest("overdue"), _("Export the overdue list"),
            _("overdue {day}.xlsx"), _("Exporting the overdue list…"))


def export_visits(window: MainWindow) -> Operation | None:
    """Ask for the days, then export the register of visits and calls."""
    days = ask_days(window, _("Export visits and calls"))
    if days is None:
        return None
    return _export(window, ExportRequest("visits", start=days[0], end=days[1]),
            _("Export visits and calls"), _("visits {day}.xlsx"), _("Exporting visits…"))


def ask_days(window: QWidget, title: str) -> tuple[dt.date, dt.date] | None:
    """The first and last day of a range, this month so far by default; None if cancelled."""
    dialog = QDialog(window)
    dialog.setWindowTitle(title)
    today = QDate.currentDate()
    start, end = QDateEdit(QDate(today.year(), today.month(), 1), dialog), QDateEdit(today, dialog)
    for edit in (start, end):
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
    end.setMinimumDate(start.date())
    start.dateChanged.connect(end.setMinimumDate)
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dialog)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    form = QFormLayout(dialog)
    form.addRow(_("From"), start)
    form.addRow(_("to"), end)
    form.addRow(buttons)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return start.date().toPython(), end.date().toPython()


def save_template(window: MainWindow) -> Operation | None:
    """Write the import template (.xlsx) with this office's levels, staff and own fields;
    returns the operation (None when no file was chosen)."""
    path = _save_path(window, _("Save import template"), _("import template.xlsx"),
                      _("Excel workbook (*.xlsx)"))
    if path is None:
        return None

    def work(_job: Job) -> Path:
        write_import_template(path)
        return path

    return window.tasks.start(_("Saving the import template…"), work,
                              lambda saved: _status(window, _(
                                  "Template written to {file}.").format(file=saved)),
                              title=_("Save import template"))


def import_sales(window: MainWindow) -> Operation | None:
    """Ask for a workbook of sales by year and import it (see ``sales_by_year_actions``)."""
    from crmdesk.ui import sales_by_year_actions

    return sales_by_year_actions.import_sales(window)


def install(window: MainWindow) -> None:
    """Add the Excel menu, with the entries the user's roles allow."""
    entries = []
    if may(window.actor, Duty.IMPORT):
        entries += [(_("Import customers…"), import_customers, "importCustomers"),
                    (_("Import history…"), show_import_history, "importHistory"),
                    (_("Save import template…"), save_template, "importTemplate"),
                    (_("Import sales by year…"), import_sales, "importSalesByYear")]
    if may(window.actor, Duty.EXPORT):
        entries += [(_("Export customers…"), export_customers, "exportCustomers"),
                    (_("Export visits and calls…"), export_visits, "exportVisits"),
                    (_("Export communications…"), export_communications,
                     "exportCommunications"),
                    (_("Export the overdue list…"), export_overdue, "exportOverdue"),
                    (_("Export sales by year…"), export_sales, "exportSalesByYear")]
    if not entries:
        return
    menu = window.menuBar().addMenu(_("E&xcel"))
    menu.setObjectName("excelMenu")
    for text, slot, name in entries:
        if name == "exportCustomers" and menu.actions():
            menu.addSeparator()
        menu.addAction(window.action(text, lambda _c=False, f=slot: f(window), None, name))

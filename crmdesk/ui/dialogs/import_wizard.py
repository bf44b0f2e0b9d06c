"""Importing customers from a spreadsheet, step by step: columns, dry run, preview, commit.

The file is read, checked and committed on the window's background worker with a progress bar
and Cancel; a cancel writes nothing (the commit is one transaction). Files the guards refuse
(damaged, protected, too big, not a spreadsheet) are explained in a message and change nothing.
The mapping is remembered for files with the same headers once an import went through.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from crmdesk.i18n import _
from crmdesk.importers.mapping import ColumnMapping
from crmdesk.importers.preview import Policy, Preview
from crmdesk.progress import Cancelled, Job
from crmdesk.services.context import Actor
from crmdesk.services.imports.commit import ImportResult, commit_import
from crmdesk.services.imports.dry_run import ImportOptions, preview_import, sheet_head
from crmdesk.services.imports.mappings import guess_mapping, mapping_targets, remember_mapping
from crmdesk.services.imports.rejected import write_error_workbook
from crmdesk.services.search import LIST_COLUMNS, list_rows
from crmdesk.ui.dialogs.import_mapping import MappingPage
from crmdesk.ui.dialogs.import_preview import PreviewPage
from crmdesk.ui.dialogs.import_progress import WorkingPage
from crmdesk.ui.operations import Operation, Operations
from crmdesk.ui.rows_table import RowsTable
from crmdesk.ui.screen_fit import fitted_size

SPREADSHEETS = "*.xlsx *.xlsm *.xls *.ods *.csv"


def spreadsheet_filter() -> str:
    """The file dialog filter for files crmdesk can import."""
    return _("Spreadsheets ({patterns});;All files (*)").format(patterns=SPREADSHEETS)


def rejected_rows_name(preview: Preview) -> str:
    """The suggested file name for the rejected rows of ``preview``."""
    return _("{name} - rejected rows.xlsx").format(name=preview.path.stem)


# The archives an import created that its summary lists (a larger import says how many more).
SUMMARY_ROWS = 500


class SummaryPage(QWidget):
    """What the import did, the archives it created, and the rejected rows to save for fixing.

    ``open_customer`` fires with the id of a created archive the user double-clicks.
    """

    open_customer = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = QLabel(self)
        self.text.setObjectName("importSummary")
        self.text.setWordWrap(True)
        self.created_title = QLabel(self)
        self.created = RowsTable([_("Archive no."), _("Name"), _("Mobile"), _("Company"),
                                  _("Salesperson")], self, stretch=3,
                                 empty=_("No archive was created."))
        self.created.setObjectName("createdArchives")
        self.created.chosen.connect(self._chosen)
        self.save = QPushButton(_("Save rejected rows…"), self)
        row = QHBoxLayout()
        row.addWidget(self.save)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(self.created_title)
        layout.addWidget(self.created, 1)
        layout.addLayout(row)

    def _chosen(self, customer_id: int | None) -> None:
        if customer_id is not None:
            self.open_customer.emit(customer_id)

    def show_created(self, total: int, rows: dict[int, tuple[str, ...]]) -> None:
        """List the archives created (``rows``: list rows by id, the first of ``total``)."""
        columns = [LIST_COLUMNS.index(c) for c in ("archive_no", "name", "mobile", "company",
                                                   "owner")]
        self.created.set_rows([(cid, [row[i] for i in columns]) for cid, row in rows.items()])
        title = _("Archives created (double-click one to open its card):")
        if total > len(rows):
            title += " " + _("the first {shown} of {total}.").format(shown=len(rows),
                                                                      total=total)
        self.created_title.setText(title)


class ImportWizard(QDialog):
    """The import, from choosing the columns to the summary; ``imported`` fires after a commit."""

    imported = Signal(object)  # ImportResult

    def __init__(self, tasks: Operations, actor: Actor | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Import customers from a spreadsheet"))
        self.setObjectName("importWizard")
        self._tasks, self._actor = tasks, actor
        self.path: Path | None = None
        self.sheet: str | None = None
        self.preview: Preview | None = None
        self.result: ImportResult | None = None
        self._operation: Operation | None = None
        self._close_when_idle = False
        self.heading = QLabel(self)
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.heading.setFont(font)
        self.mapping_page = MappingPage(self)
        self.mapping_page.sheet_chosen.connect(self.read_sheet)
        self.mapping_page.choose_file.connect(self.choose_file)
        self.working = WorkingPage(self)
        self.working.cancel.clicked.connect(self.cancel_work)
        self.preview_page = PreviewPage(self)
        self.preview_page.save_rejected.connect(self.save_rejected)
        self.summary = SummaryPage(self)
        self.summary.save.clicked.connect(self.save_rejected)
        self.pages = QStackedWidget(self)
        for page in (self.mapping_page, self.working, self.preview_page, self.summary):
            self.pages.addWidget(page)
        self.note = QLabel(self)
        self.back_button = QPushButton(_("< Back to the columns"), self)
        self.back_button.clicked.connect(lambda: self._show(self.mapping_page))
        self.next_button = QPushButton(self)
        self.next_button.setDefault(True)
        self.next_button.clicked.connect(self._next)
        self.close_button = QPushButton(_("Close"), self)
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.note, 1)
        for button in (self.back_button, self.next_button, self.close_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.pages, 1)
        layout.addLayout(buttons)
        self._show(self.mapping_page)
        self.next_button.setEnabled(False)
        self.resize(fitted_size(self, QSize(1200, 760)))

    # -- steps --------------------------------------------------------------------------------

    def _show(self, page: QWidget) -> None:
        self.pages.setCurrentWidget(page)
        heading = {
            self.mapping_page: _("Step 1 of 3: which column fills which card field"),
            self.working: self.heading.text(),
            self.preview_page: _("Step 2 of 3: check what the import will do (nothing is "
                                 "written yet)"),
            self.summary: _("Step 3 of 3: done"),
        }[page]
        self.heading.setText(heading)
        self.back_button.setVisible(page is self.preview_page)
        self.next_button.setVisible(page in (self.mapping_page, self.preview_page))
        self.next_button.setText(_("Import") if page is self.preview_page
                                 else _("Check the rows >"))
        self.next_button.setEnabled(page is not self.mapping_page or self.path is not None)

    def _next(self) -> None:
        if self.pages.currentWidget() is self.mapping_page:
            self.start_dry_run()
        else:
            self.start_commit()

    def busy(self) -> bool:
        """True while the worker reads, checks or imports for this wizard."""
        return self._operation is not None

    def _run(self, work: Callable[[Job], Any], done: Callable[[Any], None],
             failed: Callable[[Exception], None]) -> None:
        """Run ``work(job)`` as an operation (its progress on the working page, no window of
        its own); ``done`` or ``failed`` follow on this thread."""

        def finish(outcome: Callable[[], None]) -> None:
            self._operation = None
            outcome()
            if self._close_when_idle and not self.busy():
                self._close_when_idle = False
                if self.pages.currentWidget() is not self.summary:
                    super(ImportWizard, self).reject()

        operation = self._tasks.start(None, work, lambda result: finish(lambda: done(result)),
                                      on_error=lambda error: finish(lambda: failed(error)),
                                      parent=self)
        if operation.is_running():
            self._operation = operation
            operation.moved.connect(self.working.show_progress)

    def cancel_work(self) -> None:
        """Ask the running dry run or commit to stop; it writes nothing."""
        if self._operation is not None:
            self._operation.cancel()
            self.working.cancel.setEnabled(False)
            self.note.setText(_("Cancelling…"))

    # -- the file and its columns -------------------------------------------------------------

    def choose_file(self) -> None:
        """Ask for a spreadsheet and read its columns."""
        name, _selected = QFileDialog.getOpenFileName(
            self, _("Import customers from"), str(self.path.parent) if self.path else "",
            spreadsheet_filter())
        if name:
            self.open_file(Path(name))

    def open_file(self, path: Path | str) -> None:
        """Read the first rows of ``path`` (in the background) and guess the mapping."""
        self._read(Path(path), None)

    def read_sheet(self, sheet: str) -> None:
        """Show another sheet of the file."""
        if self.path is not None:
            self._read(self.path, sheet)

    def _read(self, path: Path, sheet: str | None) -> None:
        if self.busy():
            return
        self.note.setText(_("Reading {name}…").format(name=path.name))
        self.next_button.setEnabled(False)

        Found = tuple[list[str], str, list[list[Any]], ColumnMapping, list[tuple[str, str]]]

        def work(_job: Job) -> Found:
            names, chosen, head = sheet_head(path, sheet)
            return names, chosen, head, guess_mapping(head), mapping_targets()

        def done(found: Found) -> None:
            names, chosen, head, mapping, targets = found
            self.path, self.sheet, self.preview = path, chosen, None
            self.mapping_page.show_head(path.name, names, chosen, head, mapping, targets)
            self.note.clear()
            self._show(self.mapping_page)

        def failed(error: Exception) -> None:
            self.note.clear()
            self.next_button.setEnabled(self.path is not None)
            self._tasks.fail(error, _("This file cannot be imported"), self)

        self._run(work, done, failed)

    # -- dry run ------------------------------------------------------------------------------

    def start_dry_run(self) -> None:
        """Check every row with the chosen mapping, writing nothing, then show the preview."""
        if self.path is None or self.busy():
            return
        owners = self.mapping_page.owners()
        if self.mapping_page.in_turn.isChecked() and not owners:
            QMessageBox.information(self, _("Owner of the new customers"),
                                    _("Tick at least one salesperson to share the customers."))
            return
        path, actor = self.path, self._actor
        policy = Policy(self.preview_page.policy.currentData())
        options = ImportOptions(self.sheet, self.mapping_page.mapping(), policy, owners)
        self.working.start(_("Checking every row of {name}…").format(name=path.name))
        self._show(self.working)
        self.note.clear()

        def done(preview: Preview) -> None:
            self.preview = preview
            self.preview_page.set_preview(preview)
            self._show(self.preview_page)

        self._run(lambda job: preview_import(path, actor, options, job, job),
                  done, lambda error: self._stopped(error, self.mapping_page,
                                                    _("The rows were not checked")))

    def _stopped(self, error: Exception, page: QWidget, title: str) -> None:
        self._show(page)
        if isinstance(error, Cancelled):
            self.note.setText(str(error))
        else:
            self.note.clear()
            self._tasks.fail(error, title, self)

    # -- commit -------------------------------------------------------------------------------

    def start_commit(self) -> None:
        """Write the accepted rows in one transaction, in the background, then sum up."""
        preview, actor = self.preview, self._actor
        if preview is None or self.busy():
            return
        counts = preview.counts()
        if not counts.create and not counts.update:
            QMessageBox.information(self, _("Nothing to import"), _(
                "No row would create or update an archive; change the choices or the file."))
            return
        self.working.start(_("Importing {n} rows from {name}…").format(
            n=counts.create + counts.update, name=preview.file_name))
        self._show(self.working)
        self.note.clear()

        def work(job: Job) -> tuple[ImportResult, dict[int, tuple[str, ...]]]:
            result = commit_import(preview, actor, job, job)
            remember_mapping(preview.mapping)  # confirmed by a real import
            return result, list_rows(list(result.customer_ids[:SUMMARY_ROWS]), actor)

        self._run(work, self._committed, lambda error: self._stopped(
            error, self.preview_page, _("Nothing was imported")))

    def _committed(self, outcome: tuple[ImportResult, dict[int, tuple[str, ...]]]) -> None:
        result, created = outcome
        self.result = result
        text = _("Import {id} is done: {created} archives created, {updated} updated, "
                 "{skipped} rows skipped, {rejected} rejected.").format(
            id=result.batch_id, created=result.created, updated=result.updated,
            skipped=result.skipped, rejected=result.rejected)
        text += "\n\n" + _("It can be undone under Import history… as long as its archives "
                           "are not changed.")
        self.summary.text.setText(text)
        self.summary.save.setVisible(result.rejected > 0)
        self.summary.show_created(result.created, created)
        self._show(self.summary)
        self.imported.emit(result)

    # -- rejected rows ------------------------------------------------------------------------

    def save_rejected(self) -> None:
        """Write the rejected rows, with their reasons, to a workbook the user chooses."""
        preview = self.preview
        if preview is None or self.busy():
            return
        name, _selected = QFileDialog.getSaveFileName(
            self, _("Save rejected rows"), str(preview.path.with_name(rejected_rows_name(preview))),
            _("Excel workbook (*.xlsx)"))
        if not name:
            return
        path = Path(name) if name.lower().endswith(".xlsx") else Path(name + ".xlsx")

        def done(count: int) -> None:
            self.note.setText(_("{n} rejected rows saved to {name}.").format(
                n=count, name=path.name))

        self._run(lambda _job: write_error_workbook(preview, path), done,
                  lambda error: self._tasks.fail(error, _("Rejected rows not saved"), self))

    # -- closing ------------------------------------------------------------------------------

    def reject(self) -> None:
        """Close (Close, Esc, the title bar); while work runs, cancel it first, close after."""
        if self.busy():
            self._close_when_idle = True
            self.cancel_work()
            return
        super().reject()

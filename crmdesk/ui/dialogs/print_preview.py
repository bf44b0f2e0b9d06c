"""Print preview: the actual PDF, page by page, with zoom, save as PDF and print."""
from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, QStandardPaths, QTimer
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from crmdesk.i18n import _
from crmdesk.services.documents import Printout
from crmdesk.ui.operations import RENDER, Operation, Operations
from crmdesk.ui.screen_fit import fitted_size

ZOOM_STEP = 1.25
# Characters no file name may hold on Windows, macOS or Linux.
_NOT_IN_FILE_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def default_pdf_path(title: str) -> Path:
    """Where a PDF is offered to be saved: the user's documents folder, named after ``title``."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    stem = _NOT_IN_FILE_NAMES.sub("_", title).strip(" ._") or "crmdesk"
    return Path(folder or Path.home()) / f"{stem}.pdf"


class PrintPreview(QDialog):
    """Shows a PDF made by crmdesk; the user may save it or send it to a printer."""

    def __init__(self, data: bytes, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.data = data
        self._buffer = QBuffer(self)
        self._buffer.setData(QByteArray(data))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument(self)
        self.document.load(self._buffer)
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.page_label = QLabel(self)
        navigator = self.view.pageNavigator()
        navigator.currentPageChanged.connect(self._show_page)
        bar = QHBoxLayout()
        for text, slot in ((_("Previous page"), self.previous_page),
                           (_("Next page"), self.next_page),
                           (_("Zoom in"), lambda: self._zoom(ZOOM_STEP)),
                           (_("Zoom out"), lambda: self._zoom(1 / ZOOM_STEP)),
                           (_("Fit width"), self.fit_width)):
            button = QPushButton(text, self)
            button.clicked.connect(slot)
            bar.addWidget(button)
        bar.addWidget(self.page_label, 1)
        for text, slot in ((_("Save as PDF…"), self.save_as), (_("Print…"), self.print_),
                           (_("Close"), self.reject)):
            button = QPushButton(text, self)
            button.clicked.connect(slot)
            bar.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.view)
        self._show_page(0)
        self.resize(fitted_size(self, QSize(900, 1000)))

    def page_count(self) -> int:
        return self.document.pageCount()

    def _show_page(self, page: int) -> None:
        self.page_label.setText(_("Page {page} of {pages}").format(
            page=page + 1, pages=self.page_count()))

    def go_to(self, page: int) -> None:
        """Show page ``page`` (0-based), within the document."""
        page = max(0, min(page, self.page_count() - 1))
        self.view.pageNavigator().jump(page, self.view.pageNavigator().currentLocation())
        self._show_page(page)

    def previous_page(self) -> None:
        self.go_to(self.view.pageNavigator().currentPage() - 1)

    def next_page(self) -> None:
        self.go_to(self.view.pageNavigator().currentPage() + 1)

    def _zoom(self, factor: float) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(self.view.zoomFactor() * factor)

    def fit_width(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

    def save_as(self) -> None:
        """Write the PDF where the user chooses."""
        path, _selected = QFileDialog.getSaveFileName(
            self, _("Save as PDF…"), str(default_pdf_path(self.windowTitle())),
            _("PDF documents (*.pdf)"))
        if path:
            from crmdesk.printing.render import write_pdf

            write_pdf(self.data, path)

    def print_(self) -> None:
        """Send every page to a printer chosen in the system dialog (paper, duplex there)."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.print_to(printer)

    def print_to(self, printer: QPrinter) -> None:
        """Paint every page onto ``printer``, each scaled to the printable area."""
        painter = QPainter(printer)
        area = printer.pageLayout().paintRectPixels(printer.resolution())
        for page in range(self.page_count()):
            if page:
                printer.newPage()
            points = self.document.pagePointSize(page)
            scale = min(area.width() / points.width(), area.height() / points.height())
            size = QSize(int(points.width() * scale), int(points.height() * scale))
            painter.drawImage(0, 0, self.document.render(page, size))
        painter.end()


def preview(parent: QWidget, operations: Operations, title: str,
            gather: Callable[[], Printout]) -> None:
    """Gather a printout on the archive's worker, render it on the render worker (the window
    and its searches go on meanwhile), then show the preview.

    Cancel abandons the printout: what is still being made is thrown away when it arrives.
    """
    label = _("Preparing {title}…").format(title=title)
    running: list[Operation] = []

    def abandoned() -> bool:
        return any(operation.job.is_set() for operation in running)

    def show(data: bytes) -> None:
        if not abandoned():  # the preview's own event loop runs after the operation is over
            QTimer.singleShot(0, parent, lambda: PrintPreview(data, title, parent).exec())

    def render(printout: Printout) -> None:
        if not abandoned():
            running.append(operations.start(
                label, lambda _job: printout.render(), show, cancellable=True, modal=False,
                title=title, worker=RENDER, parent=parent))

    running.append(operations.start(label, lambda _job: gather(), render, cancellable=True,
                                    modal=False, title=title, parent=parent))

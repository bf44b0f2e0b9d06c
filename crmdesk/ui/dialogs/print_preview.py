"""Print preview: the actual PDF, page by page, with zoom, save as PDF and print."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from crmdesk.i18n import _
from crmdesk.ui.tasks import TaskRunner

ZOOM_STEP = 1.25


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
        for text, slot in ((_("Save as PDF…"), self.save_as), (_("Print…"), self.print_)):
            button = QPushButton(text, self)
            button.clicked.connect(slot)
            bar.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.view)
        self._show_page(0)
        self.resize(900, 1000)

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
        path, _selected = QFileDialog.getSaveFileName(self, _("Save as PDF…"),
                                                      f"{self.windowTitle()}.pdf", "PDF (*.pdf)")
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


def preview(parent: QWidget, tasks: TaskRunner, title: str, make: Callable[[], bytes]) -> None:
    """Build a PDF in the background (the window stays usable), then show the preview.

    Cancel abandons the printout: the result is thrown away when it arrives.
    """
    progress = QProgressDialog(_("Preparing {title}…").format(title=title), _("Cancel"), 0, 0,
                               parent)
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(300)

    def show(data: bytes) -> None:
        cancelled = progress.wasCanceled()  # read first: closing the dialog counts as cancel
        progress.close()
        if not cancelled:
            PrintPreview(data, title, parent).exec()

    def failed(error: object) -> None:
        progress.close()
        QMessageBox.warning(parent, title, str(error))

    tasks.run(make, show, on_error=failed)

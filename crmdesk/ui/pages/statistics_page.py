"""The statistics page (统计报表): the manager's reports for a period, as a table and a chart.

Choose the report, the period, the grouping and (managers) one salesperson; the report is read
off the UI thread and its sections shown one at a time, table above chart. Clicking a number
lists what it counts beside the table; a double-click there opens the card. The report shown
prints (preview first) and exports to Excel with its charts. A salesperson sees their own
figures; a manager the office's or one salesperson's.
"""
from __future__ import annotations

import datetime as dt
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTabBar,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from crmdesk.i18n import _
from crmdesk.services import statistics
from crmdesk.services.staff import active_staff
from crmdesk.services.statistics.documents import headings, report_printout, write_report
from crmdesk.services.statistics.report import Figure, Report
from crmdesk.services.visibility import Duty, may
from crmdesk.ui.dialogs.print_preview import default_pdf_path, preview
from crmdesk.ui.operations import Operation
from crmdesk.ui.pages.statistics_drill import DrillList
from crmdesk.ui.pages.statistics_period import PeriodPicker
from crmdesk.ui.pages.statistics_table import ReportTableModel

if TYPE_CHECKING:
    from crmdesk.ui.main_window import MainWindow
    from crmdesk.ui.pages.statistics_chart import ReportChart

# Controls changed in quick succession (a date typed digit by digit) read the report once.
SETTLE_MS = 400
CHART_HEIGHT = 220  # the chart's least height (statistics_chart.ReportChart)


def groupings() -> tuple[tuple[str | None, str], ...]:
    """(key, label) of the groupings, the report's own first."""
    return ((None, _("Usual grouping")), ("day", _("By day")), ("week", _("By week")),
            ("month", _("By month")), ("quarter", _("By quarter")), ("year", _("By year")))


class StatisticsPage(QWidget):
    """Reports with their period, grouping and salesperson; table, chart and drill list."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setObjectName("statisticsPage")
        self._window, self._actor = window, window.actor
        self.report: Report | None = None
        self.report_name = QComboBox(self)
        self.report_name.setObjectName("reportName")
        for kind in statistics.available_reports():
            self.report_name.addItem(_(kind.title), kind.name)
        self.period = PeriodPicker(dt.date.today(), self)
        self.grouping = QComboBox(self)
        self.grouping.setObjectName("grouping")
        for key, label in groupings():
            self.grouping.addItem(label, key)
        self.salesperson = QComboBox(self)
        self.salesperson.setObjectName("salesperson")
        self.salesperson.addItem(_("Whole office"), None)
        self._office = may(self._actor, Duty.READ_OFFICE_STATISTICS)
        self.salesperson.setVisible(self._office)
        self.refresh_button = self._button(_("Refresh"), self.refresh)
        self.print_button = self._button(_("Print…"), self.print_report)
        self.export_button = self._button(_("Export to Excel…"), self.export_report)
        top = QHBoxLayout()
        for widget in (self.report_name, self.period, self.grouping, self.salesperson):
            top.addWidget(widget)
        top.addStretch(1)
        for button in (self.refresh_button, self.print_button, self.export_button):
            top.addWidget(button)
        self.heading = QLabel(self)
        self.heading.setObjectName("reportHeading")
        self.heading.setWordWrap(True)
        self.sections = QTabBar(self)
        self.sections.setObjectName("reportSections")
        self.sections.setExpanding(False)
        self.sections.currentChanged.connect(self._show_section)
        self.model = ReportTableModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("reportTable")
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.clicked.connect(self.drill)
        charted = QSplitter(Qt.Orientation.Vertical, self)
        charted.addWidget(self.table)
        place = QWidget(self)  # the chart's, until a report shows (see ``chart``)
        place.setMinimumHeight(CHART_HEIGHT)
        charted.addWidget(place)
        charted.setSizes([300, 260])
        self._charted = charted
        self._chart: ReportChart | None = None
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.sections)
        left_layout.addWidget(charted, 1)
        self.drill_list = DrillList(self)
        self.drill_list.open_customer.connect(window.show_customer)
        body = QSplitter(Qt.Orientation.Horizontal, self)
        body.addWidget(left)
        body.addWidget(self.drill_list)
        body.setStretchFactor(0, 3)
        body.setStretchFactor(1, 2)
        body.setSizes([820, 520])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.heading)
        layout.addWidget(body, 1)
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self.refresh)
        for combo in (self.report_name, self.grouping, self.salesperson):
            combo.currentIndexChanged.connect(self._settle.start)
        self.period.changed.connect(self._settle.start)
        self._staff_read = False
        self._set_report(None)

    @property
    def chart(self) -> ReportChart:
        """The bar chart under the table, made when a report first shows: Qt's chart module
        loads only then, not with the window."""
        if self._chart is None:
            from crmdesk.ui.pages.statistics_chart import ReportChart

            self._chart = ReportChart(self)
            self._charted.replaceWidget(1, self._chart).deleteLater()
        return self._chart

    def _button(self, text: str, slot: object) -> QPushButton:
        button = QPushButton(text, self)
        button.clicked.connect(slot)
        return button

    # -- reading ----------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the chosen report the first time the page is shown (later: Refresh)."""
        if not self._staff_read and self._office:
            self._staff_read = True
            self._window.tasks.run(active_staff, self._show_staff, title=_("Statistics"))
        if self.report is None:
            self.refresh()

    def _show_staff(self, people: list[tuple[int, str]]) -> None:
        self.salesperson.blockSignals(True)
        for staff_id, name in people:
            self.salesperson.addItem(name, staff_id)
        self.salesperson.blockSignals(False)

    def choose(self, report: str, kind: str = "month", day: dt.date | None = None,
               by: str | None = None, staff_id: int | None = None) -> None:
        """Set the controls (the report is read once they settle, or on ``refresh``)."""
        self.report_name.setCurrentIndex(self.report_name.findData(report))
        self.period.choose(kind, day or dt.date.today())
        self.grouping.setCurrentIndex(self.grouping.findData(by))
        self.salesperson.setCurrentIndex(max(self.salesperson.findData(staff_id), 0))

    def refresh(self) -> Operation | None:
        """Read the report the controls describe, off the UI thread."""
        self._settle.stop()
        try:
            period = self.period.period()
        except ValueError as exc:
            self.heading.setText(str(exc))
            return None
        name, by, staff_id, actor = (self.report_name.currentData(), self.grouping.currentData(),
                                     self.salesperson.currentData(), self._actor)
        self.heading.setText(_("Reading the report…"))
        return self._window.tasks.run(
            lambda: statistics.run(name, period, actor, by, staff_id), self._set_report,
            channel="statistics", on_error=self._refused, title=_("Statistics"))

    def _refused(self, error: Exception) -> None:
        self.heading.setText(str(error))
        self._window.tasks.fail(error, _("Statistics"), self)

    def _set_report(self, report: Report | None) -> None:
        self.report = report
        self.drill_list.clear()
        self.sections.blockSignals(True)
        while self.sections.count():
            self.sections.removeTab(0)
        for section in report.sections if report else ():
            self.sections.addTab(section.title)
        self.sections.blockSignals(False)
        self.print_button.setEnabled(report is not None)
        self.export_button.setEnabled(report is not None)
        if report is None:
            self.heading.setText("")
        else:
            self.heading.setText(f"<b>{escape(report.title)}</b>&nbsp;&nbsp;&nbsp;"
                                 f"{escape(headings(report)[0])}")
        self._show_section(0)

    def _show_section(self, index: int) -> None:
        section = self.report.sections[index] if self.report and 0 <= index < len(
            self.report.sections) else None
        self.model.set_section(section)
        if section is not None or self._chart is not None:
            self.chart.show_section(section)

    # -- what a figure counts ------------------------------------------------------------------

    def drill(self, index: QModelIndex) -> Operation | None:
        """List what the figure at ``index`` counts (nothing for a label or a rate)."""
        figure: Figure | None = self.model.figure(index)
        section = self.model.section
        if figure is None or section is None or not figure.drillable:
            return None
        title = f"{section.rows[index.row()][0].text()} · {section.columns[index.column()]}"
        actor = self._actor
        return self._window.tasks.run(
            lambda: statistics.drill(figure, actor),
            lambda rows: self.drill_list.show_rows(title, figure.kind, rows),
            channel="statistics-drill", title=_("Statistics"))

    # -- paper and Excel -------------------------------------------------------------------------

    def print_report(self) -> None:
        """Preview the report shown, with its charts, for printing."""
        report, actor = self.report, self._actor
        if report is not None:
            preview(self, self._window.tasks, report.title,
                    lambda: report_printout(report, actor))

    def export_report(self) -> Operation | None:
        """Write the report shown to a workbook the user names (figures and native charts)."""
        report, actor = self.report, self._actor
        if report is None:
            return None
        suggested = default_pdf_path(f"{report.title} {report.period.text()}").with_suffix(
            ".xlsx")
        name, _selected = QFileDialog.getSaveFileName(
            self, _("Export to Excel…"), str(suggested), _("Excel workbooks (*.xlsx)"))
        if not name:
            return None
        target = Path(name) if name.lower().endswith(".xlsx") else Path(name + ".xlsx")
        return self._window.tasks.start(
            _("Exporting {title}…").format(title=report.title),
            lambda _job: write_report(report, target, actor),
            lambda _result: self._window.statusBar().showMessage(
                _("Written to {path}").format(path=target), 10000),
            title=_("Export to Excel…"), parent=self)


def install(window: MainWindow) -> StatisticsPage | None:
    """Add the statistics page for managers (the office) and salespeople (their own)."""
    if not may(window.actor, Duty.READ_OWN_STATISTICS):
        return None
    page = StatisticsPage(window)
    window.add_page(page, _("Statistics"))
    return page

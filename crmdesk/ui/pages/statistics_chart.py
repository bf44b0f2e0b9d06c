"""A bar chart of one report section (QtCharts): one bar group per row, the total left out, one
bar series per column the section charts (visits and calls, archives and deals, ...)."""
from __future__ import annotations

import math

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QWidget

from crmdesk.i18n import _
from crmdesk.services.statistics.report import Figure, Section

# Beyond this many groups the labels stand on end so each stays readable.
UPRIGHT_AFTER = 8
LABEL_CHARS = 10
TICKS = 5


def _number(figure: Figure) -> float:
    return float(figure.value) if isinstance(figure.value, int | float) else 0.0


def _is_period(label: str) -> bool:
    return label[:4].isdigit() and label[4:5] == "-"


def short_labels(labels: list[str]) -> list[str]:
    """Labels short enough to stand under a bar: periods of one year without it (2026-03-05 ->
    03-05), and with many bars only their last part (05, W10); long names cut."""
    if labels and all(_is_period(label) for label in labels):
        if len(labels) > UPRIGHT_AFTER:
            return [label.rsplit("-", 1)[-1] for label in labels]
        if len({label[:5] for label in labels}) == 1 and len(labels) > 1:
            return [label[5:] for label in labels]
        return labels
    return [label if len(label) <= LABEL_CHARS else label[:LABEL_CHARS - 1] + "…"
            for label in labels]


def count_axis(top: float) -> QValueAxis:
    """A value axis from 0 past ``top`` with whole-number ticks (no 0.2 people)."""
    highest = max(1, math.ceil(top))
    raw = highest / TICKS
    power = 10 ** max(0, math.floor(math.log10(raw))) if raw >= 1 else 1
    step = next(power * f for f in (1, 2, 5, 10) if power * f >= raw)
    axis = QValueAxis()
    axis.setLabelFormat("%d")
    axis.setRange(0, step * math.ceil(highest / step))
    axis.setTickType(QValueAxis.TickType.TicksDynamic)
    axis.setTickAnchor(0)
    axis.setTickInterval(step)
    return axis


class ReportChart(QChartView):
    """Shows the chartable columns of a section as grouped bars; hidden when there are none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reportChart")
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(220)
        self.series: QBarSeries | None = None
        self.show_section(None)

    def show_section(self, section: Section | None) -> None:
        """Draw ``section`` (None or a section without chart columns: an empty chart)."""
        chart = QChart()
        chart.setMargins(QMargins(4, 4, 4, 4))
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignTop)
        self.series = None
        if section is not None and section.chart:
            rows = section.groups()
            series = QBarSeries()
            for column in section.chart:
                bars = QBarSet(section.columns[column])
                bars.append([_number(row[column]) for row in rows])
                series.append(bars)
            chart.addSeries(series)
            categories = QBarCategoryAxis()
            labels = [row[0].text() for row in rows]
            categories.append(short_labels(labels))
            if len(rows) > UPRIGHT_AFTER and not all(_is_period(label) for label in labels):
                categories.setLabelsAngle(-90)
            top = max((_number(row[c]) for row in rows for c in section.chart), default=0.0)
            values = count_axis(top)
            chart.addAxis(categories, Qt.AlignmentFlag.AlignBottom)
            chart.addAxis(values, Qt.AlignmentFlag.AlignLeft)
            series.attachAxis(categories)
            series.attachAxis(values)
            self.series = series
        else:
            chart.legend().hide()
            if section is not None:
                chart.setTitle(_("This table has no chart."))
        old = self.chart()
        self.setChart(chart)
        if old is not None:
            old.deleteLater()

    def bar_values(self) -> list[list[float]]:
        """The heights drawn, one list per series (what a reader of the chart sees)."""
        if self.series is None:
            return []
        return [[bars.at(i) for i in range(bars.count())] for bars in self.series.barSets()]

"""A statistics report on paper: each section a ruled table, with a vector bar chart of its
charted columns drawn in the bundled Chinese font (ReportLab graphics), under a running header
that names the report, period and scope."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.platypus import Flowable, Spacer, Table

from crmdesk.printing import styles
from crmdesk.printing.fonts import font_name
from crmdesk.printing.grid import Column, Grid, fit_widths
from crmdesk.printing.inputs import PrintContext
from crmdesk.printing.layout import RegisterPage, build_pdf

SERIES_COLOURS = (colors.HexColor("#4F6D8F"), colors.HexColor("#D98E3A"),
                  colors.HexColor("#6A9F58"))
CHART_HEIGHT = 150
MAX_BARS = 40


@dataclass(frozen=True)
class ChartTable:
    """One section as printing needs it: cell text, and the numbers of its charted columns."""

    title: str
    columns: Sequence[str]
    rows: Sequence[Sequence[str]]
    series: Sequence[tuple[str, Sequence[float]]] = ()  # (column heading, value per row)
    categories: Sequence[str] = ()


def bar_chart(table: ChartTable) -> Drawing:
    """A grouped bar chart of ``table.series`` over ``table.categories``."""
    font = font_name()
    width = styles.FRAME_WIDTH
    drawing = Drawing(width, CHART_HEIGHT)
    chart = VerticalBarChart()
    chart.x, chart.y = 30, 35
    chart.width, chart.height = width - 150, CHART_HEIGHT - 45
    chart.data = [list(values)[:MAX_BARS] for _name, values in table.series]
    chart.categoryAxis.categoryNames = list(table.categories)[:MAX_BARS]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 6.5
    chart.categoryAxis.labels.angle = 30 if len(table.categories) > 8 else 0
    chart.categoryAxis.labels.boxAnchor = "ne" if len(table.categories) > 8 else "n"
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    for index in range(len(table.series)):
        chart.bars[index].fillColor = SERIES_COLOURS[index % len(SERIES_COLOURS)]
        chart.bars[index].strokeColor = None
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y = width - 110, CHART_HEIGHT - 20
    legend.fontName, legend.fontSize = font, 7.5
    legend.colorNamePairs = [(SERIES_COLOURS[i % len(SERIES_COLOURS)], name)
                             for i, (name, _values) in enumerate(table.series)]
    drawing.add(legend)
    return drawing


def _section(table: ChartTable) -> list[Flowable]:
    weights = [2.2] + [1.0] * (len(table.columns) - 1)
    grid = Grid([Column(label, width, "LEFT" if i == 0 else "RIGHT") for i, (label, width)
                 in enumerate(zip(table.columns, fit_widths(weights), strict=True))])
    story: list[Flowable] = []
    body = grid.table(table.rows, header=True, heading=table.title)
    if body is not None:
        story.append(body)
    if table.series and any(any(v for v in values) for _name, values in table.series):
        story += [Spacer(0, 4), bar_chart(table)]
    return [*story, Spacer(0, 10)]


def statistics_report(title: str, period: Sequence[str], tables: Sequence[ChartTable],
                      context: PrintContext) -> bytes:
    """The report as PDF bytes: every section's table, then its chart."""
    story: list[Flowable] = []
    for table in tables:
        story += _section(table)
    return build_pdf(story, headless_page(context, title, period), title)


def headless_page(context: PrintContext, title: str, period: Sequence[str]) -> RegisterPage:
    """A running header for a printout without column headings of its own (a form, a report
    of several tables): an empty line stands in for them."""
    return RegisterPage(context, title, period, Table([[""]], colWidths=[styles.FRAME_WIDTH],
                                                      rowHeights=[2]))

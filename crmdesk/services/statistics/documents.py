"""A report on paper or in a workbook: the report's sections turned into plain tables for
``printing.statistics`` and ``exporters.statistics``, written, and audited (a print or an
export, like every copy of the archive's data)."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from crmdesk.i18n import _
from crmdesk.services import printouts
from crmdesk.services.context import Actor
from crmdesk.services.documents import Printout
from crmdesk.services.exports.export import record_export
from crmdesk.services.statistics.report import Figure, Report
from crmdesk.services.statistics.scope import scope_for

if TYPE_CHECKING:
    from crmdesk.exporters.statistics import SheetTable
    from crmdesk.printing.statistics import ChartTable

# The workbook and PDF libraries load when a report is first printed or exported: the
# statistics page shows reports without them.


def _number(figure: Figure) -> float:
    return float(figure.value) if isinstance(figure.value, int | float) else 0.0


def chart_tables(report: Report) -> list[ChartTable]:
    """The report's sections as printing takes them (the total row is left out of charts)."""
    from crmdesk.printing.statistics import ChartTable

    tables = []
    for section in report.sections:
        groups = section.groups()
        tables.append(ChartTable(
            section.title, section.columns, [[f.text() for f in row] for row in section.rows],
            [(section.columns[c], [_number(row[c]) for row in groups]) for c in section.chart],
            [row[0].text() for row in groups]))
    return tables


def _cell(figure: Figure) -> str | int | float | None:
    value = figure.value
    return value if value is None or isinstance(value, str | int | float) else float(value)


def sheet_tables(report: Report) -> list[SheetTable]:
    """The report's sections as the workbook writer takes them."""
    from crmdesk.exporters.statistics import SheetTable

    return [SheetTable(s.title, s.columns, [[_cell(f) for f in row] for row in s.rows],
                       s.chart) for s in report.sections]


def headings(report: Report) -> list[str]:
    """The period and scope lines under the report's title."""
    return [_("{period}    {scope}").format(period=report.period.text(), scope=report.scope)]


def report_printout(report: Report, actor: Actor | None) -> Printout:
    """The report ready to print (laid out later, on any thread); the printing is audited.

    Raises:
        PermissionDenied: ``actor`` may not read statistics.
    """
    from crmdesk.printing.statistics import statistics_report

    scope_for(actor)
    title, lines, tables = report.title, headings(report), chart_tables(report)
    context = printouts.print_context(actor)
    printouts.record_printed(actor, f"stats:{report.name}", start=report.period.start,
                             end=report.period.end)
    return Printout(lambda: statistics_report(title, lines, tables, context))


def report_pdf(report: Report, actor: Actor | None) -> bytes:
    """The report printed; the printing is audited."""
    return report_printout(report, actor).render()


def write_report(report: Report, target: Path, actor: Actor | None) -> None:
    """Write ``report`` to ``target``: a PDF or, for .xlsx, a workbook with charts.

    Raises:
        PermissionDenied: ``actor`` may not read statistics.
    """
    scope_for(actor)
    from crmdesk.exporters.statistics import write_statistics
    from crmdesk.output_files import writing
    from crmdesk.printing.render import write_pdf

    if target.suffix.lower() == ".xlsx":
        with writing(target):
            rows = write_statistics(target, f"{report.title} {headings(report)[0]}",
                                    sheet_tables(report))
        record_export(actor, f"stats:{report.name}", rows, target.name)
        return
    data = report_pdf(report, actor)
    with writing(target):
        write_pdf(data, target)



"""What every report returns: sections of plain rows whose figures say what they count.

A ``Figure`` is a number with, for a count, a ``Drill``: the report's reading (period,
grouping, salesperson), the row's group and the figure's key. The counts come from GROUP BY
alone; a click on a number runs the drill (``statistics.drill``) and lists the visits,
customers or complaints it counts, so a report costs the same whatever the archive's size.
The window, the printout, the workbook and ``--json`` all read the same ``Report``.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from crmdesk.i18n import _
from crmdesk.services.statistics.periods import Period


@dataclass(frozen=True)
class Reading:
    """One reading of a report: which report, for what period, grouped how, for whom (None:
    the office)."""

    report: str
    period: Period
    by: str
    staff_id: int | None

    def count(self, value: int, kind: str, key: str,
              group: Iterable[tuple[str, Any]] = ()) -> Figure:
        """A count of ``kind`` (visits, customers, complaints); a click lists what ``key``
        counts in ``group`` (the row's dimension and value, none for a total)."""
        return Figure(value, Drill(self, kind, key, tuple(group)))


@dataclass(frozen=True)
class Drill:
    """What a figure counts, as a query to run when it is clicked."""

    reading: Reading
    kind: str
    key: str
    group: tuple[tuple[str, Any], ...] = ()

    def plain(self) -> dict[str, Any]:
        """The figure's key and group as JSON-ready data."""
        return {"figure": self.key, "group": dict(self.group)}


@dataclass(frozen=True)
class Figure:
    """One cell: its value and, for a count, the drill listing what it counts."""

    value: int | float | Decimal | str | None
    drill: Drill | None = None

    @property
    def kind(self) -> str:
        """What a click lists: visits, customers or complaints ("" for a label or a rate)."""
        return self.drill.kind if self.drill else ""

    @property
    def drillable(self) -> bool:
        """True for a count with something behind it to list."""
        return self.drill is not None and bool(self.value)

    def text(self) -> str:
        """The value as a table shows it (rates as percentages, one decimal)."""
        if self.value is None:
            return "-"
        if isinstance(self.value, float):
            return f"{self.value:.1f}"
        return str(self.value)


def rate(part: int, whole: int) -> Figure:
    """``part`` of ``whole`` in percent (None when there is no whole)."""
    return Figure(round(100.0 * part / whole, 1) if whole else None)


def mean(total: float, number: int) -> Figure:
    """``total`` over ``number``, one decimal (None when there is nothing to average)."""
    return Figure(round(total / number, 1) if number else None)


@dataclass(frozen=True)
class Section:
    """One table of a report. ``chart`` lists the columns a bar chart shows (by index)."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Figure, ...], ...]
    chart: tuple[int, ...] = ()

    @property
    def has_total(self) -> bool:
        """True when the last row sums the others (reports label it "Total")."""
        return len(self.rows) > 1 and self.rows[-1][0].value == _("Total")

    def groups(self) -> tuple[tuple[Figure, ...], ...]:
        """Every row but the total: what a chart of the section shows."""
        return self.rows[:-1] if self.has_total else self.rows


@dataclass(frozen=True)
class Report:
    """A report for a period, grouped by ``by``, limited to one salesperson or not."""

    name: str
    title: str
    period: Period
    by: str
    scope: str
    sections: tuple[Section, ...] = field(default_factory=tuple)

    def plain(self) -> dict[str, Any]:
        """The report as JSON-ready data: each count with what it counts (its kind, figure
        and group), not the ids behind it, which a click on the number lists."""
        return {
            "report": self.name, "title": self.title, "from": self.period.start,
            "to": self.period.end, "by": self.by, "scope": self.scope,
            "sections": [{
                "title": s.title, "columns": list(s.columns),
                "rows": [[{"value": f.value, "kind": f.kind, **f.drill.plain()}
                          if f.drill else f.value for f in row] for row in s.rows],
            } for s in self.sections],
        }

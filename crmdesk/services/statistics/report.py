"""What every report returns: sections of plain rows whose figures carry what they count.

A ``Figure`` is a number with the ids of the records it counts (visits, customers, complaints),
so a click on it lists them; the window, the printout, the workbook and ``--json`` all read the
same ``Report``.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from crmdesk.i18n import _
from crmdesk.services.statistics.periods import Period

DRILL_KINDS = ("visits", "customers", "complaints")


@dataclass(frozen=True)
class Figure:
    """One cell: its value and, for a count, what it counts (``kind`` and ``ids``)."""

    value: int | float | Decimal | str | None
    kind: str = ""
    ids: tuple[int, ...] = ()

    @property
    def drillable(self) -> bool:
        return bool(self.kind)

    def text(self) -> str:
        """The value as a table shows it (rates as percentages, one decimal)."""
        if self.value is None:
            return "-"
        if isinstance(self.value, float):
            return f"{self.value:.1f}"
        return str(self.value)


def count(kind: str, ids: Iterable[int]) -> Figure:
    """A count of distinct ``ids`` of ``kind``, drillable to them."""
    unique = tuple(sorted(set(ids)))
    return Figure(len(unique), kind, unique)


def rate(part: int, whole: int) -> Figure:
    """``part`` of ``whole`` in percent (None when there is no whole)."""
    return Figure(round(100.0 * part / whole, 1) if whole else None)


def average(values: list[float]) -> Figure:
    """The mean of ``values``, one decimal (None when empty)."""
    return Figure(round(sum(values) / len(values), 1) if values else None)


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
        """The report as JSON-ready data (ids included, for scripts to drill down)."""
        return {
            "report": self.name, "title": self.title, "from": self.period.start,
            "to": self.period.end, "by": self.by, "scope": self.scope,
            "sections": [{
                "title": s.title, "columns": list(s.columns),
                "rows": [[{"value": f.value, "kind": f.kind, "ids": list(f.ids)}
                          if f.kind else f.value for f in row] for row in s.rows],
            } for s in self.sections],
        }

"""客户月投诉统计表 and the quarterly analysis: complaints received per month (or quarter) and
per category, how many were major, closed and overdue, the days to close them and how satisfied
the customers were afterwards."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from crmdesk.i18n import _
from crmdesk.models import Complaint, Customer
from crmdesk.models.complaints import CATEGORIES
from crmdesk.services.complaints import label
from crmdesk.services.statistics.periods import Period, bucket_label, bucket_start, buckets
from crmdesk.services.statistics.report import Figure, Report, Section, average, count, rate
from crmdesk.services.statistics.scope import Scope

SATISFIED = ("very_satisfied", "satisfied")


def _facts(period: Period, scope: Scope) -> list[tuple]:
    """(id, day received, category, severity, closed on, due on, satisfaction)."""
    query = (Complaint.select(Complaint.id, Complaint.received_at, Complaint.category,
                              Complaint.severity, Complaint.closed_on, Complaint.due_on,
                              Complaint.satisfaction, Complaint.customer)
             .join(Customer, on=(Complaint.customer == Customer.id))
             .where((Complaint.received_at >= period.first_moment)
                    & (Complaint.received_at < period.after_last_moment)))
    if scope.staff_id is not None:
        query = query.where((Complaint.handler == scope.staff_id)
                            | (Customer.owner == scope.staff_id))
    rows = []
    for cid, at, category, severity, closed, due, satisfaction, customer in query.tuples():
        if scope.counts(customer):
            day = (dt.datetime.fromisoformat(at) if isinstance(at, str) else at).date()
            rows.append((cid, day, category, severity, _date(closed), _date(due),
                         satisfaction))
    return rows


def _date(value: object) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value  # type: ignore[return-value]


def _row(name: str, rows: list[tuple], as_of: dt.date) -> tuple[Figure, ...]:
    closed = [r for r in rows if r[4] is not None]
    rated = [r for r in closed if r[6]]
    return (Figure(name), count("complaints", (r[0] for r in rows)),
            count("complaints", (r[0] for r in rows if r[3] == "major")),
            count("complaints", (r[0] for r in closed)),
            count("complaints", (r[0] for r in rows if r[4] is None and r[5] and r[5] < as_of)),
            average([float((r[4] - r[1]).days) for r in closed]),
            rate(sum(r[6] in SATISFIED for r in rated), len(rated)))


def _grouped(rows: list[tuple], key: Callable[[tuple], Any], name: Callable[[Any], str],
             as_of: dt.date, order: list[Any] | None = None) -> tuple[tuple[Figure, ...], ...]:
    groups: dict[Any, list[tuple]] = {}
    for row in rows:
        groups.setdefault(key(row), []).append(row)
    keys = order if order is not None else sorted(groups, key=lambda k: -len(groups[k]))
    return (*(_row(name(k), groups.get(k, []), as_of) for k in keys),
            _row(_("Total"), rows, as_of))


def complaint_statistics(period: Period, by: str, scope: Scope) -> Report:
    """Complaints received in ``period`` by ``by`` (month for the monthly table, quarter for
    the quarterly analysis) and by category; overdue counted at the period's end."""
    rows = _facts(period, scope)
    # Overdue as it stood at the period's end (or today, for a period still running).
    as_of = min(period.end, dt.date.today())
    head = (_("Received"), _("Major"), _("Closed"), _("Overdue"), _("Average days to close"),
            _("Satisfied %"))
    starts = [b.start for b in buckets(period, by)]
    sections = (
        Section(_("By period"), (_("Period"), *head), _grouped(
            rows, lambda r: bucket_start(r[1], by), lambda k: bucket_label(k, by), as_of,
            [bucket_start(s, by) for s in starts]), (1, 3)),
        Section(_("By category"), (_("Category"), *head), _grouped(
            rows, lambda r: r[2], lambda k: label(CATEGORIES, k), as_of), (1,)),
    )
    return Report("complaints", _("Complaint statistics"), period, by, scope.text(), sections)

"""The manager's statistics, headless: one function per report, each returning plain rows whose
figures say what they count (see ``report``), for the window, the printout, the workbook and
the command line alike.

``run`` checks who may read what (a manager the office, a salesperson their own), puts the
report on the audit trail like an export, and ``drill`` lists what a figure counts: it runs
the figure's drill, the report's own conditions narrowed to the figure, when it is clicked.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import peewee

from crmdesk.errors import CrmError
from crmdesk.i18n import N_, _
from crmdesk.models import Complaint, Customer, Level, Visit
from crmdesk.models.complaints import CATEGORIES
from crmdesk.models.db import database
from crmdesk.services import audit
from crmdesk.services.complaints import label
from crmdesk.services.context import Actor
from crmdesk.services.staff import staff_names
from crmdesk.services.statistics import (
    complaint_figures,
    conversion,
    discipline,
    growth,
    telesales,
    visitors,
)
from crmdesk.services.statistics.periods import BUCKETS, Period
from crmdesk.services.statistics.report import Drill, Figure, Report, Section
from crmdesk.services.statistics.scope import Scope, scope_for
from crmdesk.services.visit_register import channel_label

__all__ = ["REPORTS", "Figure", "Report", "Section", "available_reports", "drill", "run"]

LONG_PERIOD_DAYS = 62


@dataclass(frozen=True)
class ReportKind:
    """A report the office reads: its name on the command line, its title, how to make it
    and how to list what one of its figures counts (a query of ids); ``offered`` says whether
    the office's way of working has it (``refusal``: why not, when it does not)."""

    name: str
    title: str
    make: Callable[[Period, str, Scope], Report]
    members: Callable[[Drill, Scope], peewee.Select]
    default_by: str
    offered: Callable[[], bool] = lambda: True
    refusal: str = ""


REPORTS: dict[str, ReportKind] = {kind.name: kind for kind in (
    ReportKind(visitors.NAME, N_("Visitor and caller statistics"),
               visitors.visitor_statistics, visitors.members, "day"),
    ReportKind(conversion.NAME, N_("Deal analysis"), conversion.conversion, conversion.members,
               "week"),
    ReportKind(discipline.NAME, N_("Follow-up discipline"), discipline.follow_up_discipline,
               discipline.members, "month"),
    ReportKind(growth.NAME, N_("Archive growth"), growth.archive_growth, growth.members,
               "month"),
    ReportKind(complaint_figures.NAME, N_("Complaint statistics"),
               complaint_figures.complaint_statistics, complaint_figures.members, "month"),
    ReportKind(telesales.NAME, N_("Telesales statistics"), telesales.telesales_statistics,
               telesales.members, "month", telesales.in_use,
               N_("The telesales statistics count classes A to D: they are offered while the "
                  "office grades customers with the telesales scheme (levels A, B, C and D).")),
)}


def available_reports() -> list[ReportKind]:
    """The reports the office has: every report but those its way of working lacks (the
    telesales statistics without the telesales level scheme)."""
    return [kind for kind in REPORTS.values() if kind.offered()]


class UnknownReportError(CrmError):
    """No report of that name, or no such grouping."""


def run(name: str, period: Period, actor: Actor | None, by: str | None = None,
        staff_id: int | None = None) -> Report:
    """Make report ``name`` for ``period`` grouped ``by`` (the report's default when None),
    for the office or ``staff_id`` as ``actor`` may read it; the reading is audited.

    Raises:
        UnknownReportError: an unknown report or grouping.
        PermissionDenied: ``actor`` may not read these figures.
    """
    kind = REPORTS.get(name)
    if kind is None:
        raise UnknownReportError(_("No report called {name}; the reports are: {names}").format(
            name=name, names=", ".join(REPORTS)))
    if not kind.offered():
        raise UnknownReportError(_(kind.refusal))
    grouping = by or kind.default_by
    if by is None and grouping == "day" and (period.end - period.start).days > LONG_PERIOD_DAYS:
        grouping = "month"  # a day-by-day table of a quarter or a year helps nobody
    if grouping not in BUCKETS:
        raise UnknownReportError(_("Group by one of {names}, not {by}").format(
            names=", ".join(BUCKETS), by=grouping))
    scope = scope_for(actor, staff_id)
    report = kind.make(period, grouping, scope)
    with database.atomic():
        audit.record(actor, "report", None, report=name, start=period.start, end=period.end,
                     by=grouping, staff=scope.staff_id)
    return report


@dataclass(frozen=True)
class DrillRow:
    """One record a figure counts, as the list under the figure shows it."""

    id: int
    customer_id: int | None
    cells: tuple[str, ...]


def drill_columns(kind: str) -> tuple[str, ...]:
    """The headings of the list a figure of ``kind`` opens."""
    if kind == "visits":
        return (_("Arrival"), _("Channel"), _("Visitor"), _("Salesperson"), _("Archive no."))
    if kind == "customers":
        return (_("Archive no."), _("Name"), _("Salesperson"), _("Level"), _("Status"))
    return (_("No."), _("Received at"), _("Archive no."), _("Category"), _("Handler"),
            _("Closed on"))


def drill(figure: Figure, actor: Actor | None) -> list[DrillRow]:
    """The visits, customers or complaints ``figure`` counts, read now for a reader of its
    report (a salesperson always reads their own); records of 绝密 archives ``actor`` may not
    read are left out, as the counts leave them out.

    Raises:
        PermissionDenied: ``actor`` may not read these statistics.
    """
    target = figure.drill
    if target is None:
        return []
    scope = scope_for(actor, target.reading.staff_id)
    members = REPORTS[target.reading.report].members(target, scope)
    names = staff_names()
    if target.kind == "visits":
        visits = (Visit.select(Visit.id, Visit.customer, Visit.arrived_at, Visit.channel,
                               Visit.name, Visit.salesperson, Customer.archive_no)
                  .join(Customer, peewee.JOIN.LEFT_OUTER, on=(Visit.customer == Customer.id))
                  .where(Visit.id.in_(members) & scope.visible(Visit.customer))
                  .order_by(Visit.arrived_at, Visit.id))
        return [DrillRow(vid, cid, (_moment(at), channel_label(channel), name,
                                    names.get(sp, ""), no or ""))
                for vid, cid, at, channel, name, sp, no in visits.tuples()]
    if target.kind == "customers":
        customers = (Customer.select(Customer.id, Customer.archive_no, Customer.name,
                                     Customer.owner, Level.code, Customer.status)
                     .join(Level, peewee.JOIN.LEFT_OUTER, on=(Customer.level == Level.id))
                     .where(Customer.id.in_(members) & scope.visible(Customer.id))
                     .order_by(Customer.archive_no))
        return [DrillRow(cid, cid, (no, name or "", names.get(owner, ""), code or "",
                                    _status(status)))
                for cid, no, name, owner, code, status in customers.tuples()]
    complaints = (Complaint.select(Complaint.id, Complaint.customer, Complaint.received_at,
                                   Customer.archive_no, Complaint.category,
                                   Complaint.handler, Complaint.closed_on)
                  .join(Customer, on=(Complaint.customer == Customer.id))
                  .where(Complaint.id.in_(members) & scope.visible(Complaint.customer))
                  .order_by(Complaint.received_at, Complaint.id))
    return [DrillRow(cid, customer, (str(cid), _moment(at), no, label(CATEGORIES, category),
                                     names.get(handler, ""), str(closed or "")))
            for cid, customer, at, no, category, handler, closed in complaints.tuples()]


def _moment(value: object) -> str:
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value.strftime("%Y-%m-%d %H:%M")  # type: ignore[attr-defined]


def _status(key: str | None) -> str:
    from crmdesk.models.card import STATUSES

    return label(STATUSES, key)

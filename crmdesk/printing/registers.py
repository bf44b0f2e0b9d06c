"""Registers: the customer roster (客户一览表), one customer's communication log, the
overdue follow-up list grouped by owner, the visitor and caller register (来人来电登记表) and
the lending register of printed cards (外借登记册).

Each is a ruled table under a running header (see ``layout.RegisterPage``) that repeats the
title, branch, period or filter and column headings on every page. Rows go into tables of
about ``grid.CHUNK_ROWS`` rows so that 10,000 rows print quickly and completely, in order.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.platypus import Flowable, Spacer

from crmdesk.i18n import _, ngettext
from crmdesk.models.card import COMMUNICATION_COLUMNS, CONTACT_METHODS, FIELDS
from crmdesk.models.phones import format_phone
from crmdesk.printing.grid import Column, Grid, fit_widths
from crmdesk.printing.inputs import LogSheet, OverdueRow, PrintContext, VisitLine, VisitSheet
from crmdesk.printing.layout import RegisterPage
from crmdesk.printing.logtable import log_grid, log_record

_LOG = {c.name: c for c in COMMUNICATION_COLUMNS}
_METHODS = {c.key: c.label for c in CONTACT_METHODS}


@dataclass(frozen=True)
class Register:
    """A register ready to lay out: its running header and its flowables."""

    title: str
    page: RegisterPage
    story: list[Flowable]


def _grid(columns: Sequence[tuple[str, float, str]]) -> Grid:
    widths = fit_widths([weight for _label, weight, _align in columns])
    return Grid([Column(label, width, align)
                 for (label, _weight, align), width in zip(columns, widths, strict=True)])


def _nothing(grid: Grid) -> list[Flowable]:
    table = grid.table([], heading=_("Nothing to print."))
    return [table] if table is not None else []


def _roster_columns() -> dict[str, tuple[str, float, str]]:
    return {
        "archive_no": (_("Archive no."), 21.5, "LEFT"),
        "name": (FIELDS["name"].label, 25, "LEFT"),
        "mobile": (FIELDS["mobile"].label, 21, "LEFT"),
        "company": (FIELDS["employer"].label, 33, "LEFT"),
        "level": (_LOG["level"].label, 9, "CENTER"),
        "status": (FIELDS["status"].label, 13.5, "LEFT"),
        "owner": (FIELDS["owner"].label, 13.5, "LEFT"),
        "last_contact": (_("Last contact"), 16.5, "LEFT"),
        "next_follow_up": (_LOG["next_follow_up"].label, 16.5, "LEFT"),
    }


def roster(columns: Sequence[str], rows: Sequence[Sequence[str]], filter_text: str,
           context: PrintContext) -> Register:
    """The customer roster (客户一览表): list rows whose values are named by ``columns``
    (the customer list's column names), under the list's filter ``filter_text``."""
    known = _roster_columns()
    grid = _grid([(_("No."), 10, "RIGHT"), *(known[name] for name in columns)])
    records = ([str(i), *row] for i, row in enumerate(rows, start=1))
    period = [
        _("Filter: {text}").format(text=filter_text) if filter_text else _("All customers"),
        ngettext("{n} customer", "{n} customers", len(rows)).format(n=len(rows)),
    ]
    title = _("Customer roster")
    story = list(grid.chunked_tables(records)) if rows else _nothing(grid)
    return Register(title, RegisterPage(context, title, period, grid.header_table()), story)


def communication_log(sheet: LogSheet, context: PrintContext) -> Register:
    """One customer's communication log, in time order."""
    grid = log_grid()
    owner = f"    {FIELDS['owner'].label}: {sheet.owner}" if sheet.owner else ""
    period = [
        f"{FIELDS['name'].label}: {sheet.name}    {_('Archive no.')}: {sheet.archive_no}{owner}",
        ngettext("{n} contact", "{n} contacts", len(sheet.communications)).format(
            n=len(sheet.communications)),
    ]
    title = _("Communication log")
    records = (log_record(entry) for entry in sheet.communications)
    story = list(grid.chunked_tables(records)) if sheet.communications else _nothing(grid)
    return Register(title, RegisterPage(context, title, period, grid.header_table()), story)


def _overdue_record(row: OverdueRow) -> list[str]:
    return [
        row.archive_no,
        row.name,
        format_phone(row.mobile),
        row.level,
        str(row.days_overdue),
        row.last_contact.isoformat() if row.last_contact else "",
        _METHODS.get(row.last_method, row.last_method or ""),
        row.last_conclusion or "",
        row.next_follow_up.isoformat() if row.next_follow_up else "",
    ]


def overdue(rows: Sequence[OverdueRow], period_text: str, context: PrintContext) -> Register:
    """The overdue follow-up list, one group per owner in the order owners first appear,
    each group's rows in the order given."""
    grid = _grid([
        (_("Archive no."), 21.5, "LEFT"),
        (FIELDS["name"].label, 18, "LEFT"),
        (FIELDS["mobile"].label, 21, "LEFT"),
        (_LOG["level"].label, 9, "CENTER"),
        (_("Days overdue"), 15, "RIGHT"),
        (_("Last contact"), 16.5, "LEFT"),
        (_LOG["method"].label, 14, "LEFT"),
        (_LOG["conclusion"].label, 47, "LEFT"),
        (_LOG["next_follow_up"].label, 16.5, "LEFT"),
    ])
    groups: dict[str, list[OverdueRow]] = {}
    for row in rows:
        groups.setdefault(row.owner, []).append(row)
    story: list[Flowable] = []
    for owner, members in groups.items():
        heading = f"{FIELDS['owner'].label}: {owner or _('(no owner)')}    " + ngettext(
            "{n} customer", "{n} customers", len(members)).format(n=len(members))
        story += grid.chunked_tables((_overdue_record(r) for r in members), heading=heading)
    period = [period_text,
              ngettext("{n} customer", "{n} customers", len(rows)).format(n=len(rows))]
    title = _("Overdue follow-ups")
    return Register(title, RegisterPage(context, title, period, grid.header_table()),
                    story or _nothing(grid))


def _visit_period(sheet: VisitSheet) -> str:
    if sheet.start == sheet.end:
        return _("Date: {date}").format(date=sheet.start.isoformat())
    return _("From {start} to {end}").format(start=sheet.start.isoformat(),
                                             end=sheet.end.isoformat())


def _arrival_format(sheet: VisitSheet) -> str:
    """Just the time for one day's register; the day too for a range (the year across years)."""
    if sheet.start == sheet.end:
        return "%H:%M"
    return "%m-%d %H:%M" if sheet.start.year == sheet.end.year else "%Y-%m-%d %H:%M"


def _departure(line: VisitLine) -> str:
    if line.departed_at is None:
        return ""
    same_day = line.departed_at.date() == line.arrived_at.date()
    return line.departed_at.strftime("%H:%M" if same_day else "%m-%d %H:%M")


def _visit_record(line: VisitLine, arrival_format: str) -> list[str]:
    return [
        line.arrived_at.strftime(arrival_format), line.channel, line.name, line.phone,
        str(line.party_size), line.purpose, line.source, line.receptionist, line.salesperson,
        line.archive_no, _("Return") if line.returning else _("First visit"), _departure(line),
    ]


def _visit_counts(sheet: VisitSheet) -> str:
    """The register's closing counts: in all, by channel, first visits and returns, by source."""
    def pairs(counts: Sequence[tuple[str, int]]) -> str:
        return " · ".join(f"{label} {n}" for label, n in counts) or "-"

    return "\n".join((
        _("In all {total}: {channels}; first visits {first}, returns {returning}").format(
            total=len(sheet.lines), channels=pairs(sheet.by_channel),
            first=sheet.first_visits, returning=sheet.returning),
        _("By source: {sources}").format(sources=pairs(sheet.by_source)),
    ))


def visits(sheet: VisitSheet, context: PrintContext) -> Register:
    """The visitor and caller register (来人来电登记表) of a day or range, in order of
    arrival, with its counts by channel and source after the last row."""
    single_day = sheet.start == sheet.end
    # Widths in mm, filling the frame: archive numbers, phones and times stay on one line.
    grid = _grid([
        (_("Arrival"), 10 if single_day else 17.5, "LEFT"),
        (_("Channel"), 8.5, "CENTER"),
        (_("Visitor"), 16, "LEFT"),
        (_("Phone"), 21.5, "LEFT"),
        (_("Party"), 8, "RIGHT"),
        (_("Purpose"), 36.5 if single_day else 29, "LEFT"),
        (_("Source"), 12, "LEFT"),
        (_("Received at desk by"), 13.5, "LEFT"),
        (_("Salesperson"), 13.5, "LEFT"),
        (_("Archive no."), 21.5, "LEFT"),
        (_("First or return"), 9, "CENTER"),
        (_("Departure"), 10, "LEFT"),
    ])
    arrival_format = _arrival_format(sheet)
    records = (_visit_record(line, arrival_format) for line in sheet.lines)
    story = list(grid.chunked_tables(records)) if sheet.lines else _nothing(grid)
    counts = grid.table([], heading=_visit_counts(sheet))
    if counts is not None:
        story += [Spacer(0, 6), counts]
    period = [_visit_period(sheet),
              ngettext("{n} visit or call", "{n} visits and calls", len(sheet.lines)).format(
                  n=len(sheet.lines))]
    title = _("Visitor and caller register")
    return Register(title, RegisterPage(context, title, period, grid.header_table()), story)


def loans(rows: Sequence[Sequence[str]], scope_text: str, context: PrintContext) -> Register:
    """The lending register: rows of (archive no., name, borrower, copies, purpose, lent,
    due, state), newest first, with a column for the keeper's signature on return."""
    grid = _grid([
        (_("Archive no."), 21.5, "LEFT"),
        (FIELDS["name"].label, 20, "LEFT"),
        (_("Borrower"), 14, "LEFT"),
        (_("Copies"), 9, "RIGHT"),
        (_("Purpose of the loan"), 36, "LEFT"),
        (_("Lent"), 23, "LEFT"),
        (_("Due back"), 16.5, "LEFT"),
        (_("State"), 13, "LEFT"),
        (_("Returned, signed"), 22, "LEFT"),
    ])
    period = [scope_text, ngettext("{n} loan", "{n} loans", len(rows)).format(n=len(rows))]
    title = _("Lending register")
    story = list(grid.chunked_tables([*row, ""] for row in rows)) if rows else _nothing(grid)
    return Register(title, RegisterPage(context, title, period, grid.header_table()), story)

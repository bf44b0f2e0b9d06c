"""Registers: the customer roster (客户一览表), one customer's communication log, the
overdue follow-up list grouped by owner, the visitor and caller register (来人来电登记表) and
the lending register of printed cards (外借登记册).

Each is a ruled table under a running header (see ``layout.RegisterPage``) that repeats the
title, branch, period or filter and column headings on every page. Rows go into tables of
about ``grid.CHUNK_ROWS`` rows so that 10,000 rows print quickly and completely, in order.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from reportlab.platypus import Flowable, Spacer

from crmdesk.i18n import _, ngettext
from crmdesk.models.card import FIELDS
from crmdesk.models.lists import kinds
from crmdesk.models.lists.columns import ColumnList
from crmdesk.models.lists.customers import CUSTOMER_LIST
from crmdesk.models.lists.overdue import OVERDUE_LIST
from crmdesk.models.lists.visits import VISIT_REGISTER
from crmdesk.printing.grid import Grid, headings, ruled
from crmdesk.printing.inputs import LogSheet, OverdueRow, PrintContext, VisitSheet
from crmdesk.printing.layout import RegisterPage
from crmdesk.printing.logtable import log_grid, log_record


@dataclass(frozen=True)
class Register:
    """A register ready to lay out: its running header and its flowables."""

    title: str
    page: RegisterPage
    story: list[Flowable]


def _nothing(grid: Grid) -> list[Flowable]:
    table = grid.table([], heading=_("Nothing to print."))
    return [table] if table is not None else []


def roster(columns: Sequence[str] | ColumnList, rows: Sequence[Sequence[str]],
           filter_text: str, context: PrintContext) -> Register:
    """The customer roster (客户一览表): the customer list's ``columns`` (or the keys of its
    declared ones) and its rows, under the list's filter ``filter_text``."""
    listed = columns if isinstance(columns, ColumnList) else CUSTOMER_LIST.only(columns)
    listed = listed.positional()
    grid = ruled([(_("No."), 10, "RIGHT"), *headings(listed)])
    records = ([str(i), *listed.printed(row)] for i, row in enumerate(rows, start=1))
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


def overdue(rows: Sequence[OverdueRow], period_text: str, context: PrintContext) -> Register:
    """The overdue follow-up list, one group per owner in the order owners first appear,
    each group's rows in the order given (the owner heads the group, not a column)."""
    printed = OVERDUE_LIST.without("owner_name")
    grid = ruled(headings(printed))
    groups: dict[str, list[OverdueRow]] = {}
    for row in rows:
        groups.setdefault(row.owner, []).append(row)
    story: list[Flowable] = []
    for owner, members in groups.items():
        heading = f"{FIELDS['owner'].label}: {owner or _('(no owner)')}    " + ngettext(
            "{n} customer", "{n} customers", len(members)).format(n=len(members))
        story += grid.chunked_tables((printed.printed(r) for r in members), heading=heading)
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


def _visit_columns(sheet: VisitSheet) -> ColumnList:
    """The register's columns; one day's register gives the time of arrival only."""
    if sheet.start != sheet.end:
        return VISIT_REGISTER
    return replace(VISIT_REGISTER, columns=tuple(
        replace(c, kind=kinds.TIME) if c.key == "arrived_at" else c for c in VISIT_REGISTER))


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
    columns = _visit_columns(sheet)
    grid = ruled(headings(columns))
    records = (columns.printed(line) for line in sheet.lines)
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
    grid = ruled([
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

"""Registers: the customer roster (客户一览表), one customer's communication log and the
overdue follow-up list grouped by owner.

Each is a ruled table under a running header (see ``layout.RegisterPage``) that repeats the
title, branch, period or filter and column headings on every page. Rows go into tables of
about ``grid.CHUNK_ROWS`` rows so that 10,000 rows print quickly and completely, in order.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.platypus import Flowable

from crmdesk.i18n import _, ngettext
from crmdesk.models.card import COMMUNICATION_COLUMNS, CONTACT_METHODS, FIELDS
from crmdesk.models.phones import format_phone
from crmdesk.printing.grid import Column, Grid, fit_widths
from crmdesk.printing.inputs import LogSheet, OverdueRow, PrintContext
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

"""Printed documents: gathered with the screen's rules, audited, and rendered as PDF.

The command line and the print preview both come here, so a card or register prints the
same from either, and every printout lands on the audit trail. Each document comes as a
``Printout`` (``*_printout``): gathering reads the archive, ``render()`` then only lays out
pages, so the window renders on a worker of its own and a long roster never holds up the
archive's queries. ``*_pdf`` does both at once.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from crmdesk.i18n import _
from crmdesk.services import customer_list, printouts
from crmdesk.services.context import Actor
from crmdesk.services.search import ListQuery


def _render():  # the module crmdesk.printing.render
    """The PDF layouts, imported with the first printout: ReportLab is not needed to start."""
    from crmdesk.printing import render

    return render


@dataclass(frozen=True)
class Printout:
    """A document gathered from the archive and recorded as printed, ready to lay out."""

    lay_out: Callable[[], bytes]

    def render(self) -> bytes:
        """The PDF; reads nothing from the archive, so any thread may do it."""
        return self.lay_out()


def cards_printout(customer_ids: Sequence[int], actor: Actor | None) -> Printout:
    """Archive cards of these customers, one after another (PermissionDenied if any is hidden)."""
    sheets = [printouts.card_sheet(cid, actor) for cid in customer_ids]
    context = printouts.print_context(actor)
    printouts.record_printed(actor, "card", list(customer_ids))
    return Printout(lambda: _render().cards(sheets, context))


def log_printout(customer_id: int, actor: Actor | None) -> Printout:
    """One customer's communication log."""
    sheet = printouts.log_sheet(customer_id, actor)
    context = printouts.print_context(actor)
    printouts.record_printed(actor, "log", [customer_id])
    return Printout(lambda: _render().communication_log(sheet, context))


def roster_printout(query: ListQuery, actor: Actor | None) -> Printout:
    """The customer roster (客户一览表) as the list shows it for ``query``."""
    columns, rows = printouts.roster_rows(query, actor)
    text = printouts.filter_text(query)
    context = printouts.print_context(actor)
    printouts.record_printed(actor, "roster", customers=len(rows), filter=text)
    listed = customer_list.columns_of(columns)
    return Printout(lambda: _render().roster(listed, rows, text, context))


def overdue_printout(actor: Actor | None, as_of: dt.date,
                     owner_id: int | None = None) -> Printout:
    """The overdue follow-up list grouped by owner."""
    rows = printouts.overdue_rows(as_of, owner_id, actor)
    period = printouts.overdue_period(as_of)
    context = printouts.print_context(actor)
    printouts.record_printed(actor, "overdue", customers=len(rows), as_of=as_of)
    return Printout(lambda: _render().overdue(rows, period, context))


def visits_printout(start: dt.date, end: dt.date, actor: Actor | None) -> Printout:
    """The visitor and caller register (来人来电登记表) from ``start`` to ``end``."""
    sheet = printouts.visit_rows(start, end, actor)
    context = printouts.print_context(actor)
    printouts.record_printed(actor, "visits", visits=len(sheet.lines), start=start, end=end)
    return Printout(lambda: _render().visits(sheet, context))


def loans_printout(actor: Actor | None, open_only: bool = False) -> Printout:
    """The lending register of printed cards (外借登记册): the keeper's whole register, a
    borrower's own loans."""
    from crmdesk.services.confidentiality import loans

    found = loans(actor, open_only)
    rows = [(r.archive_no, r.name, r.borrower, str(r.copies), r.purpose,
             r.lent_at.strftime("%Y-%m-%d %H:%M"), r.due.isoformat(), r.state_label)
            for r in found]
    scope = _("Loans still out") if open_only else _("All loans")
    context = printouts.print_context(actor)
    printouts.record_printed(actor, "loans", loans=len(rows), open_only=open_only)
    return Printout(lambda: _render().loans(rows, scope, context))


def cards_pdf(customer_ids: Sequence[int], actor: Actor | None) -> bytes:
    """``cards_printout`` rendered."""
    return cards_printout(customer_ids, actor).render()


def log_pdf(customer_id: int, actor: Actor | None) -> bytes:
    """``log_printout`` rendered."""
    return log_printout(customer_id, actor).render()


def roster_pdf(query: ListQuery, actor: Actor | None) -> bytes:
    """``roster_printout`` rendered."""
    return roster_printout(query, actor).render()


def overdue_pdf(actor: Actor | None, as_of: dt.date, owner_id: int | None = None) -> bytes:
    """``overdue_printout`` rendered."""
    return overdue_printout(actor, as_of, owner_id).render()


def visits_pdf(start: dt.date, end: dt.date, actor: Actor | None) -> bytes:
    """``visits_printout`` rendered."""
    return visits_printout(start, end, actor).render()


def loans_pdf(actor: Actor | None, open_only: bool = False) -> bytes:
    """``loans_printout`` rendered."""
    return loans_printout(actor, open_only).render()

"""Printed documents as PDF bytes: gathered with the screen's rules, rendered, and audited.

The command line and the print preview both come here, so a card or register prints the
same from either, and every printout lands on the audit trail.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from crmdesk.printing import render
from crmdesk.services import printouts
from crmdesk.services.context import Actor
from crmdesk.services.search import ListQuery


def cards_pdf(customer_ids: Sequence[int], actor: Actor | None) -> bytes:
    """Archive cards of these customers, one after another (PermissionDenied if any is hidden)."""
    sheets = [printouts.card_sheet(cid, actor) for cid in customer_ids]
    data = render.cards(sheets, printouts.print_context(actor))
    printouts.record_printed(actor, "card", list(customer_ids))
    return data


def log_pdf(customer_id: int, actor: Actor | None) -> bytes:
    """One customer's communication log."""
    sheet = printouts.log_sheet(customer_id, actor)
    data = render.communication_log(sheet, printouts.print_context(actor))
    printouts.record_printed(actor, "log", [customer_id])
    return data


def roster_pdf(query: ListQuery, actor: Actor | None) -> bytes:
    """The customer roster (客户一览表) as the list shows it for ``query``."""
    columns, rows = printouts.roster_rows(query, actor)
    text = printouts.filter_text(query)
    data = render.roster(columns, rows, text, printouts.print_context(actor))
    printouts.record_printed(actor, "roster", customers=len(rows), filter=text)
    return data


def overdue_pdf(actor: Actor | None, as_of: dt.date, owner_id: int | None = None) -> bytes:
    """The overdue follow-up list grouped by owner."""
    rows = printouts.overdue_rows(as_of, owner_id, actor)
    data = render.overdue(rows, printouts.overdue_period(as_of), printouts.print_context(actor))
    printouts.record_printed(actor, "overdue", customers=len(rows), as_of=as_of)
    return data


def visits_pdf(start: dt.date, end: dt.date, actor: Actor | None) -> bytes:
    """The visitor and caller register (来人来电登记表) from ``start`` to ``end``."""
    sheet = printouts.visit_rows(start, end, actor)
    data = render.visits(sheet, printouts.print_context(actor))
    printouts.record_printed(actor, "visits", visits=len(sheet.lines), start=start, end=end)
    return data

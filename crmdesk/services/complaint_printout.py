"""The complaint handling form as PDF: gathered with the card's rules, labelled, audited."""
from __future__ import annotations

from typing import TYPE_CHECKING

from crmdesk.i18n import _
from crmdesk.models.card import SATISFACTION
from crmdesk.models.complaints import CATEGORIES, CHANNELS, SEVERITIES
from crmdesk.services import complaints, printouts
from crmdesk.services.complaints import ComplaintRow, label
from crmdesk.services.context import Actor
from crmdesk.services.documents import Printout

if TYPE_CHECKING:  # ReportLab loads when a form is first printed, not with the card window
    from crmdesk.printing.complaint_form import ComplaintSheet
    from crmdesk.printing.inputs import PrintContext


def _date(value: object) -> str:
    return value.isoformat() if value is not None else ""  # type: ignore[attr-defined]


def complaint_sheet(row: ComplaintRow) -> ComplaintSheet:
    """What the form prints of ``row``, every value as text."""
    from crmdesk.printing.complaint_form import ComplaintSheet

    return ComplaintSheet(
        number=row.id, archive_no=row.archive_no, customer=row.customer_name,
        fields=[
            (_("Received at"), row.received_at.strftime("%Y-%m-%d %H:%M")),
            (_("Received through"), label(CHANNELS, row.channel)),
            (_("Taken by"), row.taken_by),
            (_("Category"), label(CATEGORIES, row.category)),
            (_("Severity"), label(SEVERITIES, row.severity)),
            (_("Handler"), row.handler),
            (_("Answer due"), _date(row.due_on)),
        ],
        content=row.content,
        steps=[(s.done_on.isoformat(), s.action, s.done_by) for s in row.steps],
        result=[
            (_("Result"), row.result),
            (_("Customer's satisfaction"), label(SATISFACTION, row.satisfaction or None)),
            (_("Closed on"), _date(row.closed_on)),
            (_("Days to close"), "" if row.handling_days is None else str(row.handling_days)),
        ],
    )


def complaint_printout(complaint_id: int, actor: Actor | None) -> Printout:
    """The handling form of one complaint, ready to lay out; the printing is put on the audit
    trail.

    Raises:
        PermissionDenied: ``actor`` neither reads the card nor handles the complaint.
    """
    row = complaints.complaint(complaint_id, actor)
    sheet, context = complaint_sheet(row), printouts.print_context(actor)
    printouts.record_printed(actor, "complaint", [row.customer_id], complaint=complaint_id)
    return Printout(lambda: _laid_out(sheet, context))


def _laid_out(sheet: ComplaintSheet, context: PrintContext) -> bytes:
    from crmdesk.printing.complaint_form import complaint_form

    return complaint_form(sheet, context)


def complaint_pdf(complaint_id: int, actor: Actor | None) -> bytes:
    """The handling form of one complaint as PDF (see ``complaint_printout``)."""
    return complaint_printout(complaint_id, actor).render()

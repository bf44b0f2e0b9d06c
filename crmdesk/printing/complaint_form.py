"""The complaint handling form (客户投诉处理单): receipt, content, handling steps, result, and a
line for the customer's confirmation (seed 001: 记清楚, confirmed by the customer, then filed).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.platypus import Flowable, Spacer

from crmdesk.i18n import _
from crmdesk.printing import styles
from crmdesk.printing.grid import Column, Grid, fit_widths
from crmdesk.printing.inputs import PrintContext
from crmdesk.printing.layout import build_pdf
from crmdesk.printing.statistics import headless_page


@dataclass(frozen=True)
class ComplaintSheet:
    """A complaint as its form prints it: every value already text, labels already chosen."""

    number: int
    archive_no: str
    customer: str
    fields: Sequence[tuple[str, str]]  # (label, value) pairs of the receipt box
    content: str
    steps: Sequence[tuple[str, str, str]]  # (date, what was done, by whom)
    result: Sequence[tuple[str, str]]  # (label, value) pairs of the closing box


def _pairs_grid() -> Grid:
    widths = fit_widths([16, 34, 16, 34])
    return Grid([Column("", widths[0]), Column("", widths[1]), Column("", widths[2]),
                 Column("", widths[3])])


def _pairs(pairs: Sequence[tuple[str, str]]) -> list[list[str]]:
    rows = []
    for start in range(0, len(pairs), 2):
        left, right = pairs[start], pairs[start + 1] if start + 1 < len(pairs) else ("", "")
        rows.append([left[0], left[1], right[0], right[1]])
    return rows


def _story(sheet: ComplaintSheet) -> list[Flowable]:
    pairs = _pairs_grid()
    wide = Grid([Column("", styles.FRAME_WIDTH)])
    steps = Grid([Column(label, width, align) for (label, align), width in zip(
        ((_("Date"), "LEFT"), (_("Handling"), "LEFT"), (_("By"), "LEFT")),
        fit_widths([18, 64, 18]), strict=True)])
    story: list[Flowable] = []
    for table in (
        pairs.table(_pairs(sheet.fields), heading=_("Received")),
        wide.table([[sheet.content]], heading=_("Complaint")),
        steps.table(list(sheet.steps) or [["", "", ""]] * 3, header=True,
                    heading=_("Handling steps")),
        pairs.table(_pairs(sheet.result), heading=_("Result")),
        wide.table([[_("Customer's confirmation:") + "\n\n" + _("Signature and date:")]]),
    ):
        if table is not None:
            story += [table, Spacer(0, 6)]
    return story


def complaint_form(sheet: ComplaintSheet, context: PrintContext) -> bytes:
    """The handling form of one complaint as PDF bytes."""
    title = _("Customer complaint handling form")
    period = [_("Complaint no. {number}    Customer: {name} ({archive_no})").format(
        number=sheet.number, name=sheet.customer, archive_no=sheet.archive_no)]
    return build_pdf(_story(sheet), headless_page(context, title, period),
                     f"{title} {sheet.number}")

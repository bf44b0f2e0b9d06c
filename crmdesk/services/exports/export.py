"""One way in for every export: which list, with which filter, to .xlsx or .csv, recorded.

The command line and the window's Excel menu both describe what they want as an
``ExportRequest`` and call ``export``, which builds the list (checking the export duty),
writes it by the file's ending, and records who exported what and how many rows.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from crmdesk.exporters.columns import Table
from crmdesk.i18n import _
from crmdesk.models.db import database
from crmdesk.output_files import check_output, writing
from crmdesk.progress import CancelFlag, Progress
from crmdesk.services import audit
from crmdesk.services.context import Actor
from crmdesk.services.exports import EXPORTS, approval
from crmdesk.services.exports.customers import customer_table
from crmdesk.services.exports.lists import communication_table, overdue_table, visit_table
from crmdesk.services.exports.sales_by_year import sales_by_year_table
from crmdesk.services.search import ListQuery
from crmdesk.services.visibility import Duty, require

__all__ = ["EXPORTS", "SUFFIXES", "ExportRequest", "export"]
SUFFIXES = (".xlsx", ".csv")


@dataclass(frozen=True)
class ExportRequest:
    """What to export.

    ``query`` (the customer list's search and filters) chooses the customers and the cards
    whose communications are written; ``columns`` the customer fields (all when None);
    ``start`` and ``end`` the days of the register (default today); ``as_of`` the day of the
    overdue list (default today).
    """

    what: str = "customers"
    query: ListQuery = field(default_factory=ListQuery)
    columns: Sequence[str] | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    as_of: dt.date | None = None


def _table(request: ExportRequest, actor: Actor | None, progress: Progress | None,
           cancel: CancelFlag | None) -> Table:
    if request.what == "customers":
        return customer_table(actor, request.query, request.columns, progress, cancel)
    if request.what == "visits":
        start = request.start or request.end or dt.date.today()
        return visit_table(actor, start, request.end or max(start, dt.date.today()), progress,
                           cancel)
    if request.what == "communications":
        return communication_table(actor, request.query, progress, cancel)
    if request.what == "overdue":
        return overdue_table(actor, request.as_of, None, progress, cancel)
    if request.what == "sales_by_year":
        return sales_by_year_table(actor, request.query, progress, cancel)
    raise ValueError(request.what)


def record_export(actor: Actor | None, what: str, rows: int, file_name: str) -> None:
    """Record in the audit trail that ``actor`` exported ``rows`` rows of ``what``."""
    with database.atomic():
        audit.record(actor, "export", None, what=what, rows=rows, file=file_name)


def export(path: Path | str, request: ExportRequest, actor: Actor | None,
           progress: Progress | None = None, cancel: CancelFlag | None = None,
           approval_id: int | None = None) -> int:
    """Write the list ``request`` asks for to ``path`` (.xlsx or .csv); return how many rows.

    The export is recorded in the audit trail (who, which list, how many rows, the file's
    name). A cancel or a failure leaves no file behind.

    Raises:
        ValueError: ``path`` ends in neither .xlsx nor .csv, or no such list.
        KeyError: a customer column is no card field.
        PermissionDenied: ``actor`` may not export.
        Cancelled: ``cancel`` was set.
        ApprovalNeeded: the export copies 机密/绝密 cards or more archives than the office's
            threshold, and ``approval_id`` names no approval given for it (see
            crmdesk.services.exports.approval); nothing is written.
        OutputFileError: ``path`` is a folder, in a missing folder, or cannot be written.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ValueError(_("the output must end in .xlsx or .csv"))
    check_output(path)
    require(actor, Duty.EXPORT)
    scope = approval.scope_of(request.what, request.query, actor)
    if scope.needs_approval:
        with database.atomic():
            approval.use(approval_id, request.what, scope, actor)
    table = _table(request, actor, progress, cancel)
    # The workbook writers load with the first export, not with the window.
    from crmdesk.exporters.csv import write_csv
    from crmdesk.exporters.excel import write_xlsx

    with writing(path):
        count = (write_xlsx if suffix == ".xlsx" else write_csv)(path, table)
    record_export(actor, table.what, count, path.name)
    return count

"""Copy and export approval (复制/导出审批): an export that copies 机密 or 绝密 cards, or more
archives than the office's threshold, is written only after a second person approved it.

The one who exports asks with a purpose; another manager or an administrator approves or
refuses; the approval is used by one export of the same list by the one who asked, and no more.
Exports of the register and the overdue list copy no archive and need none.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import peewee

from crmdesk.errors import CrmError, NotFoundError, Problem, ValidationError
from crmdesk.i18n import _
from crmdesk.models import Customer, ExportApproval, Staff
from crmdesk.models.db import database
from crmdesk.services import audit, notices, settings, visibility
from crmdesk.services.accounts import PermissionDenied
from crmdesk.services.context import Actor
from crmdesk.services.search import ListQuery, find_ids
from crmdesk.services.typed_text import LINE_MAX, text_problems
from crmdesk.services.visibility import CONFIDENTIAL, SECRET

# The lists that copy archives.
ARCHIVE_LISTS = ("customers", "communications", "sales_by_year")
CHUNK = 900  # ids per query, under SQLite's limit of variables


class ApprovalNeeded(CrmError):
    """The export needs a second person's approval first; ``archives`` and ``marked`` say why."""

    def __init__(self, archives: int, marked: int) -> None:
        self.archives, self.marked = archives, marked
        why = (_("{n} of them marked 机密 or 绝密").format(n=marked) if marked
               else _("more than {limit}").format(limit=threshold()))
        super().__init__(_(
            "This export copies {archives} archives ({why}): it needs the approval of another "
            "manager or an administrator first. Ask for it with a purpose, then export again "
            "with the approval once it is given.").format(archives=archives, why=why))


@dataclass(frozen=True)
class Scope:
    """What an export would copy: how many archives, and how many of them are marked."""

    archives: int
    marked: int

    @property
    def needs_approval(self) -> bool:
        return self.marked > 0 or self.archives > threshold()


@dataclass(frozen=True)
class ApprovalRow:
    """An approval as the lists show it."""

    id: int
    requested_by: str
    what: str
    purpose: str
    archives: int
    marked: int
    requested_at: dt.datetime
    state: str
    decided_by: str


def threshold() -> int:
    """The most archives an export copies without an approval."""
    return int(settings.get("export_approval_over"))


def scope_of(what: str, query: ListQuery, actor: Actor | None) -> Scope:
    """How many archives the export of ``what`` would copy for ``actor``, and how many marked."""
    if what not in ARCHIVE_LISTS:
        return Scope(0, 0)
    ids = find_ids(query, actor)
    readable = 0
    marked = 0
    for start in range(0, len(ids), CHUNK):
        rows = list(Customer.select(Customer.id, Customer.owner, Customer.confidentiality).where(
            Customer.id.in_(ids[start:start + CHUNK])).tuples())
        shown = visibility.readable_ids(actor, rows)
        readable += len(shown)
        marked += sum(1 for cid, _o, mark in rows if cid in shown and mark in (CONFIDENTIAL,
                                                                               SECRET))
    return Scope(readable, marked)


def ask(what: str, query: ListQuery, purpose: str, actor: Actor) -> int:
    """Ask for approval of exporting ``what``; the managers and administrators are told.

    Raises:
        PermissionDenied: ``actor`` may not export.
        ValidationError: no purpose, or an export that needs no approval.
    """
    visibility.require(actor, visibility.Duty.EXPORT)
    problems = text_problems(("purpose", _("Purpose"), purpose, LINE_MAX))
    if not purpose.strip():
        problems.append(Problem("purpose", _("Purpose"), _("required")))
    scope = scope_of(what, query, actor)
    if not scope.needs_approval:
        problems.append(Problem("what", _("Export"), _("needs no approval")))
    if problems:
        raise ValidationError(problems)
    with database.atomic():
        made = ExportApproval.create(requested_by=actor.staff_id, what=what,
                                     purpose=purpose.strip(), archives=scope.archives,
                                     marked=scope.marked,
                                     requested_at=dt.datetime.now().replace(microsecond=0))
        approvers = Staff.select(Staff.id).where(
            Staff.active & (Staff.roles.contains("manager") | Staff.roles.contains("admin"))
            & (Staff.id != actor.staff_id))
        for (approver,) in approvers.tuples():
            notices.send(approver, "export_approval", actor, count=scope.archives,
                         note=purpose.strip()[:LINE_MAX])
        audit.record(actor, "export_approval_asked", None, approval=made.id, what=what,
                     archives=scope.archives, marked=scope.marked, purpose=purpose.strip())
    return made.id


def decide(approval_id: int, approve: bool, actor: Actor | None) -> None:
    """Approve or refuse an export someone else asked for (a manager or an administrator).

    Raises:
        PermissionDenied: the actor is neither, or asked for it themselves.
        NotFoundError: no such approval waiting.
    """
    visibility.require(actor, visibility.Duty.APPROVE_EXPORTS)
    with database.atomic():
        waiting = ExportApproval.get_or_none((ExportApproval.id == approval_id)
                                             & (ExportApproval.state == "pending"))
        if waiting is None:
            raise NotFoundError(_("No export approval {id} is waiting.").format(id=approval_id))
        if actor is not None and waiting.requested_by_id == actor.staff_id:
            raise PermissionDenied(_("An export is approved by someone other than the one who "
                                     "asked for it."))
        ExportApproval.update(state="approved" if approve else "refused",
                              decided_by=actor.staff_id if actor else None,
                              decided_at=dt.datetime.now().replace(microsecond=0)).where(
            ExportApproval.id == approval_id).execute()
        audit.record(actor, "export_approval_decided", None, approval=approval_id,
                     approved=approve)


def use(approval_id: int | None, what: str, scope: Scope, actor: Actor | None) -> None:
    """Spend an approval on this export, or raise ApprovalNeeded when it has none that fits.

    Call inside the export's transaction. An approval fits when it was given to ``actor`` for
    the same list, covers at least as many archives and marked cards, and is unused; without
    ``approval_id`` the newest that fits is taken.
    """
    if actor is not None:
        fits = ((ExportApproval.state == "approved")
                & (ExportApproval.requested_by == actor.staff_id) & (ExportApproval.what == what)
                & (ExportApproval.archives >= scope.archives)
                & (ExportApproval.marked >= scope.marked))
        if approval_id is None:
            approval_id = ExportApproval.select(ExportApproval.id).where(fits).order_by(
                ExportApproval.id.desc()).scalar()
        if approval_id is not None and ExportApproval.update(state="used").where(
                fits & (ExportApproval.id == approval_id)).execute():
            return
    raise ApprovalNeeded(scope.archives, scope.marked)


def approvals(actor: Actor, pending_only: bool = False) -> list[ApprovalRow]:
    """Approvals newest first: every one for managers and administrators, one's own otherwise."""
    asker, decider = Staff.alias(), Staff.alias()
    query = (ExportApproval.select(ExportApproval.id, asker.name, ExportApproval.what,
                                   ExportApproval.purpose, ExportApproval.archives,
                                   ExportApproval.marked, ExportApproval.requested_at,
                                   ExportApproval.state, decider.name)
             .join_from(ExportApproval, asker, on=(ExportApproval.requested_by == asker.id))
             .join_from(ExportApproval, decider, on=(ExportApproval.decided_by == decider.id),
                        join_type=peewee.JOIN.LEFT_OUTER)
             .order_by(ExportApproval.requested_at.desc(), ExportApproval.id.desc()))
    if not visibility.may(actor, visibility.Duty.APPROVE_EXPORTS):
        query = query.where(ExportApproval.requested_by == actor.staff_id)
    if pending_only:
        query = query.where(ExportApproval.state == "pending")
    return [ApprovalRow(*row[:8], row[8] or "") for row in query.tuples()]

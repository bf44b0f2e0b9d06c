"""The handbook's confidentiality registers (保密制度): lent cards and suspected leaks.

Lending (外借登记册): a printed card or a copy of an archive leaves the keeper's hands only with
a line in the register: who, which archive, how many copies, why, when, and the day it is due
back (three days by default). The keeper (a manager) records loans and their return; the
borrower sees their own. Loans past their day are the manager's to chase.

Leaks: anyone may report a suspected leak (what, when, how it was noticed). Every manager is
told at once, and the report stays in the audit trail like every other act.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import peewee

from crmdesk.errors import NotFoundError, Problem, ValidationError
from crmdesk.i18n import N_, _
from crmdesk.models import Customer, LeakReport, Loan, Staff
from crmdesk.models.db import database
from crmdesk.services import audit, notices, visibility
from crmdesk.services.context import Actor
from crmdesk.services.typed_text import LINE_MAX, NOTE_MAX, text_problem, text_problems

LOAN_DAYS = 3
COPIES_MAX = 99
LOAN_TITLES = {"out": N_("Lent out"), "returned": N_("Returned"), "cancelled": N_("Cancelled"),
               "overdue": N_("Overdue")}


@dataclass(frozen=True)
class LoanRow:
    """One line of the lending register."""

    id: int
    archive_no: str
    name: str
    borrower: str
    copies: int
    purpose: str
    lent_at: dt.datetime
    due: dt.date
    state: str

    @property
    def state_label(self) -> str:
        return _(LOAN_TITLES[self.state])


def lend(customer_id: int, borrower_id: int, copies: int, purpose: str, actor: Actor | None,
         due: dt.date | None = None) -> int:
    """Record a printed card or copy lent to ``borrower_id``; returns the loan's id.

    Raises:
        PermissionDenied: only the keeper (a manager) lends archives.
        ValidationError: no purpose, copies out of range, a due day before today, an unknown
            borrower or archive.
    """
    visibility.require(actor, visibility.Duty.REASSIGN)
    today = dt.date.today()
    due = due or today + dt.timedelta(days=LOAN_DAYS)
    problems = text_problems(("purpose", _("Purpose"), purpose, LINE_MAX))
    if not purpose.strip():
        problems.append(Problem("purpose", _("Purpose"), _("required")))
    if not 1 <= copies <= COPIES_MAX:
        problems.append(Problem("copies", _("Copies"), _("from 1 to {n}").format(n=COPIES_MAX)))
    if due < today:
        problems.append(Problem("due", _("Due back"), _("cannot be before today")))
    if not Staff.select().where((Staff.id == borrower_id) & Staff.active).exists():
        problems.append(Problem("borrower", _("Borrower"), _("no such entry")))
    if not Customer.select().where(Customer.id == customer_id).exists():
        problems.append(Problem("customer", _("Archive"), _("no such entry")))
    if problems:
        raise ValidationError(problems)
    with database.atomic():
        loan = Loan.create(customer=customer_id, borrower=borrower_id, copies=copies,
                           purpose=purpose.strip(), lent_at=dt.datetime.now().replace(
                               microsecond=0), due=due, lent_by=actor.staff_id if actor else None)
        audit.record(actor, "loan_out", customer_id, loan=loan.id, borrower=borrower_id,
                     copies=copies, due=due)
    return loan.id


def close_loan(loan_id: int, state: str, actor: Actor | None) -> None:
    """Mark a loan ``returned`` (back with the keeper) or ``cancelled`` (recorded by mistake).

    Raises:
        PermissionDenied: only the keeper closes loans.
        NotFoundError: no such loan still out.
        ValidationError: an unknown state.
    """
    visibility.require(actor, visibility.Duty.REASSIGN)
    if state not in ("returned", "cancelled"):
        raise ValidationError([Problem("state", _("State"), _(
            "not one of the choices: {value}").format(value=state))])
    with database.atomic():
        loan = Loan.get_or_none((Loan.id == loan_id) & (Loan.state == "out"))
        if loan is None:
            raise NotFoundError(_("No loan {id} is still out.").format(id=loan_id))
        Loan.update(state=state, closed_at=dt.datetime.now().replace(microsecond=0)).where(
            Loan.id == loan_id).execute()
        audit.record(actor, f"loan_{state}", loan.customer_id, loan=loan_id)


def loans(actor: Actor | None, open_only: bool = False,
          today: dt.date | None = None) -> list[LoanRow]:
    """The lending register, newest first: the keeper's whole register, a borrower's own."""
    today = today or dt.date.today()
    borrower = Staff.alias()
    query = (Loan.select(Loan.id, Customer.archive_no, Customer.name, borrower.name, Loan.copies,
                         Loan.purpose, Loan.lent_at, Loan.due, Loan.state)
             .join_from(Loan, Customer).join_from(Loan, borrower,
                                                   on=(Loan.borrower == borrower.id))
             .order_by(Loan.lent_at.desc(), Loan.id.desc()))
    if not visibility.may(actor, visibility.Duty.REASSIGN):
        query = query.where(Loan.borrower == (actor.staff_id if actor else None))
    if open_only:
        query = query.where(Loan.state == "out")
    return [LoanRow(*row[:8], "overdue" if row[8] == "out" and row[7] < today else row[8])
            for row in query.tuples()]


def report_leak(what: str, noticed_how: str, actor: Actor | None,
                happened_at: dt.datetime | None = None, customer_id: int | None = None) -> int:
    """Record a suspected leak and tell every manager at once; returns the report's id.

    Raises:
        ValidationError: what or how it was noticed missing or too long.
    """
    problems = [p for p in (
        text_problem("what", _("What leaked"), what, NOTE_MAX, multiline=True),
        text_problem("noticed_how", _("How it was noticed"), noticed_how, NOTE_MAX,
                     multiline=True)) if p]
    for field, label, text in (("what", _("What leaked"), what),
                               ("noticed_how", _("How it was noticed"), noticed_how)):
        if not text.strip():
            problems.append(Problem(field, label, _("required")))
    if problems:
        raise ValidationError(problems)
    now = dt.datetime.now().replace(microsecond=0)
    with database.atomic():
        report = LeakReport.create(what=what.strip(), happened_at=happened_at,
                                   noticed_how=noticed_how.strip(), customer=customer_id,
                                   reported_by=actor.staff_id if actor else None,
                                   reported_at=now)
        managers = [row[0] for row in Staff.select(Staff.id).where(
            Staff.active & Staff.roles.contains("manager")).tuples()]
        for manager_id in managers:
            if actor is None or manager_id != actor.staff_id:
                notices.send(manager_id, "leak", actor, customer_id,
                             note=what.strip()[:LINE_MAX])
        audit.record(actor, "leak_report", customer_id, report=report.id, what=what.strip(),
                     noticed_how=noticed_how.strip(), happened_at=happened_at)
    return report.id


@dataclass(frozen=True)
class LeakRow:
    """A suspected leak as the manager's list shows it; ``archive_no`` is empty when none was
    named."""

    id: int
    reported_at: dt.datetime
    reporter: str
    what: str
    happened_at: dt.datetime | None
    noticed_how: str
    archive_no: str


def leak_reports(actor: Actor | None) -> list[LeakRow]:
    """Every suspected leak reported, newest first (managers).

    Raises:
        PermissionDenied: the actor is not a manager.
    """
    visibility.require(actor, visibility.Duty.REASSIGN)
    query = (LeakReport.select(LeakReport.id, LeakReport.reported_at, Staff.name, LeakReport.what,
                               LeakReport.happened_at, LeakReport.noticed_how,
                               Customer.archive_no)
             .join_from(LeakReport, Staff, peewee.JOIN.LEFT_OUTER,
                        on=(LeakReport.reported_by == Staff.id))
             .join_from(LeakReport, Customer, peewee.JOIN.LEFT_OUTER)
             .order_by(LeakReport.reported_at.desc(), LeakReport.id.desc()))
    return [LeakRow(r[0], r[1], r[2] or "", r[3], r[4], r[5], r[6] or "")
            for r in query.tuples()]

"""The confidentiality registers: lent cards come back within three days; leaks reach managers."""
from __future__ import annotations

import datetime as dt

import pytest

from crmdesk.errors import NotFoundError, ValidationError
from crmdesk.models import AuditEntry, Notice, Staff
from crmdesk.services import confidentiality
from crmdesk.services.accounts import PermissionDenied


def test_a_lent_card_is_due_back_in_three_days_and_overdue_after(add_customer, manager,
                                                                salesperson):
    customer_id = add_customer()
    loan_id = confidentiality.lend(customer_id, salesperson.staff_id, 2, "外出拜访", manager)

    [row] = confidentiality.loans(manager)
    assert (row.id, row.borrower, row.copies, row.purpose, row.state) == (
        loan_id, "王强", 2, "外出拜访", "out")
    assert row.due == dt.date.today() + dt.timedelta(days=3)
    later = dt.date.today() + dt.timedelta(days=4)
    assert [r.state for r in confidentiality.loans(manager, today=later)] == ["overdue"]
    assert [r.id for r in confidentiality.loans(salesperson)] == [loan_id]


def test_the_keeper_records_the_return_and_nobody_else_lends(add_customer, manager,
                                                             salesperson):
    customer_id = add_customer()
    with pytest.raises(PermissionDenied):
        confidentiality.lend(customer_id, salesperson.staff_id, 1, "复印", salesperson)
    loan_id = confidentiality.lend(customer_id, salesperson.staff_id, 1, "复印", manager)

    confidentiality.close_loan(loan_id, "returned", manager)

    assert confidentiality.loans(manager, open_only=True) == []
    assert confidentiality.loans(manager)[0].state_label == "已归还"
    with pytest.raises(NotFoundError):
        confidentiality.close_loan(loan_id, "returned", manager)
    actions = [a for (a,) in AuditEntry.select(AuditEntry.action).tuples()]
    assert "loan_out" in actions and "loan_returned" in actions


def test_a_loan_names_its_purpose_and_a_sensible_number_of_copies(add_customer, manager,
                                                                  salesperson):
    with pytest.raises(ValidationError) as refused:
        confidentiality.lend(add_customer(), salesperson.staff_id, 0, " ", manager,
                             due=dt.date(2020, 1, 1))
    assert {p.field for p in refused.value.problems} == {"purpose", "copies", "due"}


def test_a_suspected_leak_reaches_every_manager_at_once_and_stays_audited(manager,
                                                                          salesperson):
    other = Staff.create(name="钱经理", username="qian", roles="manager")

    confidentiality.report_leak("客户名单出现在竞争对手处", "客户来电告知", salesperson)

    told = {n.recipient_id for n in Notice.select().where(Notice.kind == "leak")}
    assert told == {manager.staff_id, other.id}
    assert AuditEntry.select().where(AuditEntry.action == "leak_report").count() == 1
    with pytest.raises(ValidationError):
        confidentiality.report_leak(" ", "x", salesperson)

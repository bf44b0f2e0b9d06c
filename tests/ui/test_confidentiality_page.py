"""The 保密登记 page: the lending register (lend, return, cancel, overdue in red), requests to
read cards (approve through a day, refuse), the monthly sign-off list, suspected leaks, and the
"Report a suspected leak…" entry for everyone."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate

from crmdesk.models import AccessRequest, CardReader, CardReview, LeakReport, Loan, Staff
from crmdesk.services import access_requests, card_reviews, confidentiality, customers
from crmdesk.services.context import Actor
from crmdesk.ui.dialogs.confidentiality_dialogs import (
    ApproveDialog,
    LeakDialog,
    LoanDialog,
    SignOffDialog,
)
from crmdesk.ui.pages.confidentiality import ConfidentialityPage
from crmdesk.ui.rows_table import WARNING_COLOUR

pytestmark = pytest.mark.usefixtures("inline_operations")
TODAY = dt.date.today()


def _customer(owner: Actor, name: str) -> tuple[int, str]:
    card = customers.new_card(owner)
    card.values.update(name=name, owner=owner.staff_id)
    saved = customers.save_card(card, owner, accept_incomplete=True)
    return saved.customer_id, saved.archive_no


@pytest.fixture
def page(window) -> ConfidentialityPage:
    found = window.findChild(ConfidentialityPage)
    window.pages.setCurrentWidget(found)
    return found


def _cells(table, row: int) -> list[str]:
    return [table.item(row, c).text() for c in range(table.columnCount())]


def test_the_keeper_lends_a_card_and_records_its_return(page, manager, salesperson,
                                                        monkeypatch):
    _cid, number = _customer(manager, "张三")
    tab = page.loans

    def lend(dialog: LoanDialog) -> int:
        dialog.archive_no.setText(number)
        dialog.borrower.setCurrentIndex(dialog.borrower.findText("王强"))
        dialog.copies.setValue(2)
        dialog.purpose.setText("外出拜访")
        dialog.submit()
        return dialog.result()

    monkeypatch.setattr(LoanDialog, "exec", lend)
    assert tab.lend()
    assert _cells(tab.table, 0)[1:] == [number, "张三", "王强", "2", "外出拜访",
                                        (TODAY + dt.timedelta(days=3)).isoformat(), "已借出"]
    tab.table.selectRow(0)
    tab.return_button.click()
    assert Loan.get().state == "returned" and tab.table.item(0, 7).text() == "已归还"
    assert not tab.return_button.isEnabled()


def test_an_overdue_loan_is_red_and_a_wrong_archive_is_refused(page, manager, salesperson,
                                                               boxes, monkeypatch):
    cid, _number = _customer(manager, "李四")
    loan = confidentiality.lend(cid, salesperson.staff_id, 1, "复印", manager)
    Loan.update(due=TODAY - dt.timedelta(days=1)).where(Loan.id == loan).execute()
    page.loans.reload()
    assert page.loans.table.item(0, 7).text() == "已逾期"
    assert page.loans.table.item(0, 0).foreground().color() == WARNING_COLOUR

    def lend(dialog: LoanDialog) -> int:
        dialog.archive_no.setText("KH2099000001")
        dialog.purpose.setText("复印")
        dialog.submit()
        return dialog.result()

    monkeypatch.setattr(LoanDialog, "exec", lend)
    assert not page.loans.lend()
    assert "KH2099000001" in boxes.texts() and Loan.select().count() == 1


def test_a_manager_approves_a_request_through_a_day_and_refuses_another(page, manager,
                                                                        salesperson, boxes,
                                                                        monkeypatch):
    first, _ = _customer(manager, "甲")
    second, _ = _customer(manager, "乙")
    access_requests.request(first, "核对合同", "客户来电", salesperson)
    access_requests.request(second, "看看", "好奇", salesperson)
    tab = page.requests
    page.tabs.setCurrentWidget(tab)
    assert tab.table.rowCount() == 2 and tab.table.item(0, 5).text() == "等待经理审批"

    def approve(dialog: ApproveDialog) -> int:
        until = TODAY + dt.timedelta(days=5)
        dialog.until.setDate(QDate(until.year, until.month, until.day))
        dialog.submit()
        return dialog.result()

    monkeypatch.setattr(ApproveDialog, "exec", approve)
    tab.table.select_key(AccessRequest.get(AccessRequest.customer == first).id)
    assert tab.approve()
    reader = CardReader.get(CardReader.customer == first)
    assert reader.until == TODAY + dt.timedelta(days=5)

    boxes.answer = boxes.answer.Yes
    tab.table.select_key(AccessRequest.get(AccessRequest.customer == second).id)
    tab.refuse()
    assert AccessRequest.get(AccessRequest.customer == second).state == "refused"
    assert not tab.approve_button.isEnabled()


def test_the_monthly_list_signs_a_card_off_with_a_remark(page, manager, monkeypatch):
    cid, number = _customer(manager, "丙")
    card_reviews.put_up(cid, manager)
    tab = page.reviews
    page.tabs.setCurrentWidget(tab)
    assert _cells(tab.table, 0)[:2] == [number, "丙"]

    def sign(dialog: SignOffDialog) -> int:
        dialog.remark.setText("资料完整")
        dialog.submit()
        return dialog.result()

    monkeypatch.setattr(SignOffDialog, "exec", sign)
    tab.table.selectRow(0)
    assert tab.sign_off()
    assert CardReview.get().remark == "资料完整"
    assert _cells(tab.table, 0)[5] == "赵经理" and not tab.sign_button.isEnabled()
    last_month = TODAY.replace(day=1) - dt.timedelta(days=1)
    tab.month.setDate(QDate(last_month.year, last_month.month, 1))
    assert tab.table.rowCount() == 0



def test_a_salesperson_sees_only_their_own_loans_and_requests(sales_window, salesperson,
                                                              manager):
    lina = Actor.of(Staff.create(name="李娜", username="ln", roles="sales"))
    cid, _ = _customer(manager, "丁")
    confidentiality.lend(cid, salesperson.staff_id, 1, "拜访", manager)
    confidentiality.lend(cid, lina.staff_id, 1, "拜访", manager)
    page = sales_window.findChild(ConfidentialityPage)
    assert page.tabs.count() == 2 and page.reviews is None and page.leaks is None
    page.loans.reload()
    assert page.loans.table.rowCount() == 1 and page.loans.lend_button.isHidden()
    assert page.requests.approve_button.isHidden()


def test_anyone_reports_a_suspected_leak_from_the_archive_menu(sales_window, monkeypatch):
    def report(dialog: LeakDialog) -> int:
        dialog.what.setPlainText("客户名单被拍照")
        dialog.noticed_how.setPlainText("同事看见")
        dialog.submit()
        return dialog.result()

    monkeypatch.setattr(LeakDialog, "exec", report)
    entry = next(a for a in sales_window.menu("档案(&A)").actions()
                 if a.text() == "报告疑似泄露…")
    entry.trigger()
    leak = LeakReport.get()
    assert (leak.what, leak.noticed_how, leak.happened_at) == ("客户名单被拍照", "同事看见", None)


def test_the_managers_see_the_leak_reports(page, manager, salesperson):
    confidentiality.report_leak("名单外泄", "客户告知", salesperson)
    page.tabs.setCurrentWidget(page.leaks)
    assert _cells(page.leaks.table, 0)[1:3] == ["王强", "名单外泄"]


def test_a_manager_approves_another_managers_export_on_the_page(page, manager):
    from crmdesk.services.exports import approval
    from crmdesk.services.search import ListQuery

    asker = Actor.of(Staff.create(name="钱经理", username="qian", roles="manager"))
    card = customers.new_card(asker)
    card.values.update(name="张三", confidentiality="confidential")
    customers.save_card(card, asker, accept_incomplete=True)
    approval.ask("customers", ListQuery(), "年度回访", asker)
    tab = page.exports
    page.tabs.setCurrentWidget(tab)
    tab.reload()
    assert _cells(tab.table, 0)[1:4] == ["钱经理", "customers", "1"]

    tab.table.selectRow(0)
    tab.decide(True)

    assert [r.state for r in approval.approvals(manager)] == ["approved"]
    assert not tab.approve_button.isEnabled()

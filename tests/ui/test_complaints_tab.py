"""Complaints on the card: recorded from the card they appear in its list; a refused save keeps
what was typed; steps, hand-over and closing from the card; the overdue list opens the card."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDateTime

from crmdesk.models import Complaint, ComplaintStep
from crmdesk.services import complaints, customers
from crmdesk.ui.dialogs.complaint_dialog import ComplaintDialog
from crmdesk.ui.dialogs.complaint_handling import AssignDialog, CloseDialog, StepDialog
from crmdesk.ui.pages.complaints_overdue import OverdueComplaintsPage

pytestmark = pytest.mark.usefixtures("inline_operations")


@pytest.fixture
def card(window, manager) -> int:
    """A saved customer whose card is open in the window."""
    new = customers.new_card(manager)
    new.values.update(name="刘投诉")
    customer_id = customers.save_card(new, manager, accept_incomplete=True).customer_id
    window.open_customer(customer_id)
    assert window.card.customer_id == customer_id
    return customer_id


def _fill(dialog: ComplaintDialog, content: str = "送货晚了三天") -> None:
    dialog.received_at.setDateTime(QDateTime(2026, 3, 2, 9, 30, 0))
    dialog.channel.setCurrentIndex(dialog.channel.findData("call"))
    dialog.category.setCurrentIndex(dialog.category.findData("delivery"))
    dialog.severity.setCurrentIndex(dialog.severity.findData("major"))
    dialog.content.setPlainText(content)


def test_a_complaint_recorded_from_the_card_appears_in_its_list(window, card, monkeypatch):
    tab = window.card.complaints_tab
    assert tab.table.rowCount() == 0 and tab.record_button.isEnabled()

    def record(dialog: ComplaintDialog) -> int:
        _fill(dialog)
        dialog.submit()
        return dialog.result()

    monkeypatch.setattr(ComplaintDialog, "exec", record)
    assert tab.record()
    assert tab.table.rowCount() == 1
    assert [tab.table.item(0, c).text() for c in (1, 2, 3)] == [
        "2026-03-02 09:30", "交付延误", "重大"]
    saved = Complaint.get(Complaint.customer == card)
    assert (saved.channel, saved.content, saved.due_on) == ("call", "送货晚了三天",
                                                            dt.date(2026, 3, 3))


def test_a_refused_save_keeps_what_was_typed(window, card, boxes, monkeypatch):
    tab = window.card.complaints_tab
    seen: list[ComplaintDialog] = []

    def record(dialog: ComplaintDialog) -> int:
        _fill(dialog, content="   ")
        dialog.due_on.setText("2026-02-30")
        dialog.submit()  # refused: not a day
        dialog.due_on.setText("2026-03-01")
        dialog.submit()  # refused: no complaint text, due before receipt
        seen.append(dialog)
        return dialog.result()

    monkeypatch.setattr(ComplaintDialog, "exec", record)
    assert not tab.record()
    dialog = seen[0]
    assert "答复期限" in boxes.shown[0][1]
    assert "投诉内容" in boxes.shown[1][1] and "答复期限" in boxes.shown[1][1]
    assert (dialog.category.currentData(), dialog.severity.currentData(),
            dialog.due_on.text()) == ("delivery", "major", "2026-03-01")
    assert dialog.received_at.dateTime() == QDateTime(2026, 3, 2, 9, 30, 0)
    assert Complaint.select().count() == 0


def test_steps_hand_over_and_closing_from_the_card(window, card, manager, salesperson,
                                                   monkeypatch):
    number = complaints.record_complaint(card, complaints.NewComplaint(
        dt.datetime(2026, 3, 2, 9, 0), "visit", "态度差", "service"), manager)
    tab = window.card.complaints_tab
    tab.reload()
    tab.table.selectRow(0)
    assert tab.step_button.isEnabled() and tab.assign_button.isVisibleTo(tab)

    def step(dialog: StepDialog) -> int:
        dialog.action.setPlainText("电话致歉")
        dialog.submit()
        return dialog.result()

    def assign(dialog: AssignDialog) -> int:
        dialog.handler.setCurrentIndex(dialog.handler.findData(salesperson.staff_id))
        dialog.submit()
        return dialog.result()

    def close(dialog: CloseDialog) -> int:
        dialog.result_text.setPlainText("已上门道歉")
        dialog.satisfaction.setCurrentIndex(dialog.satisfaction.findData("satisfied"))
        dialog.submit()
        return dialog.result()

    for dialog_class, slot in ((StepDialog, tab.add_step), (AssignDialog, tab.assign),
                               (CloseDialog, tab.close_complaint)):
        monkeypatch.setattr(dialog_class, "exec", {StepDialog: step, AssignDialog: assign,
                                                   CloseDialog: close}[dialog_class])
        assert slot()
    assert [s.action for s in ComplaintStep.select()] == ["电话致歉"]
    closed = Complaint.get_by_id(number)
    assert (closed.handler_id, closed.result, closed.closed_on) == (
        salesperson.staff_id, "已上门道歉", dt.date.today())
    assert tab.steps.rowCount() == 1 and tab.steps.item(0, 1).text() == "电话致歉"
    assert tab.table.item(0, 4).text() == "王强" and "满意" in tab.table.item(0, 7).text()
    assert not tab.close_button.isEnabled()


def test_the_overdue_list_shows_a_late_complaint_and_opens_its_card(window, card, manager,
                                                                    qtbot):
    complaints.record_complaint(card, complaints.NewComplaint(
        dt.datetime(2026, 1, 5, 9, 0), "call", "没人回电", "service"), manager)
    window.show_archive()
    window.card.load_new()
    page = window.findChild(OverdueComplaintsPage)
    page.reload()
    assert page.table.rowCount() == 1
    assert page.table.item(0, 2).text() == "刘投诉"
    page.table.chosen.emit(page.table.key(0))
    qtbot.waitUntil(lambda: window.card.customer_id == card, timeout=5000)

"""The register form (F2) lists what the one duplicate rule finds, as the card editor's panel
does, with why; confirming a new archive against a strong match asks for the reason."""
from __future__ import annotations

import json

import pytest

from crmdesk.models import AuditEntry, Customer, Staff, Visit
from crmdesk.services import customers
from crmdesk.services.context import Actor
from crmdesk.ui.dialogs.visit_dialog import VisitDialog

pytestmark = pytest.mark.usefixtures("inline_operations")
WHY = 7  # the matches' column saying why an archive is listed


@pytest.fixture
def desk(window) -> Actor:
    """The front desk, with 王强 selling besides the manager."""
    Staff.create(name="王强", username="wq", roles="sales")
    return Actor.of(Staff.create(name="陈静", username="desk", roles="frontdesk"))


def _archive(owner: Actor, **values: object) -> Customer:
    card = customers.new_card(owner)
    card.values.update(values)
    return Customer.get_by_id(customers.save_card(card, owner, accept_incomplete=True)
                              .customer_id)


def _form(qtbot, window, actor: Actor, name: str, phone: str = "",
          company: str = "") -> VisitDialog:
    form = VisitDialog(actor, window.tasks, window)
    form.show()
    qtbot.waitUntil(form.isVisible)
    form.name.setText(name)
    form.company.setText(company)
    form.phone.setText(phone)
    form.refresh_matches()
    return form


def test_a_same_sounding_name_at_the_company_is_a_candidate_at_the_desk_and_in_the_card(
        qtbot, window, manager, desk):
    known = _archive(manager, name="张伟", mobile="13800138000", employer="华信科技有限公司")

    form = _form(qtbot, window, desk, "章伟", company="华信科技")
    assert form.matches.rowCount() == 1
    assert form.matches.item(0, 0).text() == known.archive_no
    assert form.matches.item(0, 2).text() == "138****8000"  # the desk's view of the mobile
    assert "姓名同音且单位相同" in form.matches.item(0, WHY).text()
    assert "可能是" in form.matches.item(0, WHY).text()
    assert form.linked_id() is None  # only a candidate: not chosen for the desk

    card = window.card
    card.editor("name").setText("章伟")
    card.editor("employer").setText("华信科技")
    card.similar.look()
    assert card.similar.list.count() == 1
    panel = card.similar.list.item(0).text()
    assert known.archive_no in panel and "姓名同音且单位相同" in panel


def test_confirming_a_new_archive_asks_for_the_reason_and_audits_it(qtbot, window, desk,
                                                                    manager, boxes):
    known = _archive(manager, name="李四", mobile="13912345678")
    form = _form(qtbot, window, desk, "李小四", "139 1234 5678")
    assert form.linked_id() == known.id
    assert "很可能是同一客户" in form.matches.item(0, WHY).text()
    assert not form.confirm_reason.isVisibleTo(form)

    form.different.setChecked(True)
    assert form.linked_id() is None
    assert form.confirm_reason.isVisibleTo(form)
    form.register_button.click()
    assert "另建档案的理由" in boxes.texts()
    assert form.isVisible()
    assert Customer.select().count() == 1

    form.confirm_reason.setText("父子共用一个手机")
    form.register_button.click()
    qtbot.waitUntil(lambda: not form.isVisible())
    assert Customer.select().count() == 2
    assert not Visit.get().returning
    entry = AuditEntry.get(AuditEntry.action == "second_archive")
    assert json.loads(entry.details)["reason"] == "父子共用一个手机"


def test_a_strong_match_by_name_and_company_lets_the_desk_confirm_a_different_customer(
        qtbot, window, desk, manager):
    _archive(manager, name="王芳", mobile="13955556666", employer="盛达贸易")
    form = _form(qtbot, window, desk, "王芳", "139 7777 8888", "盛达贸易有限公司")

    assert "姓名和单位相同" in form.matches.item(0, WHY).text()
    assert form.linked_id() is None
    assert form.different.isEnabled()
    assert "说明理由" in form.link_note.text()


def test_a_top_secret_match_is_not_shown_but_the_desk_is_told(qtbot, window, desk, manager):
    _archive(manager, name="王芳", mobile="13955556666", employer="盛达贸易",
             confidentiality="secret")
    form = _form(qtbot, window, desk, "王芳", "139 7777 8888", "盛达贸易")

    assert form.matches.rowCount() == 0
    assert form.restricted_note.isVisibleTo(form)
    assert "询问经理" in form.restricted_note.text()

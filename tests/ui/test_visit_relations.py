"""The visit form for a visitor brought by an old customer (老带新): the referrer's and a household
member's archive numbers are checked as typed, change who is proposed, and a number naming no
archive refuses the registration and keeps what was typed."""
from __future__ import annotations

import pytest

from crmdesk.models import Customer, HouseholdLink, Staff, Visit
from crmdesk.services import customers
from crmdesk.services.context import Actor
from crmdesk.ui.dialogs.visit_dialog import VisitDialog

pytestmark = pytest.mark.usefixtures("inline_operations")


@pytest.fixture
def lina(archive) -> Actor:
    """A salesperson other than the manager."""
    return Actor.of(Staff.create(name="李娜", username="ln", roles="sales"))


@pytest.fixture
def form(window, manager) -> VisitDialog:
    dialog = VisitDialog(manager, window.tasks, window)
    dialog.show()
    return dialog


def _customer_of(owner: Actor, name: str) -> Customer:
    card = customers.new_card(owner)
    card.values.update(name=name, owner=owner.staff_id)
    return Customer.get_by_id(customers.save_card(card, owner, accept_incomplete=True)
                              .customer_id)


def _brought_by_an_old_customer(form: VisitDialog) -> None:
    form.name.setText("新朋友")
    form.phone.setText("13911112222")
    form.source.setCurrentIndex(form.source.findData("old_brings_new"))


def _type(form: VisitDialog, field: str, text: str) -> None:
    line = form.related.lines[field]
    line.setText(text)
    line.editingFinished.emit()


def test_the_numbers_show_only_for_a_visitor_brought_by_an_old_customer(form):
    assert form.related.isHidden()
    _brought_by_an_old_customer(form)
    assert not form.related.isHidden()
    form.source.setCurrentIndex(form.source.findData("exhibition"))
    assert form.related.isHidden()


def test_the_referrers_salesperson_is_proposed_and_receives_the_visitor(lina, form):
    old = _customer_of(lina, "老客户")
    _brought_by_an_old_customer(form)
    _type(form, "referrer_id", old.archive_no.lower())
    assert form.related.notes["referrer_id"].text() == "已找到"
    assert form.salesperson.currentText() == "李娜"
    assert "老客户" in form.proposal_note.text()
    form.register()
    visit = Visit.get()
    assert (visit.salesperson_id, visit.referrer_id) == (lina.staff_id, old.id)


def test_a_household_member_goes_to_the_first_members_receiver(lina, form):
    spouse = _customer_of(lina, "丈夫")
    _brought_by_an_old_customer(form)
    _type(form, "household_of", spouse.archive_no)
    assert form.salesperson.currentText() == "李娜"
    assert "家庭" in form.proposal_note.text()
    form.register()
    assert HouseholdLink.get().first_id == spouse.id


def test_a_number_naming_no_archive_is_refused_and_kept(form, boxes):
    _brought_by_an_old_customer(form)
    _type(form, "referrer_id", "KH2099999999")
    assert "KH2099999999" in form.related.notes["referrer_id"].text()
    form.register()
    assert "介绍人档案号" in boxes.texts() and "KH2099999999" in boxes.texts()
    assert form.related.lines["referrer_id"].text() == "KH2099999999"
    assert Visit.select().count() == 0 and form.registered is None


def test_a_number_typed_just_before_registering_is_checked_then(form, boxes):
    _brought_by_an_old_customer(form)
    form.related.lines["household_of"].setText("KH2099999998")  # no editing finished yet
    form.register()
    assert "同一家庭成员档案号" in boxes.texts()
    assert Visit.select().count() == 0

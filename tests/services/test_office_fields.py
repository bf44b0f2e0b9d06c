"""The office's own card fields: defined by managers, checked and kept with the card."""
from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from crmdesk.errors import IncompleteCardWarning, StaleCardError, ValidationError
from crmdesk.models import AuditEntry, Customer, OfficeValue
from crmdesk.services import customers, office_fields, office_values
from crmdesk.services.accounts import PermissionDenied
from crmdesk.services.audit_text import ACTION_TITLES
from crmdesk.services.office_fields import FieldDraft
from tests.office_field_samples import CLUB, WORK_YEARS, add_fields
from tests.statements import statements_run


def test_a_manager_adds_a_field_and_it_is_audited(manager):
    field, = add_fields(manager, WORK_YEARS)
    assert (field.name, field.label, field.kind.key, field.group) == (
        "office.work_years", "工作年限", "number", "person")
    entry = AuditEntry.select().order_by(AuditEntry.seq.desc()).get()
    assert entry.action == "office_field_add" and entry.action in ACTION_TITLES
    assert [f.key for f in office_fields.fields_of_office()] == ["work_years"]


def test_a_salesperson_may_not_define_fields(salesperson):
    with pytest.raises(PermissionDenied):
        add_fields(salesperson, WORK_YEARS)
    assert office_fields.fields_of_office() == []


def test_a_bad_definition_names_every_problem(manager):
    add_fields(manager, WORK_YEARS)
    draft = FieldDraft("work_years", " ", "Years", "colour", "nowhere", choices=(("a", "甲", ""),))
    with pytest.raises(ValidationError) as refused:
        office_fields.add_field(draft, manager)
    assert {p.field for p in refused.value.problems} == {"key", "zh", "kind", "group", "choices"}
    with pytest.raises(ValidationError) as refused:
        office_fields.add_field(dataclasses.replace(CLUB, key="name"), manager)
    assert "name" in str(refused.value)
    with pytest.raises(ValidationError) as refused:
        office_fields.add_field(dataclasses.replace(CLUB, choices=()), manager)
    assert {p.field for p in refused.value.problems} == {"choices"}


def test_the_value_is_saved_with_the_card_and_read_back_typed(manager, salesperson,
                                                              complete_card):
    add_fields(manager)
    card = complete_card(salesperson)
    card.office = {"work_years": "12", "club": "网球", "vip_since": "2024年3月1日",
                   "deposit": "5,000", "parking": "是"}
    saved = customers.save_card(card, salesperson)
    opened = customers.open_card(saved.customer_id, salesperson)
    assert opened.office == {"work_years": Decimal(12), "club": "tennis",
                             "vip_since": dt.date(2024, 3, 1), "deposit": Decimal("5000.00"),
                             "parking": True}
    update = AuditEntry.select().where(AuditEntry.action == "create").get()
    assert "office.work_years" in update.details


def test_bad_values_are_refused_by_label_and_nothing_is_written(manager, salesperson,
                                                               complete_card):
    add_fields(manager)
    card = complete_card(salesperson, mobile="123")
    card.office = {"work_years": "twelve", "club": "篮球", "vip_since": "2024-02-30"}
    with pytest.raises(ValidationError) as refused:
        customers.save_card(card, salesperson)
    problems = {p.field: p.label for p in refused.value.problems}
    assert problems == {"mobile": "手机", "office.work_years": "工作年限",
                        "office.club": "俱乐部", "office.vip_since": "贵宾起始日"}
    assert "高尔夫" in str(refused.value)
    assert Customer.select().count() == 0 and OfficeValue.select().count() == 0


def test_an_empty_important_office_field_is_in_the_reminder(manager, salesperson,
                                                          complete_card):
    add_fields(manager, WORK_YEARS)
    with pytest.raises(IncompleteCardWarning) as reminded:
        customers.save_card(complete_card(salesperson), salesperson)
    assert [p.label for p in reminded.value.missing] == ["工作年限"]
    # An organisation is not asked for an individual's years of work.
    customers.save_card(complete_card(salesperson, kind="organisation"), salesperson)


def test_a_required_office_field_must_be_filled(manager, salesperson, complete_card):
    add_fields(manager, dataclasses.replace(WORK_YEARS, need="required"))
    with pytest.raises(ValidationError) as refused:
        customers.save_card(complete_card(salesperson), salesperson)
    assert [str(p) for p in refused.value.problems] == ["工作年限: 必填"]


def test_emptying_a_value_removes_it_and_a_hidden_field_keeps_its_value(
        manager, salesperson, complete_card):
    _years, club = add_fields(manager, WORK_YEARS, CLUB)
    card = complete_card(salesperson)
    card.office = {"work_years": "3", "club": "golf"}
    saved = customers.save_card(card, salesperson)
    office_fields.set_hidden(club.id, True, manager)
    opened = customers.open_card(saved.customer_id, salesperson)
    opened.office = {"work_years": ""}
    customers.save_card(opened, salesperson, accept_incomplete=True)
    assert customers.get_card(saved.customer_id).office == {"club": "golf"}
    assert [f.key for f in office_fields.fields_of_office(include_hidden=False)] == [
        "work_years"]


def test_a_stale_save_is_refused_with_office_values_too(manager, salesperson, complete_card):
    add_fields(manager, WORK_YEARS)
    card = complete_card(salesperson)
    card.office = {"work_years": "3"}
    saved = customers.save_card(card, salesperson)
    first = customers.open_card(saved.customer_id, salesperson)
    second = customers.open_card(saved.customer_id, salesperson)
    first.office = {"work_years": "4"}
    customers.save_card(first, salesperson)
    second.office = {"work_years": "5"}
    with pytest.raises(StaleCardError):
        customers.save_card(second, salesperson)
    assert customers.get_card(saved.customer_id).office == {"work_years": Decimal(4)}


def test_a_card_with_office_values_opens_in_eight_statements(manager, salesperson,
                                                             complete_card, caplog):
    add_fields(manager)
    card = complete_card(salesperson)
    card.office = {"work_years": "8", "club": "golf", "parking": "否"}
    saved = customers.save_card(card, salesperson)
    opening = statements_run(caplog, lambda: customers.open_card(saved.customer_id, salesperson))
    assert len(opening) <= 8, opening


def test_customers_are_found_by_an_office_value(manager, salesperson, complete_card):
    years, = add_fields(manager, WORK_YEARS)
    for value in ("5", "5.0", "6"):
        card = complete_card(salesperson)
        card.office = {"work_years": value}
        customers.save_card(card, salesperson)
    found = Customer.select().where(office_values.having_value(years, "5")).count()
    assert found == 2


def test_fields_are_reordered_within_their_group(manager):
    add_fields(manager, WORK_YEARS, dataclasses.replace(CLUB, group="person"))
    office_fields.reorder("person", ["club", "work_years"], manager)
    assert [f.key for f in office_fields.fields_of_office()] == ["club", "work_years"]
    with pytest.raises(ValidationError):
        office_fields.reorder("person", ["club"], manager)


def test_a_field_changes_but_its_kind_stays_once_cards_hold_it(manager, salesperson,
                                                              complete_card):
    years, = add_fields(manager, WORK_YEARS)
    changed = office_fields.change_field(
        years.id, dataclasses.replace(WORK_YEARS, zh="从业年限", need="general"), manager)
    assert (changed.label, changed.need.value) == ("从业年限", "general")
    card = complete_card(salesperson)
    card.office = {"work_years": "2"}
    customers.save_card(card, salesperson)
    with pytest.raises(ValidationError) as refused:
        office_fields.change_field(years.id, dataclasses.replace(WORK_YEARS, kind="text"),
                                   manager)
    assert {p.field for p in refused.value.problems} == {"kind"}


def test_built_in_fields_are_hidden_but_never_a_required_one(manager, salesperson):
    assert office_fields.hide_builtin("hobbies", True, manager) == {"hobbies"}
    assert office_fields.hidden_builtins() == {"hobbies"}
    with pytest.raises(ValidationError):
        office_fields.hide_builtin("name", True, manager)
    with pytest.raises(PermissionDenied):
        office_fields.hide_builtin("fax", True, salesperson)
    assert office_fields.hide_builtin("hobbies", False, manager) == frozenset()

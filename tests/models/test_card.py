"""The card definition: one declaration per field, labels in both languages, kinds by group."""
from __future__ import annotations

import pytest

from crmdesk import i18n
from crmdesk.models import Communication, Customer, DecisionPerson, Purchase, YearlySale
from crmdesk.models.card import (
    CARD,
    FIELDS,
    TABLE_COLUMNS,
    Applies,
    Need,
    all_fields,
    group_applies,
    stored_columns,
    table_label,
)
from crmdesk.models.fieldtypes import Kind


def test_every_field_is_declared_once():
    names = [spec.name for spec in all_fields()]
    assert len(names) == len(set(names)) == len(FIELDS)


def test_every_field_and_choice_has_both_labels():
    for spec in all_fields():
        assert spec.zh.strip(), spec.name
        assert spec.en.strip(), spec.name
        keys = [c.key for c in spec.choices]
        assert len(keys) == len(set(keys)), spec.name
        assert all(c.zh and c.en for c in spec.choices), spec.name
        if spec.kind in (Kind.CHOICE, Kind.MULTICHOICE):
            assert spec.choices, spec.name


def test_every_field_has_a_column_in_the_archive():
    columns = set(Customer._meta.fields)
    assert set(FIELDS) <= columns


def test_every_table_column_is_stored_in_its_record():
    records = {"decision_people": DecisionPerson, "purchases": Purchase,
               "sales_by_year": YearlySale, "communications": Communication}
    for table in TABLE_COLUMNS:
        stored = set(records[table]._meta.fields)
        assert {c.name for c in stored_columns(table)} <= stored, table
        # A computed column (the growth rate) is worked out, never kept.
        assert not {c.name for c in TABLE_COLUMNS[table] if c.computed} & stored, table


def test_the_card_has_four_tabs_in_office_order():
    assert [section.zh for section in CARD] == ["基础信息", "决策信息", "业务信息", "沟通信息"]


def test_the_required_fields_are_the_ones_the_office_cannot_do_without():
    required = {name for name, spec in FIELDS.items() if spec.need is Need.REQUIRED}
    assert required == {"kind", "name", "owner", "level", "status", "confidentiality"}


@pytest.mark.parametrize(("kind", "other"), [("individual", "organisation"),
                                             ("organisation", "individual")])
def test_fields_in_a_box_for_one_kind_apply_to_that_kind_only(kind, other):
    for section in CARD:
        for group in section.groups:
            if group.applies is Applies(kind):
                assert group_applies(group, kind)
                assert not group_applies(group, other)
                for spec in group.fields:
                    assert spec.for_kind(kind), spec.name
                    assert not spec.for_kind(other), spec.name
                    assert not FIELDS[spec.name].for_kind(other), spec.name


def test_person_details_are_not_asked_of_an_organisation():
    for name in ("employer", "gender", "birth_date", "spouse_name", "car_brand", "home_phone"):
        assert FIELDS[name].for_kind("individual")
        assert not FIELDS[name].for_kind("organisation"), name
    for name in ("licence_no", "tax_no", "legal_rep_name", "manager_mobile"):
        assert not FIELDS[name].for_kind("individual"), name
    for name in ("name", "mobile", "address", "needs", "notes"):
        assert FIELDS[name].for_kind("individual")
        assert FIELDS[name].for_kind("organisation")


def test_labels_follow_the_interface_language():
    assert FIELDS["name"].label == "客户名称"
    assert FIELDS["status"].choice("following").label == "跟进中"
    assert table_label("purchases") == "购买信息"
    i18n.set_language("en")
    assert FIELDS["name"].label == "Name"
    assert FIELDS["status"].choice("following").label == "Following up"
    assert table_label("purchases") == "Purchases"


def test_unknown_choice_key_is_no_choice():
    assert FIELDS["status"].choice("nonsense") is None
    assert FIELDS["status"].choice(None) is None

"""Removing an office field: asked first when cards hold values, which stay in the audit trail."""
from __future__ import annotations

import json

import pytest

from crmdesk.errors import NotFoundError
from crmdesk.models import AuditEntry, Customer, OfficeFieldRow, OfficeValue
from crmdesk.services import customers, office_fields
from crmdesk.services.accounts import PermissionDenied
from crmdesk.services.audit_text import ACTION_TITLES
from crmdesk.services.changes import KIND_OF_ACTION
from crmdesk.services.office_fields import FieldHoldsValues
from tests.office_field_samples import CLUB, WORK_YEARS, add_fields


def test_a_field_no_card_uses_is_removed_at_once(manager):
    add_fields(manager, CLUB)
    assert office_fields.remove_field("club", manager) == 0
    assert not OfficeFieldRow.select().exists()
    entry = AuditEntry.select().order_by(AuditEntry.seq.desc()).get()
    assert entry.action == "office_field_remove"
    assert entry.action in ACTION_TITLES and KIND_OF_ACTION[entry.action] == "settings"


def test_a_field_holding_values_is_removed_only_when_confirmed_and_the_values_are_kept(
        manager, salesperson, complete_card):
    add_fields(manager, WORK_YEARS, CLUB)
    card = complete_card(salesperson)
    card.office = {"work_years": "12.5", "club": "网球"}
    saved = customers.save_card(card, salesperson)
    with pytest.raises(FieldHoldsValues) as asked:
        office_fields.remove_field("club", manager)
    assert "1" in str(asked.value) and "俱乐部" in str(asked.value)
    assert asked.value.count == 1
    assert OfficeValue.select().count() == 2  # nothing removed yet
    assert office_fields.remove_field("club", manager, confirmed=True) == 1
    assert [f.key for f in office_fields.fields_of_office()] == ["work_years"]
    assert customers.get_card(saved.customer_id).office == {"work_years": 12.5}
    entry = AuditEntry.get(AuditEntry.action == "office_field_remove")
    details = json.loads(entry.details)
    number = Customer.get_by_id(saved.customer_id).archive_no
    assert details["key"] == "club" and details["label"] == "俱乐部"
    assert details["values"] == {number: "网球"}


def test_only_managers_remove_fields_and_unknown_ones_are_named(manager, salesperson):
    field, = add_fields(manager, CLUB)
    with pytest.raises(PermissionDenied):
        office_fields.remove_field("club", salesperson)
    with pytest.raises(NotFoundError):
        office_fields.remove_field("golf", manager)
    assert office_fields.field_by_key("club").id == field.id
    with pytest.raises(NotFoundError, match="nothing"):
        office_fields.field_by_key("nothing")

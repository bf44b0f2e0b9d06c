"""The card's tables are stored as the card declares them: one column per stored table column,
a required one never empty, besides what runs the archive."""
from __future__ import annotations

import pytest

from crmdesk.models.card import Need, stored_columns
from crmdesk.models.records import Communication, DecisionPerson, Purchase, YearlySale

RECORDS = {"decision_people": (DecisionPerson, {"id", "customer", "position"}),
           "purchases": (Purchase, {"id", "customer"}),
           "sales_by_year": (YearlySale, {"id", "customer"}),
           "communications": (Communication, {"id", "customer", "seq", "contacted_at"})}


@pytest.mark.parametrize("table", sorted(RECORDS))
def test_a_record_holds_exactly_the_columns_its_table_declares(table):
    model, own = RECORDS[table]
    declared = [c.name for c in stored_columns(table)]
    assert [n for n in model._meta.sorted_field_names if n not in own] == [
        n for n in declared if n not in own]
    for column in stored_columns(table):
        if column.name not in own:
            field = model._meta.fields[column.name]
            assert field.null is (column.need is not Need.REQUIRED), column.name


def test_a_contact_keeps_its_moment_and_number():
    assert type(Communication.contacted_at).__name__ == "DateTimeField"
    assert not Communication.seq.null and not Communication.contacted_at.null

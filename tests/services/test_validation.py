"""Checking card values and table rows against the card definition, without saving."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from crmdesk.i18n import _
from crmdesk.services.validation import clean_fields, clean_rows, missing_important


def test_clean_fields_returns_stored_values_and_every_problem(archive):
    values, problems = clean_fields(
        {"kind": "individual", "name": "  张三 ", "mobile": "+86 138-0013-8000",
         "birth_date": "1980.5.6", "email": "nope", "budget": "-1", "status": ""},
        "individual",
    )
    assert values["name"] == "张三"
    assert values["mobile"] == "13800138000"
    assert values["birth_date"] == dt.date(1980, 5, 6)
    assert {p.field for p in problems} == {
        "email", "budget", "status", "owner", "level", "confidentiality"}


def test_fields_of_the_other_kind_are_cleared_not_checked(archive):
    values, problems = clean_fields(
        {"kind": "organisation", "employer": "华信", "spouse_phone": "not a phone",
         "tax_no": "91310000X"}, "organisation")
    assert values["employer"] is None
    assert values["spouse_phone"] is None
    assert values["tax_no"] == "91310000X"
    assert "spouse_phone" not in {p.field for p in problems}


def test_important_fields_missing_for_each_kind(archive):
    filled = {"source": "visit", "consent": True, "mobile": "13800138000",
              "address": "上海", "needs": "家用"}
    assert [p.field for p in missing_important(filled, "individual")] == ["employer"]
    assert missing_important(filled, "organisation") == []
    assert [p.field for p in missing_important({**filled, "consent": False},
                                               "organisation")] == ["consent"]


def test_rows_are_cleaned_and_blank_rows_skipped(archive):
    rows, problems = clean_rows("purchases", [
        {"date": "2023/5/6", "product": "配件包", "quantity": "2", "amount": "1,200"},
        {"date": None, "product": "", "quantity": "", "amount": None},
    ])
    assert problems == []
    assert rows == [{"date": dt.date(2023, 5, 6), "product": "配件包", "quantity": 2,
                     "amount": Decimal("1200.00")}]


def test_every_required_column_of_a_row_is_named(archive):
    _rows, problems = clean_rows("purchases", [{"product": "配件包"}])
    assert [p.field for p in problems] == [
        "purchases.1.date", "purchases.1.quantity", "purchases.1.amount"]


def test_text_longer_than_its_field_is_a_problem(archive):
    _clean, problems = clean_fields({"name": "张" * 101, "address": "路" * 501,
                                     "notes": "字" * 2000}, "individual")
    at_most = _("at most {n} characters")
    assert {(p.field, p.message) for p in problems} >= {
        ("name", at_most.format(n=100)), ("address", at_most.format(n=500))}
    assert "notes" not in {p.field for p in problems}

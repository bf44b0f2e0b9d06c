"""The organisation card's sales by year (历年销售额) and the personal template's items 29-32."""
from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from crmdesk.errors import ValidationError
from crmdesk.models import AuditEntry, YearlySale
from crmdesk.services import customers
from crmdesk.services.audit_text import readable
from crmdesk.services.merges import merge, undo_merge
from crmdesk.services.sales_by_year import growth, with_growth


def _organisation(complete_card, actor, sales, **values):
    card = complete_card(actor, kind="organisation", **values)
    card.sales_by_year = [{"year": year, "amount": amount} for year, amount in sales]
    return card


def test_growth_is_worked_out_from_the_year_before_and_not_stored(salesperson, complete_card):
    card = _organisation(complete_card, salesperson,
                         [("2024", "150"), ("2022", "100"), ("2023", "120"), ("2021", "0")])
    saved = customers.save_card(card, salesperson)
    shown = customers.get_card(saved.customer_id).sales_by_year
    assert [(r["year"], r["amount"], r["growth"]) for r in shown] == [
        (2021, Decimal("0"), None),        # no year before
        (2022, Decimal("100"), None),      # no rate from a year that sold nothing
        (2023, Decimal("120"), Decimal("20.0")),
        (2024, Decimal("150"), Decimal("25.0")),
    ]
    assert "growth" not in YearlySale._meta.fields
    assert YearlySale.select().where(YearlySale.customer == saved.customer_id).count() == 4


def test_a_gap_in_the_years_gives_no_rate_and_a_fall_a_negative_one():
    rows = with_growth([{"year": 2020, "amount": Decimal("80")},
                        {"year": 2022, "amount": Decimal("90")},
                        {"year": 2023, "amount": Decimal("60")}])
    assert [r["growth"] for r in rows] == [None, None, Decimal("-33.3")]
    assert growth(Decimal("1"), Decimal("3")) == Decimal("-66.7")


def test_one_row_per_year_amounts_not_negative_and_years_plausible(salesperson, complete_card):
    card = _organisation(complete_card, salesperson,
                         [("2022", "100"), ("2023", "-5"), ("2022", "90"), ("1800", "1"),
                          ("", "12")])
    with pytest.raises(ValidationError) as refused:
        customers.save_card(card, salesperson)
    found = {p.field: p.message for p in refused.value.problems}
    assert set(found) == {"sales_by_year.2.amount", "sales_by_year.3.year",
                          "sales_by_year.4.year", "sales_by_year.5.year"}
    assert found["sales_by_year.2.amount"] == "金额不能为负数"
    assert found["sales_by_year.3.year"] == "2022 已在第 1 行:每年一行"
    assert found["sales_by_year.4.year"] == "年份应在 1950 至 2100 之间"
    assert str(refused.value).count("我司产品历年销售额") == 4
    assert YearlySale.select().count() == 0


def test_changing_the_years_is_on_the_audit_trail(salesperson, complete_card):
    saved = customers.save_card(
        _organisation(complete_card, salesperson, [("2022", "100")]), salesperson)
    card = customers.get_card(saved.customer_id)
    card.sales_by_year = [*card.sales_by_year, {"year": "2023", "amount": "130.5"}]
    customers.save_card(card, salesperson)
    entry = AuditEntry.select().where(AuditEntry.action == "update").get()
    changes = json.loads(entry.details)["changes"]
    assert changes["sales_by_year"] == ["2022: 100.00", "2022: 100.00; 2023: 130.50"]
    text = readable([{"action": "update", "details": {"changes": changes}}])[0]["text"]
    assert "我司产品历年销售额" in text


def test_a_merge_moves_the_years_and_keeps_the_survivors_amount(manager, complete_card):
    kept = customers.save_card(_organisation(
        complete_card, manager, [("2022", "100"), ("2023", "110")]), manager).customer_id
    other = customers.save_card(_organisation(
        complete_card, manager, [("2021", "70"), ("2022", "999")]), manager).customer_id
    merge_id = merge(kept, other, manager)
    shown = customers.get_card(kept).sales_by_year
    assert [(r["year"], r["amount"]) for r in shown] == [
        (2021, Decimal("70")), (2022, Decimal("100")), (2023, Decimal("110"))]
    undo_merge(merge_id, manager)
    assert [(r["year"], r["amount"]) for r in customers.get_card(other).sales_by_year] == [
        (2021, Decimal("70")), (2022, Decimal("999"))]


def test_the_personal_templates_missing_items_are_saved(salesperson, complete_card):
    card = complete_card(salesperson, working_since="2010-07-01", purchase_reason="改善居住",
                         bought_from_us="三房两厅 120㎡,为父母买", knows_us="朋友介绍,了解不多",
                         cares_about_clientele="在意")
    saved = customers.save_card(card, salesperson)
    values = customers.get_card(saved.customer_id).values
    assert values["working_since"] == dt.date(2010, 7, 1)
    assert values["bought_from_us"] == "三房两厅 120㎡,为父母买"
    assert values["cares_about_clientele"] == "在意"

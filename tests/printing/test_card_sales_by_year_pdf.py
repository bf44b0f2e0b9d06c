"""The printed organisation card carries our sales by year with the growth worked out."""
from __future__ import annotations

from crmdesk.models.card import table_label
from crmdesk.printing import render
from crmdesk.services import customers, printouts


def _saved(actor, kind: str, name: str, mobile: str) -> int:
    card = customers.new_card(actor, kind)
    card.values.update(name=name, mobile=mobile, address="天津市南开区1号", source="visit",
                       consent=True, needs="整车采购", employer="华信科技")
    card.sales_by_year = [{"year": "2023", "amount": "200"}, {"year": "2024", "amount": "250"}]
    return customers.save_card(card, actor).customer_id


def test_an_organisation_prints_its_years_and_growth_a_person_no_table(
        salesperson, context, pdf):
    company = _saved(salesperson, "organisation", "丸石自行车有限公司", "13800138000")
    person = _saved(salesperson, "individual", "张三", "13800138001")
    printed = pdf.squeeze("".join(pdf.pages_text(render.cards(
        [printouts.card_sheet(company, salesperson)], context))))
    assert table_label("sales_by_year") in printed
    for text in ("增长率", "2023", "200.00", "2024", "250.00", "25.0%"):
        assert text in printed, text
    printed = pdf.squeeze("".join(pdf.pages_text(render.cards(
        [printouts.card_sheet(person, salesperson)], context))))
    assert table_label("sales_by_year") not in printed

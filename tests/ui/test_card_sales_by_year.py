"""Our sales by year on the card's business tab: organisations only, growth as you type."""
from __future__ import annotations

from decimal import Decimal

import pytest

from crmdesk.services import customers

pytestmark = pytest.mark.usefixtures("inline_operations")


def _organisation(manager) -> int:
    card = customers.new_card(manager, "organisation")
    card.values.update(name="丸石自行车有限公司", mobile="13800138000", address="天津市南开区1号",
                       source="visit", consent=True, needs="整车采购")
    card.sales_by_year = [{"year": "2023", "amount": "100"}, {"year": "2024", "amount": "125"}]
    return customers.save_card(card, manager).customer_id


def test_the_table_shows_the_growth_and_follows_each_edit(window, manager):
    card = window.card
    card.load(_organisation(manager))
    table = card.tables["sales_by_year"]
    assert not table.isHidden()
    grid = table.grid
    assert [grid.item(r, 2).text() for r in range(2)] == ["", "25.0%"]
    grid.item(1, 1).setText("80")
    assert grid.item(1, 2).text() == "-20.0%"
    assert card.is_dirty()
    table.add_row()
    grid.item(2, 0).setText("2025")
    grid.item(2, 1).setText("100")
    assert grid.item(2, 2).text() == "25.0%"

    card.save()
    saved = customers.get_card(card.customer_id).sales_by_year
    assert [(r["year"], r["amount"], r["growth"]) for r in saved] == [
        (2023, Decimal("100"), None), (2024, Decimal("80"), Decimal("-20.0")),
        (2025, Decimal("100"), Decimal("25.0"))]


def test_an_individual_card_has_no_yearly_sales_and_a_switch_loses_nothing(
        window, manager):
    card = window.card
    card.load(_organisation(manager))
    kind = card.editor("kind")
    kind.setCurrentIndex(kind.findData("individual"))
    kind.activated.emit(kind.currentIndex())
    assert card.tables["sales_by_year"].isHidden()
    kind.setCurrentIndex(kind.findData("organisation"))
    kind.activated.emit(kind.currentIndex())
    assert not card.tables["sales_by_year"].isHidden()
    assert len(card.tables["sales_by_year"].rows()) == 2
    card.load_new()
    assert card.tables["sales_by_year"].isHidden()

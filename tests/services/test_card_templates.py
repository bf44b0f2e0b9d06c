"""Ready-made cards for a kind of office: the fields each shows and hides, its levels, and a
change of template that deletes nothing."""
from __future__ import annotations

import json

import pytest

from crmdesk.errors import NotFoundError
from crmdesk.models import AuditEntry
from crmdesk.models.card import FIELDS, Need
from crmdesk.services import card_templates, customers, settings
from crmdesk.services.accounts import PermissionDenied
from crmdesk.services.levels import levels
from crmdesk.services.office_fields import hidden_builtins

# What a user of each office sees: (a field shown, a field hidden).
SHOWN_AND_HIDDEN = {
    "showroom": (("favourite_cuisine", "spouse_name", "working_since", "tax_no"),
                 ("store_type", "our_yearly_sales", "legal_rep_religion")),
    "telesales": (("mobile", "wechat", "working_since", "hobbies", "employer_type"),
                  ("favourite_cuisine", "spouse_name", "home_phone", "store_type")),
    "organisation": (("store_type", "our_yearly_sales", "legal_rep_religion", "credit_rating"),
                     ("favourite_cuisine", "spouse_name", "home_phone")),
}
LEVEL_CODES = {"showroom": ["O", "H", "A", "B", "C", "战败"],
               "telesales": ["A", "B", "C", "D"], "organisation": ["A", "B", "C", "D"]}


@pytest.mark.parametrize("key", list(card_templates.TEMPLATES))
def test_each_template_shows_and_hides_its_fields_and_sets_its_levels(manager, key):
    result = card_templates.apply_template(key, manager)
    shown, hidden = SHOWN_AND_HIDDEN[key]
    assert hidden_builtins().isdisjoint(shown)
    assert set(hidden) <= hidden_builtins()
    assert [lv.code for lv in levels(active_only=True)] == LEVEL_CODES[key]
    assert card_templates.current_template() == key
    entry = AuditEntry.select().where(AuditEntry.action == "card_template").get()
    assert json.loads(entry.details)["template"] == key
    assert result.template == key


def test_no_template_hides_a_required_field_or_names_an_unknown_one():
    for template in card_templates.templates():
        assert template.hidden <= set(FIELDS), template.key
        assert all(FIELDS[name].need is not Need.REQUIRED for name in template.hidden)


def test_changing_the_template_keeps_every_value_and_level_in_use(manager, add_customer):
    card_templates.apply_template("showroom", manager)
    customer = add_customer(manager, favourite_cuisine="川菜", spouse_name="李梅")
    card_templates.apply_template("telesales", manager)
    assert "favourite_cuisine" in hidden_builtins()
    # A card saved while the field is hidden keeps what it holds.
    card = customers.get_card(customer)
    customers.save_card(card, manager)
    values = customers.get_card(customer).values
    assert (values["favourite_cuisine"], values["spouse_name"]) == ("川菜", "李梅")
    result = card_templates.apply_template("showroom", manager)
    assert "favourite_cuisine" in result.shown
    assert "favourite_cuisine" not in hidden_builtins()
    assert customers.get_card(customer).values["favourite_cuisine"] == "川菜"


def test_only_managers_and_administrators_pick_and_an_unknown_key_is_refused(
        manager, salesperson):
    with pytest.raises(PermissionDenied):
        card_templates.apply_template("telesales", salesperson)
    with pytest.raises(NotFoundError, match="showroom, telesales, organisation"):
        card_templates.apply_template("bakery", manager)
    assert settings.get("card_template") is None
    assert AuditEntry.select().where(AuditEntry.action == "card_template").count() == 0

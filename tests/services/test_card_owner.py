"""Changing the owner on the card is a manager's transfer, kept in the ownership history."""
from __future__ import annotations

import pytest

from crmdesk.models import Customer, OwnershipChange
from crmdesk.services import accounts, customers
from crmdesk.services.ownership import ownership_history


def _card(owner):
    card = customers.new_card(owner)
    card.values.update(name="钱七")
    return customers.save_card(card, owner, accept_incomplete=True).customer_id


def test_manager_changing_the_owner_on_the_card_records_a_transfer(manager, salesperson):
    customer_id = _card(salesperson)
    card = customers.get_card(customer_id)
    card.values["owner"] = manager.staff_id

    customers.save_card(card, manager, accept_incomplete=True)

    assert Customer.get_by_id(customer_id).owner_id == manager.staff_id
    change = OwnershipChange.get(OwnershipChange.customer == customer_id)
    assert (change.from_staff_id, change.to_staff_id) == (salesperson.staff_id, manager.staff_id)
    assert [row.kind for row in ownership_history(customer_id)][-1] == "transfer"


def test_salesperson_cannot_hand_their_customer_away_on_the_card(manager, salesperson):
    accounts.set_password(None, manager.staff_id, "manager password")
    customer_id = _card(salesperson)
    card = customers.get_card(customer_id)
    card.values["owner"] = manager.staff_id
    with pytest.raises(accounts.PermissionDenied):
        customers.save_card(card, salesperson, accept_incomplete=True)
    assert Customer.get_by_id(customer_id).owner_id == salesperson.staff_id
    assert not OwnershipChange.select().where(OwnershipChange.customer == customer_id).exists()

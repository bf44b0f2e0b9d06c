"""Deals recorded from the card: status 成交, a purchase line when a product is named."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from crmdesk.errors import ValidationError
from crmdesk.models import Customer, Purchase, Staff
from crmdesk.services import deals
from crmdesk.services.accounts import PermissionDenied
from crmdesk.services.context import Actor
from crmdesk.services.deals import NewDeal

TODAY = dt.date(2026, 3, 31)


def test_a_deal_with_a_product_is_a_purchase_line_and_marks_the_card(add_customer,
                                                                      salesperson):
    customer_id = add_customer()
    deals.record_deal(customer_id, NewDeal(dt.date(2026, 3, 9), amount=Decimal("12800"),
                                           product="空调", quantity=2), salesperson, TODAY)
    customer = Customer.get_by_id(customer_id)
    assert customer.status == "deal"
    purchase = Purchase.get(Purchase.customer == customer_id)
    assert (purchase.product, purchase.quantity, purchase.amount) == ("空调", 2,
                                                                       Decimal("12800"))
    (row,) = deals.deals_of(customer_id, salesperson)
    assert (row.closed_on, row.salesperson, row.amount, row.product) == (
        dt.date(2026, 3, 9), "王强", Decimal("12800"), "空调")


def test_a_deal_without_amount_credits_the_named_salesperson(add_customer, salesperson,
                                                             manager):
    customer_id = add_customer()
    deals.record_deal(customer_id, NewDeal(dt.date(2026, 3, 9), salesperson_id=manager.staff_id),
                      manager, TODAY)
    (row,) = deals.deals_of(customer_id, manager)
    assert (row.salesperson, row.amount) == ("赵经理", None)
    assert Purchase.select().count() == 0


def test_bad_deals_are_refused_naming_each_field(add_customer, salesperson):
    customer_id = add_customer()
    with pytest.raises(ValidationError) as caught:
        deals.record_deal(customer_id, NewDeal(dt.date(2026, 4, 9), amount=Decimal("-1"),
                                               product="x", quantity=0), salesperson, TODAY)
    assert {p.field for p in caught.value.problems} == {"closed_on", "amount", "quantity"}


def test_only_readers_of_the_card_record_deals(add_customer, archive):
    customer_id = add_customer()
    other = Actor.of(Staff.create(name="陈明", username="chen", roles="sales"))
    with pytest.raises(PermissionDenied):
        deals.record_deal(customer_id, NewDeal(dt.date(2026, 3, 9)), other, TODAY)

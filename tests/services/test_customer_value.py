"""Customer value (主力/一般/零散) from the purchase history, with the office's bars."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from crmdesk.errors import ValidationError
from crmdesk.models import Customer, Purchase, Staff
from crmdesk.services import customer_value
from crmdesk.services.accounts import PermissionDenied
from crmdesk.services.context import Actor
from crmdesk.services.customer_value import Bar, customers_of_grade, summary, values_of


def _buys(customer_id: int, *amounts: int) -> None:
    for amount in amounts:
        Purchase.create(customer=customer_id, date=dt.date(2026, 5, 1), product="办公椅",
                        quantity=1, amount=Decimal(amount))


@pytest.fixture
def buyers(add_customer) -> dict[str, int]:
    """A key customer (6 orders, 120K), a regular (4 orders, 40K), an occasional one (2 orders,
    50K: neither bar), and one who never bought."""
    ids = {key: add_customer(name=name, mobile=mobile) for key, name, mobile in (
        ("key", "甲", "13800000001"), ("regular", "乙", "13800000002"),
        ("occasional", "丙", "13800000003"), ("none", "丁", "13800000004"))}
    _buys(ids["key"], *[20000] * 6)
    _buys(ids["regular"], *[10000] * 4)
    _buys(ids["occasional"], 25000, 25000)
    return ids


def test_grades_follow_the_handbooks_bars(buyers):
    values = values_of(list(buyers.values()))

    assert values[buyers["key"]].grade == "main"
    assert values[buyers["key"]].grade_label == "主力客户"
    assert (values[buyers["regular"]].orders, values[buyers["regular"]].amount) == (
        4, Decimal("40000"))
    assert values[buyers["regular"]].grade == "general"
    assert values[buyers["occasional"]].grade == "scattered"
    assert buyers["none"] not in values


def test_the_list_of_a_grade_matches_the_grade_of_each_card(buyers, salesperson):
    for grade in customer_value.GRADES:
        listed = {c.customer_id for c in customers_of_grade(grade, salesperson)}
        graded = {cid for cid, v in values_of(list(buyers.values())).items() if v.grade == grade}
        assert listed == graded, grade


def test_the_office_sets_its_own_bars_and_the_grades_follow(buyers, manager, salesperson):
    customer_value.set_bars({"main": Bar(3, Decimal("30000")),
                             "general": Bar(1, Decimal("1000"))}, manager)

    assert values_of([buyers["regular"]])[buyers["regular"]].grade == "main"
    assert values_of([buyers["occasional"]])[buyers["occasional"]].grade == "general"
    with pytest.raises(PermissionDenied):
        customer_value.set_bars({"main": Bar(3, Decimal(1)), "general": Bar(1, Decimal(1))},
                                salesperson)
    with pytest.raises(ValidationError):
        customer_value.set_bars({"main": Bar(1, Decimal(1)), "general": Bar(3, Decimal(1))},
                                manager)


def test_a_salesperson_counts_their_own_customers_and_a_manager_the_office(
        buyers, manager, salesperson, add_customer):
    colleague = Actor.of(Staff.create(name="李娜", username="lina", roles="sales"))
    other = add_customer(colleague, name="戊", mobile="13800000005")
    _buys(other, 500)

    mine = {g.grade: (g.customers, g.amount) for g in summary(salesperson)}
    office = {g.grade: (g.customers, g.amount) for g in summary(manager)}
    assert mine == {"main": (1, Decimal(120000)), "general": (1, Decimal(40000)),
                    "scattered": (1, Decimal(50000))}
    assert office["scattered"] == (2, Decimal(50500))
    assert Customer.select().count() == 5

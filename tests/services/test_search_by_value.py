"""The customer list filtered by customer value (主力/一般/零散), in SQL with the search."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from crmdesk.models import Purchase
from crmdesk.services import customers
from crmdesk.services.search import ListQuery, find_ids


def buyer(actor, name: str, orders: int, each: str) -> int:
    """A customer of ``actor`` with ``orders`` purchases of ``each`` yuan."""
    card = customers.new_card(actor)
    card.values.update(name=name)
    customer_id = customers.save_card(card, actor, accept_incomplete=True).customer_id
    for n in range(orders):
        Purchase.create(customer=customer_id, date=dt.date(2026, 1, n + 1), product="配件",
                        quantity=1, amount=Decimal(each))
    return customer_id


def test_the_list_shows_only_the_customers_of_the_grade_chosen(manager):
    key = buyer(manager, "张大户", 6, "20000")
    regular = buyer(manager, "张一般", 4, "5000")
    occasional = buyer(manager, "张零散", 1, "800")
    buyer(manager, "张未购", 0, "0")

    assert find_ids(ListQuery(value_grade="main"), manager) == [key]
    assert find_ids(ListQuery(value_grade="general"), manager) == [regular]
    assert find_ids(ListQuery(value_grade="scattered"), manager) == [occasional]
    assert len(find_ids(ListQuery(), manager)) == 4


def test_the_grade_combines_with_the_search_text(manager):
    buyer(manager, "李大户", 6, "20000")
    wanted = buyer(manager, "张大户", 6, "20000")
    assert find_ids(ListQuery(text="张", value_grade="main"), manager) == [wanted]

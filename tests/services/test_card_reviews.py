"""New cards put up for the manager's review and sign-off, listed month by month."""
from __future__ import annotations

import datetime as dt

import pytest

from crmdesk.errors import NotFoundError
from crmdesk.services import card_reviews
from crmdesk.services.accounts import PermissionDenied
from crmdesk.services.card_reviews import ReviewRefused


def test_a_card_put_up_is_on_the_months_list_until_signed(add_customer, salesperson, manager):
    customer_id = add_customer()
    card_reviews.put_up(customer_id, salesperson)

    [row] = card_reviews.monthly_list(dt.date.today(), manager)
    assert (row.customer_id, row.owner, row.marked_by, row.signed_at) == (
        customer_id, "王强", "王强", None)

    card_reviews.sign_off(customer_id, manager, "资料齐全")

    [row] = card_reviews.monthly_list(dt.date.today(), manager)
    assert (row.signed_by, row.remark) == ("赵经理", "资料齐全")
    next_month = dt.date.today().replace(day=28) + dt.timedelta(days=5)
    assert card_reviews.monthly_list(next_month, manager) == []


def test_only_a_manager_signs_and_only_once(add_customer, salesperson, manager):
    customer_id = add_customer()
    card_reviews.put_up(customer_id, salesperson)
    with pytest.raises(ReviewRefused):
        card_reviews.put_up(customer_id, salesperson)
    with pytest.raises(PermissionDenied):
        card_reviews.sign_off(customer_id, salesperson)
    with pytest.raises(PermissionDenied):
        card_reviews.monthly_list(dt.date.today(), salesperson)

    card_reviews.sign_off(customer_id, manager)
    with pytest.raises(NotFoundError):
        card_reviews.sign_off(customer_id, manager)

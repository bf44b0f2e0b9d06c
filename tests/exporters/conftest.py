"""Fixtures for the export tests: an office with a varied set of customers."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from crmdesk.models import Level
from crmdesk.services import customers
from crmdesk.services.context import Actor


def save(actor: Actor, kind: str = "individual", **values: object) -> int:
    card = customers.new_card(actor, kind)
    card.values.update(values)
    return customers.save_card(card, actor, accept_incomplete=True).customer_id


@pytest.fixture
def office(manager: Actor, salesperson: Actor) -> Actor:
    """Customers using every kind of field; the manager (who may export) is returned."""
    level = Level.get(Level.code == "A").id
    firm = save(manager, "organisation", name="华信科技有限公司", phone="010-65529988",
                fixed_assets=Decimal("1234.50"), employees=120, wholesale_share=35,
                store_type="exclusive", credit_rating="good", opening_date=dt.date(2001, 3, 4),
                purchase_factors="price,service", level=level, owner=salesperson.staff_id,
                website="=HYPERLINK(\"http://x\")", confidentiality="confidential")
    save(manager, name="张三", mobile="13800138000", gender="male", birth_date=dt.date(1985, 5, 6),
         consent=True, consent_date=dt.date(2024, 1, 2), source="referral", referrer=firm,
         email="zs@example.com", notes="-5 折\n第二行", employer="华信科技有限公司",
         budget=Decimal("200000.00"), education="bachelor")
    save(manager, name="Li Lei", mobile="+852 9123 4567", consent=False, status="deal")
    return manager

"""Fixtures for the service tests: the level scheme and complete cards ready to save."""
from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable
from typing import Any

import pytest

from crmdesk.models import Level
from crmdesk.services import customers
from crmdesk.services.context import Actor


@pytest.fixture
def level_ids(archive) -> dict[str, int]:
    """Ids of the default levels by code (O, H, A, B, C, 战败)."""
    return {lv.code: lv.id for lv in Level.select()}


# Each card a test saves is another customer unless the test says otherwise: the duplicate
# rule refuses a second archive of one customer (same mobile, or same name and company).
DEFAULT_NAMES = ("张三", "李四", "王五", "赵六", "钱七", "孙八", "周九", "吴十")


def _complete_card(actor: Actor, kind: str = "individual", serial: int = 0,
                   **values: Any) -> customers.Card:
    card = customers.new_card(actor, kind)
    name = DEFAULT_NAMES[serial] if serial < len(DEFAULT_NAMES) else f"客户{serial}号"
    card.values.update(
        name=name, mobile=str(13800138000 + serial), address="上海市长宁路1号",
        source="visit", consent=True, needs="家用代步",
    )
    if kind == "individual":
        card.values["employer"] = "华信科技有限公司"
    card.values.update(values)
    return card


@pytest.fixture
def complete_card(archive) -> Callable[..., customers.Card]:
    """Build a new card with every required and important field filled; keywords override.

    Call as ``complete_card(actor, kind="individual", **values)``. The first card of a test is
    张三 with mobile 13800138000; each later one another customer (李四, 13800138001, ...).
    """
    serial = itertools.count()

    def build(actor: Actor, kind: str = "individual", **values: Any) -> customers.Card:
        return _complete_card(actor, kind, next(serial), **values)

    return build


@pytest.fixture
def add_customer(salesperson, complete_card) -> Callable[..., int]:
    """Save a complete card (see ``complete_card``) and return the new customer's id."""

    def add(actor: Actor | None = None, kind: str = "individual", **values: Any) -> int:
        who = actor or salesperson
        return customers.save_card(complete_card(who, kind, **values), who).customer_id

    return add


@pytest.fixture
def backdate(archive) -> Callable[[int, datetime.datetime], None]:
    """Move a customer's registration back to a moment, and their next follow-up with it."""
    from crmdesk.models import Customer
    from crmdesk.services import cadence

    def move(customer_id: int, at: datetime.datetime) -> None:
        Customer.update(created_at=at).where(Customer.id == customer_id).execute()
        cadence.refresh_follow_up(customer_id)

    return move


@pytest.fixture
def lina(archive) -> Actor:
    """A second salesperson, 李娜."""
    from crmdesk.models import Staff

    return Actor.of(Staff.create(name="李娜", username="lina", roles="sales"))

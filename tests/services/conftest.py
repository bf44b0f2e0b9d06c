"""Fixtures for the service tests: the level scheme and complete cards ready to save."""
from __future__ import annotations

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


def _complete_card(actor: Actor, kind: str = "individual", **values: Any) -> customers.Card:
    card = customers.new_card(actor, kind)
    card.values.update(
        name="张三", mobile="13800138000", address="上海市长宁路1号", source="visit",
        consent=True, needs="家用代步",
    )
    if kind == "individual":
        card.values["employer"] = "华信科技有限公司"
    card.values.update(values)
    return card


@pytest.fixture
def complete_card(archive) -> Callable[..., customers.Card]:
    """Build a new card with every required and important field filled; keywords override.

    Call as ``complete_card(actor, kind="individual", **values)``.
    """
    return _complete_card


@pytest.fixture
def add_customer(salesperson) -> Callable[..., int]:
    """Save a complete card (see ``complete_card``) and return the new customer's id."""

    def add(actor: Actor | None = None, kind: str = "individual", **values: Any) -> int:
        who = actor or salesperson
        return customers.save_card(_complete_card(who, kind, **values), who).customer_id

    return add

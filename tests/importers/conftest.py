"""Fixtures for the import tests: the corpus, an office with customers on file, a content hash."""
from __future__ import annotations

from pathlib import Path

import pytest

from crmdesk.services import customers
from crmdesk.services.context import Actor

CORPUS = Path(__file__).resolve().parents[1] / "data" / "import"


def add_customer(actor: Actor, second_archive: str | None = None, **values: object) -> int:
    """Save a card with ``values`` on top of the defaults; return the customer's id.

    ``second_archive`` is the reason for keeping a second archive of a customer already on file.
    """
    card = customers.new_card(actor)
    card.values.update(values)
    return customers.save_card(card, actor, accept_incomplete=True,
                               second_archive=second_archive).customer_id


def edit_customer(actor: Actor, customer_id: int, **values: object) -> None:
    """Change fields of a saved card, as a salesperson does in the card form."""
    card = customers.get_card(customer_id)
    card.values.update(values)
    customers.save_card(card, actor, accept_incomplete=True)




@pytest.fixture
def office(manager: Actor, salesperson: Actor) -> Actor:
    """An archive with a manager (赵经理, who imports), a salesperson (王强), and two customers
    already on file: 冯十二 (mobile 13100131000) and 陈十三 of 同城物流. Yields the manager."""
    add_customer(manager, name="冯十二", mobile="13100131000")
    add_customer(manager, name="陈十三", employer="同城物流")
    return manager

"""Recording a deal (成交) from the card: the day, the salesperson credited, the amount.

The card already says that a customer bought (status 成交) and what (purchase history); a deal
adds when and by whom, so conversion can be counted from a visit or a first contact. Recording
one sets the card's status to 成交 and, when a product is named, adds the purchase line that
holds the amount.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import peewee

from crmdesk.errors import NotFoundError, Problem, ValidationError
from crmdesk.i18n import _
from crmdesk.models import Customer, Deal, Purchase, Staff
from crmdesk.models.db import database
from crmdesk.models.gathered import json_rows, typed_rows
from crmdesk.services import audit, visibility
from crmdesk.services.context import Actor
from crmdesk.services.staff import staff_names

DEAL_STATUS = "deal"


@dataclass(frozen=True)
class NewDeal:
    """A deal to record: ``product`` (with ``quantity``) adds a purchase line."""

    closed_on: dt.date
    salesperson_id: int | None = None
    amount: Decimal | None = None
    product: str | None = None
    quantity: int = 1


@dataclass(frozen=True)
class DealRow:
    """A deal as the card lists it."""

    id: int
    customer_id: int
    closed_on: dt.date
    salesperson: str
    amount: Decimal | None
    product: str


def _check(deal: NewDeal, today: dt.date) -> None:
    problems: list[Problem] = []
    if deal.closed_on > today:
        problems.append(Problem("closed_on", _("Deal date"),
                                _("a deal cannot be dated in the future")))
    if deal.amount is not None and deal.amount < 0:
        problems.append(Problem("amount", _("Amount"), _("cannot be negative")))
    if deal.product is not None and not deal.product.strip():
        problems.append(Problem("product", _("Product"), _("required")))
    if deal.product and deal.quantity < 1:
        problems.append(Problem("quantity", _("Quantity"), _("at least 1")))
    if deal.product and deal.amount is None:
        problems.append(Problem("amount", _("Amount"),
                                _("required when a product is named (purchase history)")))
    if deal.salesperson_id is not None and not Staff.select().where(
            Staff.id == deal.salesperson_id).exists():
        problems.append(Problem("salesperson", _("Salesperson"), _("no such member of staff")))
    if problems:
        raise ValidationError(problems)


def record_deal(customer_id: int, deal: NewDeal, actor: Actor | None,
                today: dt.date | None = None) -> int:
    """Record a deal on the card; the salesperson is the card's owner unless named.

    Raises:
        PermissionDenied: ``actor`` may not read (and so write) this card.
        ValidationError: a future date, a negative amount, a product without an amount.
    """
    visibility.require_card(actor, customer_id)
    _check(deal, today or dt.date.today())
    owner = Customer.select(Customer.owner).where(Customer.id == customer_id).scalar()
    salesperson = deal.salesperson_id if deal.salesperson_id is not None else owner
    with database.atomic():
        purchase = None
        if deal.product:
            purchase = Purchase.create(customer=customer_id, date=deal.closed_on,
                                       product=deal.product.strip(), quantity=deal.quantity,
                                       amount=deal.amount)
        row = Deal.create(customer=customer_id, closed_on=deal.closed_on,
                          salesperson=salesperson,
                          amount=None if purchase else deal.amount, purchase=purchase,
                          recorded_by=actor.staff_id if actor else None,
                          recorded_at=dt.datetime.now().replace(microsecond=0))
        Customer.update({Customer.status: DEAL_STATUS, Customer.version: Customer.version + 1,
                         Customer.updated_at: dt.datetime.now()}).where(
            Customer.id == customer_id).execute()
        audit.record(actor, "deal_record", customer_id, deal=row.id,
                     closed_on=deal.closed_on, amount=deal.amount)
    return row.id


def deals_of(customer_id: int, actor: Actor | None) -> list[DealRow]:
    """A card's deals, newest first (for whoever may read the card)."""
    visibility.require_card(actor, customer_id)
    if not Customer.select().where(Customer.id == customer_id).exists():
        raise NotFoundError(_("No customer with id {id}.").format(id=customer_id))
    return deal_rows(customer_id, staff_names())


def deal_rows(customer_id: int, names: dict[int, str]) -> list[DealRow]:
    """A card's deals, newest first, salespeople named with ``names`` (no check: for callers
    that checked the card)."""
    query = (_lines_query(Deal.select(*DEAL_LINE)).where(Deal.customer == customer_id)
             .order_by(Deal.closed_on.desc(), Deal.id.desc()))
    return _rows_of(query.tuples(), names)


# A deal's line: id, customer, day, salesperson, amount, purchase line, the line's amount and
# product.
DEAL_LINE = (Deal.id, Deal.customer, Deal.closed_on, Deal.salesperson, Deal.amount,
             Deal.purchase, Purchase.amount, Purchase.product)


def _lines_query(query: peewee.ModelSelect) -> peewee.ModelSelect:
    return query.join(Purchase, peewee.JOIN.LEFT_OUTER, on=(Deal.purchase == Purchase.id))


def rows_column() -> peewee.Node:
    """A column for a query of customers: that customer's deals as JSON, so a card is read
    in one statement with them (see ``rows_from``)."""
    return _lines_query(Deal.select(json_rows(*DEAL_LINE))).where(Deal.customer == Customer.id)


def rows_from(gathered: str | None, names: dict[int, str]) -> list[DealRow]:
    """``deal_rows`` from the deals ``rows_column`` gathered."""
    lines = sorted(typed_rows(DEAL_LINE, gathered), key=lambda d: (d[2], d[0]), reverse=True)
    return _rows_of(lines, names)


def _rows_of(lines: Iterable[tuple[Any, ...]], names: dict[int, str]) -> list[DealRow]:
    return [DealRow(deal_id, customer_id, closed_on, names.get(salesperson_id, ""),
                    line_amount if purchase_id else amount, product if purchase_id else "")
            for (deal_id, customer_id, closed_on, salesperson_id, amount, purchase_id,
                 line_amount, product) in lines]

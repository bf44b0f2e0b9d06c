"""The card's tables: people in the decision, purchases, yearly sales, and the communication log
(its back).

Their columns are those the card declares (``card.TABLE_COLUMNS``, the stored ones), each
stored as its kind stores it, a required one never empty. A record declares only what runs the
archive (which card, the order of its rows) and a column its kind does not store alone (a
contact's moment, shown by its day; its number within the card, always set).
"""
from __future__ import annotations

import peewee

from crmdesk.models.card import Column, Need, stored_columns
from crmdesk.models.customer import Customer
from crmdesk.models.db import BaseModel


def _stored(column: Column) -> peewee.Field:
    """The database column of one of the card's table columns."""
    if column.kind.reference:
        # A member of staff or a level that goes leaves the row, without its reference.
        return peewee.ForeignKeyField(column.kind.model, null=True, on_delete="SET NULL")
    field = column.kind.column(column.name)
    field.null = column.need is not Need.REQUIRED
    return field


def _declare(model: type[BaseModel], table: str) -> None:
    """Add the card's stored columns of ``table`` to ``model`` in the card's order, but for
    those the model declares itself."""
    for column in stored_columns(table):
        if column.name not in model._meta.fields:
            model._meta.add_field(column.name, _stored(column))


class DecisionPerson(BaseModel):
    """Someone around the purchase, with their role (决策者, 影响者, ...) and attitude."""

    customer = peewee.ForeignKeyField(Customer, backref="decision_people", on_delete="CASCADE")
    position = peewee.IntegerField(default=0)


class Purchase(BaseModel):
    """One line of the purchase history."""

    customer = peewee.ForeignKeyField(Customer, backref="purchases", on_delete="CASCADE")


class YearlySale(BaseModel):
    """Our products' sales to an organisation in one year (万元), one row per year."""

    customer = peewee.ForeignKeyField(Customer, backref="sales_by_year", on_delete="CASCADE")

    class Meta:
        indexes = ((("customer", "year"), True),)


class Communication(BaseModel):
    """One contact on the card's back, in time order; ``seq`` numbers it within its card."""

    customer = peewee.ForeignKeyField(
        Customer, backref="communications", on_delete="CASCADE", index=False
    )
    seq = peewee.IntegerField()
    contacted_at = peewee.DateTimeField()

    class Meta:
        indexes = ((("customer", "contacted_at"), False),)


_declare(DecisionPerson, "decision_people")
_declare(Purchase, "purchases")
_declare(YearlySale, "sales_by_year")
_declare(Communication, "communications")

# The statistics count each salesperson's contacts in a period, and compare each contact's level
# with the one before it, from these indexes alone (schema 20).
Communication.add_index(Communication.index(
    Communication.contacted_at, Communication.recorded_by, Communication.customer,
    name="communication_recorded"))
Communication.add_index(Communication.index(
    Communication.customer, Communication.contacted_at, Communication.seq, Communication.level,
    Communication.recorded_by, name="communication_graded",
    where=peewee.SQL("level_id IS NOT NULL")))

"""A card's values of the office's own fields: checked, stored with the card, read back.

The card's services call these inside their own transactions; nothing here checks permission
or writes the audit trail by itself.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

import peewee

from crmdesk.errors import Problem
from crmdesk.i18n import _
from crmdesk.models import Customer
from crmdesk.models.card import Need
from crmdesk.models.gathered import json_rows
from crmdesk.models.office_fields import OfficeField, OfficeFieldRow, OfficeValue
from crmdesk.models.office_kinds import CHOICE, KINDS, MONEY, NUMBER, YES_NO
from crmdesk.models.parsers import ValueProblem

ID_BATCH = 1000


def clean_values(fields: Iterable[OfficeField], values: Mapping[str, Any],
                 customer_kind: str | None) -> tuple[dict[str, Any], list[Problem]]:
    """Check the values typed for ``fields`` (by key); return the clean values by key and every
    problem, named by the field's label. A field that is not for the customer's kind is
    emptied, one left out of ``values`` is not touched."""
    clean: dict[str, Any] = {}
    problems: list[Problem] = []
    for field in fields:
        if field.key not in values:
            if field.need is Need.REQUIRED and field.for_kind(customer_kind):
                problems.append(Problem(field.name, field.label, _("required")))
            continue
        if not field.for_kind(customer_kind):
            clean[field.key] = None
            continue
        try:
            clean[field.key] = field.accept(values[field.key])
        except ValueProblem as exc:
            problems.append(Problem(field.name, field.label, str(exc)))
            continue
        if field.need is Need.REQUIRED and clean[field.key] is None:
            problems.append(Problem(field.name, field.label, _("required")))
    return clean, problems


def missing_important(fields: Iterable[OfficeField], values: Mapping[str, Any],
                      customer_kind: str | None) -> list[Problem]:
    """The office's important fields left empty (an unticked yes/no counts as empty)."""
    return [
        Problem(f.name, f.label, _("important field is empty"))
        for f in fields
        if f.need is Need.IMPORTANT and f.for_kind(customer_kind)
        and _unanswered(f, values.get(f.key))
    ]


def _unanswered(field: OfficeField, value: Any) -> bool:
    # An unticked box is an unanswered question, as on the built-in card.
    return value is None or value == "" or (field.kind is YES_NO and value is False)


def write_values(customer_id: int, fields: Iterable[OfficeField],
                 values: Mapping[str, Any]) -> None:
    """Store a card's clean values of ``fields`` (an empty one is removed); fields not among
    ``values`` keep what they hold."""
    for field in fields:
        if field.key not in values:
            continue
        where = (OfficeValue.customer == customer_id) & (OfficeValue.field == field.id)
        value = values[field.key]
        if value is None:
            OfficeValue.delete().where(where).execute()
            continue
        stored = field.kind.store(value)
        if not OfficeValue.update(value=stored).where(where).execute():
            OfficeValue.insert(customer=customer_id, field=field.id, value=stored).execute()


def changes(fields: Iterable[OfficeField], before: Mapping[str, Any],
            after: Mapping[str, Any]) -> dict[str, tuple[str, str]]:
    """What a save changed, by the field's form name, as text before and after."""
    return {f.name: (f.display(before.get(f.key)), f.display(after[f.key]))
            for f in fields if f.key in after and before.get(f.key) != after[f.key]}


def printed(fields: Iterable[OfficeField], values: Mapping[str, Any],
            customer_kind: str | None) -> dict[str, list[tuple[str, str]]]:
    """The office's fields for the customer's kind as printed: by the card group they sit
    in, (label, text) in order, empty ones too so they can be written in by hand."""
    boxes: dict[str, list[tuple[str, str]]] = {}
    for f in fields:
        if f.for_kind(customer_kind):
            boxes.setdefault(f.group, []).append((f.label, f.display(values.get(f.key))))
    return boxes


def row_column() -> peewee.Node:
    """A column for a query of customers: that customer's values as JSON
    ([[key, kind, stored], ...]), so a card is read in one statement with them."""
    triple = (OfficeFieldRow.key, OfficeFieldRow.kind, OfficeValue.value)
    return (OfficeValue.select(json_rows(*triple))
            .join(OfficeFieldRow, on=(OfficeValue.field == OfficeFieldRow.id))
            .where(OfficeValue.customer == Customer.id))


def from_row(gathered: str | None) -> dict[str, Any]:
    """The values ``row_column`` gathered, each of its kind, by key."""
    triples = json.loads(gathered) if gathered else []
    return {key: KINDS[kind].load(stored) for key, kind, stored in triples or ()}


def values_of(customer_ids: list[int]) -> dict[int, dict[str, Any]]:
    """The office values of many customers (by id, then key), a query per ``ID_BATCH`` ids
    (a statement takes only so many parameters)."""
    found: dict[int, dict[str, Any]] = {}
    for start in range(0, len(customer_ids), ID_BATCH):
        query = (OfficeValue.select(OfficeValue.customer, OfficeFieldRow.key,
                                    OfficeFieldRow.kind, OfficeValue.value)
                 .join(OfficeFieldRow, on=(OfficeValue.field == OfficeFieldRow.id))
                 .where(OfficeValue.customer.in_(customer_ids[start:start + ID_BATCH])).tuples())
        for customer_id, key, kind, stored in query:
            found.setdefault(customer_id, {})[key] = KINDS[kind].load(stored)
    return found


def unanswered(field: OfficeField) -> peewee.Expression:
    """A condition on customers: ``field`` holds no answer (an unticked yes/no counts as none,
    as ``missing_important`` counts it)."""
    answered = OfficeValue.select(OfficeValue.id).where(
        (OfficeValue.customer == Customer.id) & (OfficeValue.field == field.id))
    if field.kind is YES_NO:
        answered = answered.where(OfficeValue.value != YES_NO.store(False))
    return ~peewee.fn.EXISTS(answered)


def sort_value(field: OfficeField) -> peewee.Node:
    """A column for a query of customers: that customer's value of ``field`` as the list sorts
    it (numbers and amounts as numbers, a choice by its place in the field's list, dates and
    text as stored); NULL where there is none."""
    stored = OfficeValue.select(OfficeValue.value).where(
        (OfficeValue.customer == Customer.id) & (OfficeValue.field == field.id))
    if field.kind in (NUMBER, MONEY):
        stored = stored.select(OfficeValue.value.cast("NUMERIC"))
    if field.kind is CHOICE:
        return peewee.Case(stored, [(c.key, i) for i, c in enumerate(field.choices)], None)
    return peewee.NodeList((stored,))  # a column the list sorts by, not a query


def having_any(field: OfficeField, values: list[Any]) -> peewee.Expression:
    """A condition on customers: ``field`` holds one of ``values`` (read through the (field,
    value) index)."""
    stored = [field.kind.store(field.accept(value)) for value in values]
    return Customer.id.in_(OfficeValue.select(OfficeValue.customer).where(
        (OfficeValue.field == field.id) & OfficeValue.value.in_(stored)))


def holders(field: OfficeField, value: Any, at_most: int) -> int:
    """How many customers ``field`` holds ``value`` for, counted up to ``at_most`` (the index
    is read no further)."""
    stored = field.kind.store(field.accept(value))
    return (OfficeValue.select(OfficeValue.id)
            .where((OfficeValue.field == field.id) & (OfficeValue.value == stored))
            .limit(at_most).count())


def having_value(field: OfficeField, value: Any, row_by_row: bool = False) -> peewee.Expression:
    """A condition on customers: ``field`` holds ``value``: the holders read once through the
    (field, value) index, or with ``row_by_row`` looked up for each customer walked through
    the (customer, field) index (for a walk that stops at its first screen)."""
    stored = field.kind.store(field.accept(value))
    if row_by_row:
        return peewee.fn.EXISTS(OfficeValue.select(OfficeValue.id).where(
            (OfficeValue.customer == Customer.id) & (OfficeValue.field == field.id)
            & (OfficeValue.value == stored)))
    holders = OfficeValue.select(OfficeValue.customer).where(
        (OfficeValue.field == field.id) & (OfficeValue.value == stored))
    return Customer.id.in_(holders)

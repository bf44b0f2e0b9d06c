"""The customer list by an office field: filtered by its value, or sorted by it.

A filter on an office field keeps only cards the searcher may read in full, and a sort puts
the cards they may not read last, as if empty, so the list never tells anyone what a card they
may not open holds.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import peewee

from crmdesk.errors import Problem, ValidationError
from crmdesk.i18n import _
from crmdesk.models.office_fields import OfficeField, OfficeFieldRow, definition
from crmdesk.models.office_kinds import CHOICE
from crmdesk.models.parsers import ValueProblem
from crmdesk.services import office_values
from crmdesk.services.context import Actor
from crmdesk.services.visibility import readable_among_found

T = TypeVar("T")


@dataclass(frozen=True)
class OfficeValueFilter:
    """Customers whose office field ``key`` holds ``value`` (as typed: a choice by its key or
    label, a date year first, yes/no as 是/否)."""

    key: str
    value: str


def office_value_condition(wanted: OfficeValueFilter, actor: Actor | None,
                           row_by_row: bool = False) -> peewee.Expression:
    """The WHERE clause of ``wanted``, among the cards ``actor`` may read (of those a search
    finds them); ``row_by_row`` as ``office_values.having_value`` takes it.

    Raises:
        ValidationError: no shown office field has the key, or the value is none of the field.
    """
    where = _checked(wanted, lambda field: office_values.having_value(
        field, wanted.value, row_by_row))
    readable = readable_among_found(actor)
    return where if readable is None else where & readable


def office_sort_value(key: str, actor: Actor | None) -> peewee.Node:
    """The value the list sorts by when sorted by the office field ``key``: empty where
    ``actor`` may not read the card.

    Raises:
        ValidationError: no shown office field has the key.
    """
    value = office_values.sort_value(definition(_shown_row(key)))
    readable = readable_among_found(actor)
    return value if readable is None else peewee.Case(None, [(readable, value)], None)


def office_ranks(key: str, actor: Actor | None
                 ) -> tuple[list[peewee.Expression], peewee.Expression] | None:
    """For the list sorted by the office field ``key`` when its values rank (a choice, by its
    place in the field's list): a condition per choice, in order, on the cards holding it that
    ``actor`` may read, and one on the rest; None for a field of another kind.

    Raises:
        ValidationError: no shown office field has the key.
    """
    field = definition(_shown_row(key))
    if field.kind is not CHOICE or not field.choices:
        return None
    keys = [choice.key for choice in field.choices]
    readable = readable_among_found(actor)
    if readable is None:
        return ([office_values.having_value(field, k) for k in keys],
                ~office_values.having_any(field, keys))
    unreadable = peewee.Case(None, [(readable, 0)], 1) == 1  # never NULL: an unowned card
    return ([office_values.having_value(field, k) & readable for k in keys],
            ~office_values.having_any(field, keys) | unreadable)


def holders(wanted: OfficeValueFilter, at_most: int) -> int:
    """How many cards hold ``wanted``'s value (whoever may read them), up to ``at_most``.

    Raises:
        ValidationError: as ``office_value_condition``.
    """
    return _checked(wanted, lambda field: office_values.holders(field, wanted.value, at_most))


def _checked(wanted: OfficeValueFilter, answer: Callable[[OfficeField], T]) -> T:
    """``answer`` for the shown office field ``wanted`` names, each problem of the filter told
    as a ValidationError."""
    field = definition(_shown_row(wanted.key))
    if not str(wanted.value).strip():
        raise ValidationError([Problem(field.name, field.label, _("give the value to find"))])
    try:
        return answer(field)
    except ValueProblem as exc:
        raise ValidationError([Problem(field.name, field.label, str(exc))]) from exc


def _shown_row(key: str) -> OfficeFieldRow:
    """The definition of the shown office field ``key``.

    Raises:
        ValidationError: no shown office field has the key.
    """
    row = OfficeFieldRow.get_or_none((OfficeFieldRow.key == key) & ~OfficeFieldRow.hidden)
    if row is None:
        raise ValidationError([Problem("office_filter", _("Filter"), _(
            "no shown office field has the key {key}").format(key=key))])
    return row

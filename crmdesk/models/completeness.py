"""A complete card (档案完整), as one SQL condition on customers.

A card is complete when every important (重要) field that applies to its kind holds an answer:
the card's own important fields and the office's own important fields that are shown (an office
field hidden from the card asks nothing). An answer is what the card's save warning takes for
one (``FieldKind.unanswered``): text that is not blank, a ticked yes/no box, any other value.

The office's fields are read from ``office_field`` as data, not written into the condition, so
the statistics' summary triggers (crmdesk.models.summaries), which hold this condition as SQL
text, stay right when a manager adds a field, changes its importance, hides it or moves it to
a box for one kind of customer. The same condition lists the archives of the incomplete-card
reminder and counts the complete cards of the archive-growth report.
"""
from __future__ import annotations

import functools
import operator

import peewee

from crmdesk.models.card import CARD, Applies, FieldSpec, Need, all_fields
from crmdesk.models.customer import Customer
from crmdesk.models.office_fields import OfficeFieldRow, OfficeValue
from crmdesk.models.office_kinds import YES_NO


def important_fields() -> list[FieldSpec]:
    """The card's own important fields."""
    return [spec for spec in all_fields() if spec.need is Need.IMPORTANT]


def _kind() -> peewee.Node:
    return peewee.fn.COALESCE(Customer.kind, "")


def _answered(spec: FieldSpec) -> peewee.Expression:
    """The card's field ``spec`` holds an answer, or does not apply to the card's kind."""
    column = getattr(Customer, spec.name)
    answered = column.is_null(False)
    if isinstance(column, peewee.TextField | peewee.CharField):
        answered &= peewee.fn.TRIM(column) != ""
    elif isinstance(column, peewee.BooleanField):
        answered &= column  # an unticked box is an unanswered question
    if spec.applies is not Applies.BOTH:
        answered |= _kind() != spec.applies.value
    return answered


def _office_field_applies() -> peewee.Expression:
    """The office field (a row of ``office_field``) applies to the card's kind: its own
    choice, else the kind its card box is for (as ``office_fields.definition`` reads it)."""
    boxes = [(OfficeFieldRow.group.in_([g.key for s in CARD for g in s.groups
                                        if g.applies is applies]), applies.value)
             for applies in (Applies.INDIVIDUAL, Applies.ORGANISATION)]
    meant = peewee.Case(None, [(OfficeFieldRow.applies != Applies.BOTH.value,
                                OfficeFieldRow.applies), *boxes], Applies.BOTH.value)
    return meant.in_([Applies.BOTH.value, _kind()])


def office_field_asks() -> peewee.Expression:
    """A condition on a row of ``office_field``: the field is important and shown, so a
    card it applies to is complete only with an answer in it."""
    return (OfficeFieldRow.need == Need.IMPORTANT.value) & ~OfficeFieldRow.hidden


def _office_unanswered() -> peewee.Expression:
    """Some shown important office field that applies to the card holds no answer."""
    answer = OfficeValue.select(peewee.SQL("1")).where(
        (OfficeValue.customer == Customer.id) & (OfficeValue.field == OfficeFieldRow.id)
        & ((OfficeFieldRow.kind != YES_NO.key) | (OfficeValue.value != YES_NO.store(False))))
    return peewee.fn.EXISTS(OfficeFieldRow.select(peewee.SQL("1")).where(
        office_field_asks() & _office_field_applies() & ~peewee.fn.EXISTS(answer)))


def is_complete() -> peewee.Expression:
    """A condition on customers: the card is complete (see the module)."""
    conditions = [_answered(spec) for spec in important_fields()]
    return functools.reduce(operator.and_, [*conditions, ~_office_unanswered()])


def complete_card() -> peewee.Node:
    """1 for a complete card, else 0 (a column of a query of customers)."""
    return peewee.Case(None, ((is_complete(), 1),), 0)

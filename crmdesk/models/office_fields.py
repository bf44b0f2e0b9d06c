"""The office's own card fields (本所字段): their definitions and each card's values, as data.

A manager adds a field without a schema change: its definition is a row of ``office_field``
and each card's value a row of ``office_value``, kept as the text its kind stores
(crmdesk.models.office_kinds), so the index on (field, value) finds the customers with a given
value at once however many customers the archive holds.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import peewee

from crmdesk.i18n import _, is_chinese
from crmdesk.models.card import CARD, Applies, Choice, FieldSpec, Need
from crmdesk.models.customer import Customer
from crmdesk.models.db import BaseModel
from crmdesk.models.office_kinds import CHOICE, KINDS, FieldKind
from crmdesk.models.parsers import ValueProblem

# Office fields take their place in the form and in exports under this prefix, so that their
# keys never meet a built-in field's name.
PREFIX = "office."


class OfficeFieldRow(BaseModel):
    """One field the office added: labels, kind, choices (JSON), need, who it is for, where."""

    key = peewee.TextField(unique=True)
    zh = peewee.TextField()
    en = peewee.TextField()
    kind = peewee.TextField()
    choices = peewee.TextField(default="[]")  # [[key, zh, en], ...]
    need = peewee.TextField(default=Need.GENERAL.value)
    applies = peewee.TextField(default=Applies.BOTH.value)
    group = peewee.TextField()  # the key of the card's group it is shown in
    position = peewee.IntegerField(default=0)
    hidden = peewee.BooleanField(default=False)

    class Meta:
        table_name = "office_field"


class OfficeValue(BaseModel):
    """One card's value of one office field, as its kind stores it."""

    customer = peewee.ForeignKeyField(Customer, backref="office_values", on_delete="CASCADE")
    field = peewee.ForeignKeyField(OfficeFieldRow, backref="values", on_delete="CASCADE",
                                   index=False)
    value = peewee.TextField()

    class Meta:
        table_name = "office_value"
        indexes = (
            (("customer", "field"), True),
            (("field", "value"), False),
        )


@dataclass(frozen=True)
class OfficeField:
    """An office field as the services and the form use it."""

    id: int
    key: str
    zh: str
    en: str
    kind: FieldKind
    choices: tuple[Choice, ...]
    need: Need
    applies: Applies
    group: str
    position: int
    hidden: bool

    @property
    def name(self) -> str:
        """The field's name in the form and in exports (``office.<key>``)."""
        return PREFIX + self.key

    @property
    def label(self) -> str:
        return self.zh if is_chinese() else self.en

    def spec(self) -> FieldSpec:
        """The field as the card form lays out fields."""
        return FieldSpec(self.name, self.zh, self.en, self.kind, self.need,
                         self.choices, applies=self.applies)

    def for_kind(self, customer_kind: str | None) -> bool:
        """True when the field applies to a customer of ``customer_kind``."""
        return self.applies is Applies.BOTH or self.applies.value == customer_kind

    def accept(self, value: Any) -> Any:
        """The value of what was typed or imported; None for empty.

        A choice may be given by its key or by either label.

        Raises:
            ValueProblem: not a value of the field; the message says why.
        """
        if self.kind is not CHOICE:
            return self.kind.accept(value, limit=self.kind.max_length)
        text = "" if value is None else str(value).strip()
        if not text:
            return None
        for choice in self.choices:
            if text in (choice.key, choice.zh, choice.en):
                return choice.key
        raise ValueProblem(_("not one of the choices: {value}").format(value=text)
                           + " (" + " / ".join(c.label for c in self.choices) + ")")

    def display(self, value: Any) -> str:
        """The value as a person reads it (a choice by its label)."""
        return self.kind.display(value, self.choices)

    def cell(self, value: Any) -> Any:
        """The .xlsx cell value that imports back to ``value``."""
        if value is None:
            return None
        return self.kind.cell(value, self.choices)


def definition(row: OfficeFieldRow) -> OfficeField:
    """The field a definition row describes. A field in a box for one kind of customer is for
    that kind only, as the card's own fields are."""
    applies = Applies(row.applies)
    group = next((g for section in CARD for g in section.groups if g.key == row.group), None)
    if applies is Applies.BOTH and group is not None:
        applies = group.applies
    return OfficeField(
        row.id, row.key, row.zh, row.en, KINDS[row.kind],
        tuple(Choice(*c) for c in json.loads(row.choices or "[]")), Need(row.need),
        applies, row.group, row.position, bool(row.hidden))


def office_fields(include_hidden: bool = False) -> list[OfficeField]:
    """The office's fields in card order (group, then position); hidden ones only if asked."""
    query = OfficeFieldRow.select().order_by(OfficeFieldRow.group, OfficeFieldRow.position,
                                             OfficeFieldRow.id)
    if not include_hidden:
        query = query.where(~OfficeFieldRow.hidden)
    fields = [definition(row) for row in query]
    order = {group: n for n, group in enumerate(dict.fromkeys(_group_order()))}
    return sorted(fields, key=lambda f: (order.get(f.group, len(order)), f.position, f.id))


def _group_order() -> list[str]:
    return [group.key for section in CARD for group in section.groups]

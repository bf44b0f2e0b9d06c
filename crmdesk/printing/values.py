"""The text printed for a stored card value: choice labels, formatted phones, dates, money."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from crmdesk.models.card import Choice, Column, FieldSpec
from crmdesk.models.fieldtypes import MULTI_SEPARATOR, Kind, display_text

REFERENCE_KINDS = (Kind.STAFF, Kind.LEVEL, Kind.CUSTOMER)


def _text(kind: Kind, choices: tuple[Choice, ...], value: Any) -> str:
    if value is None or value == "":
        return ""
    if kind is Kind.CHOICE:
        choice = next((c for c in choices if c.key == value), None)
        return choice.label if choice else str(value)
    if kind is Kind.MULTICHOICE:
        labels = {c.key: c.label for c in choices}
        keys = [k.strip() for k in str(value).split(MULTI_SEPARATOR) if k.strip()]
        return "、".join(labels.get(k, k) for k in keys)
    return display_text(kind, value)


def field_text(spec: FieldSpec, value: Any, references: Mapping[str, str]) -> str:
    """What the card shows for field ``spec``; references (staff, level, customer) come from
    ``references``, the text the service resolved for their ids."""
    if spec.kind in REFERENCE_KINDS:
        return references.get(spec.name, "")
    return _text(spec.kind, spec.choices, value)


def column_text(column: Column, value: Any) -> str:
    """What a cell of one of the card's tables shows for ``value``."""
    return _text(column.kind, column.choices, value)

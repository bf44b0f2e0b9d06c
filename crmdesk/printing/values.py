"""The text printed for a stored card value: choice labels, formatted phones, dates, money."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from crmdesk.models.card import Column, FieldSpec


def field_text(spec: FieldSpec, value: Any, references: Mapping[str, str]) -> str:
    """What the card shows for field ``spec``; references (staff, level, customer) come from
    ``references``, the text the service resolved for their ids."""
    if spec.kind.reference:
        return references.get(spec.name, "")
    return spec.kind.display(value, spec.choices)


def column_text(column: Column, value: Any) -> str:
    """What a cell of one of the card's tables shows for ``value``."""
    return column.kind.display(value, column.choices)

"""Cleaning one spreadsheet cell into the stored value of a card field.

The field's kind decides (crmdesk.models.fieldtypes, with crmdesk.models.cell_values for what
Excel does to phones, dates and amounts), so the importer accepts and refuses exactly what the
card form does; this module adds the staff and levels of the archive, looked up once per import,
and the length each field allows.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from crmdesk.models.card import Column, FieldSpec
from crmdesk.models.cell_values import cell_text, clean_date, excel_serial, normalized
from crmdesk.models.parsers import check_length

__all__ = ["Lookups", "cell_text", "clean_cell", "clean_date", "excel_serial", "normalized"]

Spec = FieldSpec | Column


@dataclass
class Lookups:
    """Staff and levels by every name a sheet may use for them, loaded once per import (the
    import service reads them from the archive)."""

    staff: dict[str, int] = field(default_factory=dict)
    levels: dict[str, int] = field(default_factory=dict)
    level_codes: tuple[str, ...] = ()



def clean_cell(spec: Spec, value: Any, lookups: Lookups, date1904: bool = False) -> Any:
    """The stored value of ``spec`` for one cell's ``value``; None for an empty cell.

    Staff come back as ids, levels as ids, choices as keys; a referred-by customer comes back as
    the text written (the pipeline finds the customer, who may be in the same file).

    Raises:
        ValueProblem: the cell holds no value of that field; the message says why.
    """
    parsed = spec.kind.from_cell(value, spec.choices, lookups, date1904)
    if isinstance(parsed, str) and isinstance(spec, FieldSpec):
        return check_length(parsed, spec.max_length) or None
    return parsed

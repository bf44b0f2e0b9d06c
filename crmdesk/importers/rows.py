"""Turning one sheet row into card values, with every problem of the row named.

Each mapped cell is cleaned by ``cells.clean_cell``. The row then gets what the card requires
but the sheet may not say: the customer kind (guessed from organisation-only fields or a
company-like name when there is no kind column), and the office defaults for status,
confidentiality and level. A value in a field that is not for the row's kind of customer
(a tax number on a person) is an error rather than silently dropped.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from crmdesk.i18n import _
from crmdesk.importers.cells import Lookups, cell_text, clean_cell
from crmdesk.importers.mapping import ARCHIVE_NO, ColumnMapping
from crmdesk.importers.preview import CellProblem, PreviewRow
from crmdesk.models.card import CARD, FIELDS, Applies, Need
from crmdesk.models.fieldtypes import Kind, ValueProblem

# The owner may come from the rotation after every row is read; it is checked then.
_REQUIRED = tuple(n for n, s in FIELDS.items() if s.need is Need.REQUIRED and n != "owner")
_CARD_ORDER = {name: position for position, name in enumerate(FIELDS)}
_ORGANISATION_NAME = re.compile(
    r"(公司|集团|厂|商行|商店|门店|专卖店|经营部|中心|事务所|研究院|研究所|医院|诊所|学校|大学|学院|"
    r"银行|协会|合作社|工作室|酒店|宾馆|超市|商场|委员会|政府|局)$|(?i:\b(co|ltd|inc|llc|corp)\b\.?)")


@cache
def field_applies() -> dict[str, Applies]:
    """For each field, the kind of customer it is for, counting the box it sits in."""
    return {
        spec.name: spec.applies if spec.applies is not Applies.BOTH else group.applies
        for section in CARD for group in section.groups for spec in group.fields
    }


def guess_kind(values: dict[str, Any]) -> str:
    """Organisation when an organisation-only field is filled or the name looks like a firm."""
    applies = field_applies()
    if any(applies[name] is Applies.ORGANISATION for name in values):
        return "organisation"
    if _ORGANISATION_NAME.search(str(values.get("name") or "")):
        return "organisation"
    return "individual"


@dataclass(frozen=True)
class RowContext:
    """What every row of one import is cleaned with."""

    mapping: ColumnMapping
    lookups: Lookups
    defaults: dict[str, Any]
    date1904: bool = False

    def header(self, column: int | None) -> str:
        if column is None or column >= len(self.mapping.headers):
            return ""
        return self.mapping.headers[column]

    def problem(self, row: int, field: str, message: str) -> CellProblem:
        """A problem with ``field`` of a row, placed in the column that fills it if any."""
        column = self.mapping.columns_of(field)
        return CellProblem(row, column, self.header(column), FIELDS[field].label, message)


def is_blank(raw: Sequence[Any], mapping: ColumnMapping) -> bool:
    """True when no mapped cell of the row holds anything (blank and spacer rows)."""
    for column, target in enumerate(mapping.targets):
        if target is not None and column < len(raw):
            cell = raw[column]
            if cell is not None and (not isinstance(cell, str) or cell.strip()):
                return False
    return True


def parse_row(number: int, raw: Sequence[Any], context: RowContext) -> PreviewRow:
    """Clean one data row (``number`` counts from 1 as the sheet shows it)."""
    row = PreviewRow(number, tuple(raw))
    values: dict[str, Any] = {}
    for column, target in enumerate(context.mapping.targets):
        if target is None or column >= len(raw) or raw[column] is None:
            continue
        if target == ARCHIVE_NO:
            row.archive_no = cell_text(raw[column]).upper() or None
            continue
        spec = FIELDS[target]
        try:
            value = clean_cell(spec, raw[column], context.lookups, context.date1904)
        except ValueProblem as exc:
            row.problems.append(
                CellProblem(number, column, context.header(column), spec.label, str(exc)))
            continue
        if value is None:
            continue
        if spec.kind is Kind.CUSTOMER:
            row.referrer_text = value
        else:
            values[target] = value
    row.given = frozenset(values) | ({"referrer"} if row.referrer_text else frozenset())
    kind = values.get("kind") or guess_kind(values)
    values["kind"] = kind
    applies = field_applies()
    for name in sorted(row.given, key=_CARD_ORDER.__getitem__):
        if applies[name] is not Applies.BOTH and applies[name].value != kind:
            message = (_("this field is for organisations; the row is an individual")
                       if kind == "individual"
                       else _("this field is for individuals; the row is an organisation"))
            row.problems.append(context.problem(number, name, message))
    for name, default in context.defaults.items():
        if values.get(name) is None and default is not None:
            values[name] = default
    for name in _REQUIRED:
        if values.get(name) is None:
            row.problems.append(context.problem(number, name, _("required")))
    row.values = values
    return row

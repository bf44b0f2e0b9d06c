"""Turning one sheet row into card values, with every problem of the row named.

Each mapped cell is cleaned by ``cells.clean_cell``. The row then gets what the card requires
but the sheet may not say: the customer kind (guessed from organisation-only fields or a
company-like name when there is no kind column), and the office defaults for status,
confidentiality and level. A value in a field that is not for the row's kind of customer
(a tax number on a person) is an error rather than silently dropped.

Sheets repeat themselves (the same source, position, level or date on thousands of rows), so
each column remembers what its recent distinct values cleaned to. A row keeps its original
cells only when it may be refused (the error workbook and the preview show them); the other
rows keep their clean values alone, which is what lets a 200,000-row sheet fit in memory.

The office's own fields (``office.<key>``) are cleaned by their definitions, which the caller
hands over: a value is parsed by the field's kind, a required one must be there, and one meant
for the other kind of customer is refused, as for the card's built-in fields.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import Any

from crmdesk.i18n import _
from crmdesk.importers.cells import Lookups, cell_text, clean_cell, clean_date
from crmdesk.importers.mapping import ARCHIVE_NO, ColumnMapping
from crmdesk.importers.preview import CellProblem, PreviewRow
from crmdesk.models.card import CARD, FIELDS, Applies, FieldSpec, Need
from crmdesk.models.fieldtypes import Kind
from crmdesk.models.office_fields import OfficeField
from crmdesk.models.office_kinds import DATE
from crmdesk.models.parsers import ValueProblem

# The owner may come from the rotation after every row is read; it is checked then.
_REQUIRED = tuple(n for n, s in FIELDS.items() if s.need is Need.REQUIRED and n != "owner")
_CARD_ORDER = {name: position for position, name in enumerate(FIELDS)}
_LAST = len(_CARD_ORDER)
MEMO_SIZE = 4096  # distinct values remembered per column
Memo = dict[tuple[type, Any], tuple[Any, "str | None"]]
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


@cache
def _organisation_fields() -> frozenset[str]:
    return frozenset(n for n, applies in field_applies().items()
                     if applies is Applies.ORGANISATION)


def guess_kind(values: dict[str, Any]) -> str:
    """Organisation when an organisation-only field is filled or the name looks like a firm."""
    if not _organisation_fields().isdisjoint(values):
        return "organisation"
    if _ORGANISATION_NAME.search(str(values.get("name") or "")):
        return "organisation"
    return "individual"


@dataclass(frozen=True)
class RowContext:
    """What every row of one import is cleaned with.

    ``keep_unowned``: rows naming no owner may be refused later (no salesperson to give them
    to), so they keep their original cells. ``office``: the office's own fields by form name.
    """

    mapping: ColumnMapping
    lookups: Lookups
    defaults: dict[str, Any]
    date1904: bool = False
    keep_unowned: bool = False
    office: dict[str, OfficeField] = field(default_factory=dict)
    _shapes: dict[frozenset[str], frozenset[str]] = field(
        default_factory=dict, repr=False, compare=False)
    _misplaced: dict[tuple[frozenset[str], str], list[str]] = field(
        default_factory=dict, repr=False, compare=False)

    def header(self, column: int | None) -> str:
        if column is None or column >= len(self.mapping.headers):
            return ""
        return self.mapping.headers[column]

    def problem(self, row: int, field: str, message: str) -> CellProblem:
        """A problem with ``field`` of a row, placed in the column that fills it if any."""
        column = self.mapping.columns_of(field)
        label = FIELDS[field].label if field in FIELDS else self.office[field].label
        return CellProblem(row, column, self.header(column), label, message)

    @cached_property
    def columns(self) -> tuple[tuple[int, str, FieldSpec | OfficeField | None, Memo], ...]:
        """The mapped columns: index, target, the field (None for the archive number), and
        what the column's values cleaned to so far. A column mapped to an office field that
        is no longer on the card is ignored."""
        known = {**FIELDS, **self.office, ARCHIVE_NO: None}
        return tuple((column, target, known[target], {})
                     for column, target in enumerate(self.mapping.targets) if target in known)

    @cached_property
    def office_required(self) -> tuple[OfficeField, ...]:
        """The office's required fields."""
        return tuple(f for f in self.office.values() if f.need is Need.REQUIRED)

    def clean(self, memo: Memo, spec: FieldSpec | OfficeField,
              value: Any) -> tuple[Any, str | None]:
        """The clean value of a cell the column's ``memo`` does not hold, and None; or None
        and why the cell is refused. Remembered in ``memo`` while it has room."""
        try:
            if isinstance(spec, OfficeField):
                found = (office_cell(spec, value, self.date1904), None)
            else:
                found = (clean_cell(spec, value, self.lookups, self.date1904), None)
        except ValueProblem as exc:
            found = (None, str(exc))
        if len(memo) < MEMO_SIZE:
            memo[(value.__class__, value)] = found
        return found

    def shape(self, given: frozenset[str]) -> frozenset[str]:
        """One shared copy of each set of filled fields (most rows fill the same ones)."""
        return self._shapes.setdefault(given, given)

    def misplaced(self, given: frozenset[str], kind: str) -> list[str]:
        """The filled fields that are not for ``kind`` of customer, in card order."""
        found = self._misplaced.get((given, kind))
        if found is None:
            applies = {**field_applies(), **{n: f.applies for n, f in self.office.items()}}
            found = sorted((name for name in given if applies[name] is not Applies.BOTH
                            and applies[name].value != kind),
                           key=lambda name: _CARD_ORDER.get(name, _LAST))
            self._misplaced[(given, kind)] = found
        return found


def office_cell(field: OfficeField, value: Any, date1904: bool = False) -> Any:
    """The value of an office field for one cell's ``value``; None for an empty cell. A date
    field takes what a date cell of the card takes (a date cell, a serial number, text).

    Raises:
        ValueProblem: the cell holds no value of the field; the message says why.
    """
    if field.kind is DATE and not (isinstance(value, str) and not value.strip()):
        value = clean_date(value, date1904)
    return field.accept(value)


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
    row = PreviewRow(number)
    values: dict[str, Any] = {}
    refused: set[str] = set()  # fields whose cell was refused: not "required" on top
    width = len(raw)
    for column, target, spec, memo in context.columns:
        if column >= width:
            continue
        cell = raw[column]
        if cell is None:
            continue
        if spec is None:
            row.archive_no = cell_text(cell).upper() or None
            continue
        value, problem = memo.get((cell.__class__, cell)) or context.clean(memo, spec, cell)
        if problem is not None:
            refused.add(target)
            row.problems.append(
                CellProblem(number, column, context.header(column), spec.label, problem))
        elif value is None:
            continue
        elif spec.kind is Kind.CUSTOMER:
            row.referrer_text = value
        else:
            values[target] = value
    given = frozenset(values)
    row.given = context.shape(given | {"referrer"} if row.referrer_text else given)
    kind = values.get("kind") or guess_kind(values)
    values["kind"] = kind
    for name in context.misplaced(row.given, kind):
        message = (_("this field is for organisations; the row is an individual")
                   if kind == "individual"
                   else _("this field is for individuals; the row is an organisation"))
        row.problems.append(context.problem(number, name, message))
    for name, default in context.defaults.items():
        if values.get(name) is None and default is not None:
            values[name] = default
    for name in _REQUIRED:
        if values.get(name) is None and name not in refused:
            row.problems.append(context.problem(number, name, _("required")))
    for own in context.office_required:
        if own.for_kind(kind) and values.get(own.name) is None and own.name not in refused:
            row.problems.append(context.problem(number, own.name, _("required")))
    row.values = values
    if row.problems or row.referrer_text or (context.keep_unowned and "owner" not in values):
        row.raw = tuple(raw)
    return row

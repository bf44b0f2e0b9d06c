"""Checking a card against the card definition: every problem at once, named by its label."""
from __future__ import annotations

import datetime as dt
from typing import Any

from crmdesk.errors import Problem
from crmdesk.i18n import _
from crmdesk.models import Customer, Level, Staff
from crmdesk.models.card import FIELDS, TABLE_COLUMNS, Column, FieldSpec, Need, table_label
from crmdesk.models.fieldtypes import Kind, ValueProblem, check_length, parse_text

_REFERENCES = {Kind.STAFF: Staff, Kind.LEVEL: Level, Kind.CUSTOMER: Customer}


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _unanswered(spec: FieldSpec, value: Any) -> bool:
    # An unticked box is an unanswered important question (e.g. consent to keep the archive).
    return _empty(value) or (spec.kind is Kind.BOOL and value is False)


def _clean_value(spec: FieldSpec | Column, value: Any) -> Any:
    """Return the stored form of ``value`` or raise ValueProblem."""
    if _empty(value):
        return None
    if spec.kind is Kind.CUSTOMER and isinstance(value, str) and not value.strip().isdigit():
        # Referrers are written by archive number (KH2026000123) on forms and in workbooks.
        found = Customer.get_or_none(Customer.archive_no == value.strip().upper())
        if found is None:
            raise ValueProblem(_("no archive numbered {no}").format(no=value.strip()))
        return found.id
    if spec.kind in _REFERENCES:
        model = _REFERENCES[spec.kind]
        if not model.select().where(model.id == value).exists():
            raise ValueProblem(_("no such entry"))
        return int(value)
    if spec.kind in (Kind.CHOICE, Kind.MULTICHOICE):
        keys = value.split(",") if isinstance(value, str) else list(value)
        known = {c.key for c in spec.choices}
        unknown = [k for k in keys if k not in known]
        if unknown:
            raise ValueProblem(
                _("not one of the choices: {value}").format(value=", ".join(unknown)))
        if spec.kind is Kind.CHOICE and len(keys) > 1:
            raise ValueProblem(_("choose only one"))
        return ",".join(keys) or None
    if isinstance(value, str):
        parsed = parse_text(spec.kind, value)
        if isinstance(spec, FieldSpec) and isinstance(parsed, str):
            check_length(parsed, spec.max_length)
        return parsed
    # Typed values (a Decimal from a spin box, a number or date from a workbook cell) obey
    # the same rules as typed text: no negative amounts, no ten-digit mobiles.
    if spec.kind is Kind.DATE and isinstance(value, dt.date):
        return value.date() if isinstance(value, dt.datetime) else value
    if spec.kind is Kind.BOOL and isinstance(value, bool):
        return value
    return parse_text(spec.kind, str(value))


def clean_fields(values: dict[str, Any], customer_kind: str | None
                 ) -> tuple[dict[str, Any], list[Problem]]:
    """Parse every card field in ``values``; return the clean values and the problems found.

    Required fields that are empty are problems; fields that do not apply to the customer's
    kind (individual / organisation) are cleared rather than kept out of sight.
    """
    clean: dict[str, Any] = {}
    problems: list[Problem] = []
    for name, spec in FIELDS.items():
        if name not in values:
            # A required field left out of the card is as empty as one left blank.
            if spec.need is Need.REQUIRED and spec.for_kind(customer_kind):
                problems.append(Problem(name, spec.label, _("required")))
            continue
        if not spec.for_kind(customer_kind):
            clean[name] = None
            continue
        try:
            clean[name] = _clean_value(spec, values[name])
        except ValueProblem as exc:
            problems.append(Problem(name, spec.label, str(exc)))
            continue
        if spec.need is Need.REQUIRED and clean[name] is None:
            problems.append(Problem(name, spec.label, _("required")))
    return clean, problems


def missing_important(values: dict[str, Any], customer_kind: str | None) -> list[Problem]:
    """The important (重要) fields left empty, for one reminder listing them all."""
    return [
        Problem(name, spec.label, _("important field is empty"))
        for name, spec in FIELDS.items()
        if spec.need is Need.IMPORTANT and spec.for_kind(customer_kind)
        and _unanswered(spec, values.get(name))
    ]


def clean_rows(table: str, rows: list[dict[str, Any]]
               ) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Parse the rows of one of the card's tables, naming each problem by row and column."""
    columns = TABLE_COLUMNS[table]
    clean_rows_: list[dict[str, Any]] = []
    problems: list[Problem] = []
    for number, row in enumerate(rows, start=1):
        if all(_empty(row.get(c.name)) for c in columns):
            continue
        clean: dict[str, Any] = {}
        for column in columns:
            where = _("{table}, row {row}, {column}").format(
                table=table_label(table), row=number, column=column.label
            )
            try:
                clean[column.name] = _clean_value(column, row.get(column.name))
            except ValueProblem as exc:
                problems.append(Problem(f"{table}.{number}.{column.name}", where, str(exc)))
                continue
            if column.need is Need.REQUIRED and clean[column.name] is None:
                problems.append(Problem(f"{table}.{number}.{column.name}", where, _("required")))
        clean_rows_.append(clean)
    return clean_rows_, problems

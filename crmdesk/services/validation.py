"""Checking a card against the card definition: every problem at once, named by its label."""
from __future__ import annotations

from typing import Any

from crmdesk.errors import Problem
from crmdesk.i18n import _
from crmdesk.models.card import (
    FIELDS,
    Column,
    FieldSpec,
    Need,
    stored_columns,
    table_label,
)
from crmdesk.models.parsers import ValueProblem


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _clean_value(spec: FieldSpec | Column, value: Any) -> Any:
    """Return the stored form of ``value`` or raise ValueProblem; a card field's text is held
    to the field's length."""
    limit = spec.max_length if isinstance(spec, FieldSpec) else None
    return spec.kind.accept(value, spec.choices, limit)


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
        and spec.kind.unanswered(values.get(name))
    ]


def clean_rows(table: str, rows: list[dict[str, Any]]
               ) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Parse the rows of one of the card's tables, naming each problem by row and column;
    computed columns (a growth rate) are left out: they are worked out, never stored."""
    columns = stored_columns(table)
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

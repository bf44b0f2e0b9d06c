"""Our sales to an organisation year by year (the 丸石 card's 历年销售额): the rules of the table
and its growth rate.

The growth of a year is worked out from the year before whenever the table is shown, printed or
exported; it is never stored, so correcting one year's amount corrects the next year's rate.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import peewee

from crmdesk.errors import Problem
from crmdesk.i18n import _
from crmdesk.models import Customer, YearlySale
from crmdesk.models.card import SALES_BY_YEAR_COLUMNS, table_label
from crmdesk.models.fieldtypes import Kind, parse_text
from crmdesk.models.gathered import json_rows
from crmdesk.models.parsers import ValueProblem

TABLE = "sales_by_year"
YEAR_MIN, YEAR_MAX = 1950, 2100
GROWTH_PLACES = Decimal("0.1")
CENT = Decimal("0.01")


def growth(amount: Decimal | None, before: Decimal | None) -> Decimal | None:
    """The growth in percent (one decimal) from ``before``, the year before, to ``amount``;
    None when either is unknown or the year before sold nothing (no rate from zero)."""
    if amount is None or before is None or before == 0:
        return None
    rate = (Decimal(amount) - Decimal(before)) * 100 / Decimal(before)
    return rate.quantize(GROWTH_PLACES, rounding=ROUND_HALF_UP)


def with_growth(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The rows in year order, each with its ``growth`` against the year just before (None
    when that year is not in the table)."""
    ordered = sorted((dict(r) for r in rows), key=lambda r: r["year"])
    amounts = {r["year"]: r["amount"] for r in ordered}
    for row in ordered:
        row["growth"] = growth(row["amount"], amounts.get(row["year"] - 1))
    return ordered


def as_text(amounts: Mapping[int, Decimal]) -> str:
    """Years and amounts as the audit trail keeps them: "2022: 120.00; 2023: 150.00"."""
    return "; ".join(f"{year}: {Kind.MONEY.display(amounts[year])}"
                     for year in sorted(amounts))


def growth_as_typed(rows: Iterable[Mapping[str, Any]]) -> list[Decimal | None]:
    """The growth of each row as typed in the form, in the form's order: None for a row whose
    year or amount (or the year before's) is not yet a valid value."""
    typed = []
    for row in rows:
        try:
            typed.append((parse_text(Kind.INTEGER, row.get("year")),
                          parse_text(Kind.MONEY, row.get("amount"))))
        except ValueProblem:
            typed.append((None, None))
    amounts = {year: amount for year, amount in typed if year is not None}
    return [growth(amount, amounts.get(year - 1)) if year is not None else None
            for year, amount in typed]


def row_column() -> peewee.Node:
    """A column for a query of customers: that customer's years as JSON ([[year, amount], ...]),
    so a card is read in one statement with them (see ``from_row``)."""
    pair = (YearlySale.year, YearlySale.amount)
    return YearlySale.select(json_rows(*pair)).where(YearlySale.customer == Customer.id)


def from_row(gathered: str | None) -> list[dict[str, Any]]:
    """The years ``row_column`` gathered, with their growth (``with_growth``)."""
    # Amounts read as decimals straight from the JSON text: no float on the way.
    pairs = json.loads(gathered, parse_float=Decimal) if gathered else []
    return with_growth({"year": year, "amount": Decimal(amount).quantize(CENT)}
                       for year, amount in pairs or ())


def problems(rows: Iterable[Mapping[str, Any]]) -> list[Problem]:
    """What is wrong with the years typed in ``rows`` beyond their kind (which the card's
    table check reports): a year outside 1950-2100, or a year given on two rows."""
    found: list[Problem] = []
    seen: dict[int, int] = {}
    label = next(c.label for c in SALES_BY_YEAR_COLUMNS if c.name == "year")
    for number, row in enumerate(rows, start=1):
        try:
            year = parse_text(Kind.INTEGER, row.get("year"))
        except ValueProblem:
            continue
        if year is None:
            continue
        where = _("{table}, row {row}, {column}").format(table=table_label(TABLE), row=number,
                                                          column=label)
        if not YEAR_MIN <= year <= YEAR_MAX:
            found.append(Problem(f"{TABLE}.{number}.year", where, _(
                "a year from {low} to {high}").format(low=YEAR_MIN, high=YEAR_MAX)))
        elif year in seen:
            found.append(Problem(f"{TABLE}.{number}.year", where, _(
                "{year} is already on row {row}: one row per year").format(
                    year=year, row=seen[year])))
        else:
            seen[year] = number
    return found

"""Our sales by year from a workbook: the sheet ``services.exports.sales_by_year`` writes, or one
the office keeps with an archive number, a year and an amount on each row.

Every row is checked before any is kept (the archive exists, is an organisation the importer
may change, the year and amount are valid, no year twice for one card); one problem refuses
the whole file, each named by its row. A year already on the card takes the file's amount;
other years on the card stay. Each changed card is audited like a save of the card.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crmdesk.errors import Problem, ValidationError
from crmdesk.i18n import _
from crmdesk.importers.cells import cell_text
from crmdesk.importers.mapping import ARCHIVE_NO, ARCHIVE_NO_LABELS, HEAD_ROWS, header_key
from crmdesk.importers.readers import open_workbook
from crmdesk.models import Customer, YearlySale
from crmdesk.models.card import SALES_BY_YEAR_COLUMNS
from crmdesk.models.db import database
from crmdesk.models.fieldtypes import Kind
from crmdesk.models.parsers import ValueProblem
from crmdesk.services import audit, sales_by_year
from crmdesk.services.accounts import PermissionDenied
from crmdesk.services.context import Actor
from crmdesk.services.visibility import Duty, require, require_card

_TYPED = ("year", "amount")


@dataclass(frozen=True)
class SalesImport:
    """What an import of yearly sales did: cards changed and years written."""

    cards: int
    years: int


def _header(rows: Sequence[Sequence[Any]]) -> tuple[int, dict[str, int]]:
    """The header row's index and the column of the archive number, the year and the amount.

    Raises:
        ValidationError: no row among the first ones names all three.
    """
    wanted = {header_key(label): ARCHIVE_NO for label in ARCHIVE_NO_LABELS}
    for c in SALES_BY_YEAR_COLUMNS:
        if c.name in _TYPED:
            wanted.update({header_key(c.zh): c.name, header_key(c.en): c.name})
    for index, row in enumerate(rows[:HEAD_ROWS]):
        found: dict[str, int] = {}
        for col, cell in enumerate(row):
            target = wanted.get(header_key(cell)) if cell is not None else None
            if target is not None:
                found.setdefault(target, col)
        if len(found) == 3:
            return index, found
    names = [_("archive no."), *(c.label for c in SALES_BY_YEAR_COLUMNS if c.name in _TYPED)]
    raise ValidationError([Problem("header", _("Header"), _(
        "no row names the columns {names}").format(names=", ".join(names)))])


def _cell(row: Sequence[Any], col: int) -> str:
    value = row[col] if col < len(row) else None
    return cell_text(value) if value is not None else ""


def _read(rows: list[list[Any]], actor: Actor | None,
          ) -> tuple[dict[int, dict[int, Any]], list[Problem]]:
    """The years of each card by customer id, and every problem by its row."""
    start, columns = _header(rows)
    cards: dict[str, tuple[int, str] | None] = {}
    years: dict[int, dict[int, Any]] = {}
    first_row: dict[tuple[int, int], int] = {}
    problems: list[Problem] = []
    for index in range(start + 1, len(rows)):
        row, number = rows[index], index + 1
        texts = {key: _cell(row, col) for key, col in columns.items()}
        if not any(texts.values()):
            continue

        def problem(column: str, message: str, number: int = number) -> None:
            problems.append(Problem(f"row.{number}.{column}", _("row {row}").format(
                row=number), message))

        archive_no = texts[ARCHIVE_NO]
        if archive_no not in cards:
            cards[archive_no] = Customer.select(Customer.id, Customer.kind).where(
                Customer.archive_no == archive_no).tuples().first()
        card = cards[archive_no]
        try:
            year = Kind.INTEGER.read(texts["year"])
            amount = Kind.MONEY.read(texts["amount"])
        except ValueProblem as exc:
            problem("value", str(exc))
            continue
        if card is None:
            problem(ARCHIVE_NO, _("no archive numbered {no}").format(no=archive_no or "—"))
            continue
        if card[1] != "organisation":
            problem(ARCHIVE_NO, _("{no} is no organisation: only organisation cards keep "
                                  "sales by year").format(no=archive_no))
            continue
        try:
            require_card(actor, card[0])
        except PermissionDenied as exc:
            problem(ARCHIVE_NO, str(exc))
            continue
        if year is None or amount is None:
            problem("value", _("a year and an amount are both required"))
            continue
        if not sales_by_year.YEAR_MIN <= year <= sales_by_year.YEAR_MAX:
            problem("year", _("a year from {low} to {high}").format(
                low=sales_by_year.YEAR_MIN, high=sales_by_year.YEAR_MAX))
            continue
        if (card[0], year) in first_row:
            problem("year", _("{year} is already on row {row}: one row per year").format(
                year=year, row=first_row[(card[0], year)]))
            continue
        first_row[(card[0], year)] = number
        years.setdefault(card[0], {})[year] = amount
    return years, problems


def import_sales_by_year(path: Path | str, actor: Actor | None) -> SalesImport:
    """Keep the years and amounts of the workbook at ``path`` (its first sheet) on the cards.

    Raises:
        PermissionDenied: ``actor`` may not import.
        ValidationError: every problem, by row; nothing is kept.
        UnreadableFileError: the file cannot be read as a workbook.
    """
    require(actor, Duty.IMPORT)
    with open_workbook(path) as book:
        rows = [list(row) for row in book.rows()]
    years, problems = _read(rows, actor)
    if problems:
        raise ValidationError(problems)
    changed = written = 0
    now = dt.datetime.now()
    with database.atomic():
        for customer_id, typed in years.items():
            old = {y: a for y, a in YearlySale.select(YearlySale.year, YearlySale.amount).where(
                YearlySale.customer == customer_id).tuples()}
            new = old | typed
            if new == old:
                continue
            YearlySale.delete().where(YearlySale.customer == customer_id).execute()
            YearlySale.insert_many([{"customer": customer_id, "year": y, "amount": a}
                                    for y, a in sorted(new.items())]).execute()
            # A desk with the card open sees it changed and is not allowed to save over it.
            Customer.update(updated_at=now, version=Customer.version + 1).where(
                Customer.id == customer_id).execute()
            audit.record(actor, "update", customer_id, changes={"sales_by_year": [
                sales_by_year.as_text(old), sales_by_year.as_text(new)]})
            changed += 1
            written += sum(1 for y, a in typed.items() if old.get(y) != a)
    return SalesImport(changed, written)

"""Our sales by year as an export: one row per organisation and year, the cards the customer
list's filter shows and the exporter may read, with the growth worked out (never stored).

Its own sheet, not columns on the customer sheet: a card holds any number of years, and a
sheet of (archive no., year, amount) rows keeps the customer sheet the same every year and
imports back as it is (``services.imports.sales_by_year``), matched by the archive number.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from crmdesk.exporters.columns import ExportColumn, Table, column
from crmdesk.importers.mapping import ARCHIVE_NO, target_label
from crmdesk.models import YearlySale
from crmdesk.models.card import FIELDS, SALES_BY_YEAR_COLUMNS
from crmdesk.models.fieldtypes import Kind
from crmdesk.progress import CancelFlag, Progress
from crmdesk.services.context import Actor
from crmdesk.services.exports.customers import customer_chunks
from crmdesk.services.sales_by_year import with_growth
from crmdesk.services.search import ListQuery

WHAT = "sales_by_year"


def sales_columns() -> list[ExportColumn]:
    """The sheet's columns: archive number and name, then the table's own (growth last)."""
    return [column(ARCHIVE_NO, target_label(ARCHIVE_NO), Kind.TEXT, 16),
            column("name", FIELDS["name"].label, Kind.TEXT, 30),
            *(column(c.name, c.label, c.kind) for c in SALES_BY_YEAR_COLUMNS)]


def _cells(archive_no: str, name: str, row: dict[str, Any]) -> list[Any]:
    growth = row["growth"]
    return [archive_no, name, row["year"], row["amount"],
            Kind.PERCENT.display(growth) if growth is not None else None]


def sales_by_year_table(actor: Actor | None, query: ListQuery | None = None,
                        progress: Progress | None = None,
                        cancel: CancelFlag | None = None) -> Table:
    """The years of the cards the list ``query`` shows (all when None) that ``actor`` may
    read, cards in list order, each card's years in order.

    Raises:
        PermissionDenied: ``actor`` may not export.
    """
    _total, chunks = customer_chunks(actor, query, progress, cancel)

    def rows() -> Iterator[list[Any]]:
        for records in chunks:
            years: dict[int, list[dict[str, Any]]] = {}
            for cid, year, amount in (
                    YearlySale.select(YearlySale.customer, YearlySale.year, YearlySale.amount)
                    .where(YearlySale.customer.in_([r["id"] for r in records])).tuples()):
                years.setdefault(cid, []).append({"year": year, "amount": amount})
            for record in records:
                for row in with_growth(years.get(record["id"], ())):
                    yield _cells(record["archive_no"], record["name"] or "", row)

    return Table(WHAT, sales_columns(), rows())

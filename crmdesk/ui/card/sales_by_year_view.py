"""Our sales by year on an organisation card's business tab: the years and amounts are typed,
the growth column follows every edit (worked out by the service, never stored)."""
from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from crmdesk.models.card import SALES_BY_YEAR_COLUMNS
from crmdesk.services.sales_by_year import growth_as_typed
from crmdesk.ui.card.record_table import RecordTable

GROWTH_COLUMN = next(i for i, c in enumerate(SALES_BY_YEAR_COLUMNS) if c.name == "growth")


class SalesByYearTable(RecordTable):
    """The table of our sales by year, its growth column kept up to date."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("sales_by_year", parent)
        self.changed.connect(self.refresh_growth)

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        """Replace every row, then work the growth out again."""
        super().set_rows(rows)
        self.refresh_growth()

    def refresh_growth(self) -> None:
        """Show each row's growth against the year before as the rows stand now."""
        column = SALES_BY_YEAR_COLUMNS[GROWTH_COLUMN]
        self.grid.blockSignals(True)
        for row, rate in enumerate(growth_as_typed(self.rows())):
            item = self.grid.item(row, GROWTH_COLUMN)
            if item is not None:
                item.setText(column.kind.display(rate))
        self.grid.blockSignals(False)

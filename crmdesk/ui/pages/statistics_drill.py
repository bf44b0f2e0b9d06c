"""What a figure counts: the visits, customers or complaints behind a number of a report, listed
beside it; a double-click (or Enter) opens the customer's card."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from crmdesk.i18n import _, ngettext
from crmdesk.services.statistics import DrillRow, drill_columns
from crmdesk.ui.rows_table import RowsTable


class DrillList(QWidget):
    """Lists the records of one figure; ``open_customer`` carries the customer to open."""

    open_customer = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel(_("Click a number to list what it counts."), self)
        self.heading.setWordWrap(True)
        self.heading.setObjectName("drillHeading")
        self.table = RowsTable(drill_columns("customers"), self,
                               empty=_("Click an underlined number of the table."))
        self.table.setObjectName("drillList")
        self.table.chosen.connect(self._chosen)
        hint = QLabel(_("Double-click a line to open the card."), self)
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)
        layout.addWidget(hint)

    def show_rows(self, title: str, kind: str, rows: list[DrillRow]) -> None:
        """List ``rows`` (of ``kind``) under ``title``, the figure's row and column."""
        self.heading.setText(ngettext("{title}: {n} record", "{title}: {n} records",
                                      len(rows)).format(title=title, n=len(rows)))
        columns = drill_columns(kind)
        self.table.setColumnCount(len(columns))
        self.table.setHorizontalHeaderLabels(list(columns))
        self.table.set_rows([(row.customer_id, row.cells) for row in rows])

    def clear(self) -> None:
        """Forget the figure shown (a new report was read)."""
        self.heading.setText(_("Click a number to list what it counts."))
        self.table.set_rows([])

    def _chosen(self, customer_id: int | None) -> None:
        if customer_id is not None:
            self.open_customer.emit(customer_id)

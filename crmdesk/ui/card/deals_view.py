"""The card's deals (成交) on its business tab: every deal with the customer, newest first, and
"Record a deal…": the day, the salesperson credited (the card's owner unless another is
chosen), the amount and, when a product is named, its quantity, which adds the purchase line.
Recording one sets the card's status to 成交; the card is read again from the change event.
"""
from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from crmdesk.errors import Problem, ValidationError
from crmdesk.i18n import _
from crmdesk.models.parsers import ValueProblem, parse_money
from crmdesk.services import deals
from crmdesk.services.context import Actor
from crmdesk.services.deals import DealRow
from crmdesk.services.staff import active_staff
from crmdesk.ui.dialogs.complaint_dialog import ServiceDialog, staff_combo
from crmdesk.ui.operations import Operation, Operations
from crmdesk.ui.rows_table import RowsTable

if TYPE_CHECKING:
    from crmdesk.ui.card.editor import CardEditor

MAX_QUANTITY = 1_000_000


def deal_cells(row: DealRow) -> tuple[str, ...]:
    """One deal as a line of the card's list."""
    return (row.closed_on.isoformat(), row.salesperson,
            "" if row.amount is None else f"{row.amount:,.2f}", row.product)


class DealDialog(ServiceDialog):
    """Records a deal with one customer; ``outcome`` is the deal's id once recorded."""

    def __init__(self, customer_id: int, customer_name: str, actor: Actor | None,
                 operations: Operations, parent: QWidget | None = None) -> None:
        super().__init__(_("Record a deal: {name}").format(name=customer_name), operations,
                         parent)
        self.refused_title = _("Deal not recorded")
        self._customer_id, self._actor = customer_id, actor
        self.closed_on = QDateEdit(QDate.currentDate(), self)
        self.closed_on.setCalendarPopup(True)
        self.closed_on.setDisplayFormat("yyyy-MM-dd")
        self.salesperson = staff_combo(self, active_staff(), _("(the card's owner)"))
        self.amount = QLineEdit(self)
        self.amount.setPlaceholderText(_("yuan; empty when not known"))
        self.product = QLineEdit(self)
        self.product.setPlaceholderText(_("empty: no line in the purchase history"))
        self.quantity = QSpinBox(self)
        self.quantity.setRange(1, MAX_QUANTITY)
        for label, widget in ((_("Deal date"), self.closed_on),
                              (_("Salesperson"), self.salesperson), (_("Amount"), self.amount),
                              (_("Product"), self.product), (_("Quantity"), self.quantity)):
            self.form.addRow(label, widget)
        self.finish_form()
        self.resize(420, 260)

    def _amount(self) -> Decimal | None:
        text = self.amount.text().strip()
        if not text:
            return None
        try:
            return parse_money(text)
        except ValueProblem as exc:
            raise ValidationError([Problem("amount", _("Amount"), str(exc))]) from exc

    def work(self) -> Callable[[], int]:
        product = self.product.text().strip() or None
        new = deals.NewDeal(closed_on=self.closed_on.date().toPython(),
                            salesperson_id=self.salesperson.currentData(),
                            amount=self._amount(), product=product,
                            quantity=self.quantity.value())
        customer_id, actor = self._customer_id, self._actor
        return lambda: deals.record_deal(customer_id, new, actor)


class DealsSection(QWidget):
    """The deals of the card open in ``editor``, with the button that records one."""

    def __init__(self, editor: CardEditor, actor: Actor | None, operations: Operations) -> None:
        super().__init__(editor)
        self._editor, self._actor, self._operations = editor, actor, operations
        self.rows: list[DealRow] = []
        self.record_button = QPushButton(_("Record a deal…"), self)
        self.record_button.clicked.connect(self.record)
        self.table = RowsTable([_("Deal date"), _("Salesperson"), _("Amount"), _("Product")],
                               self, empty=_("No deals yet."))
        self.table.setObjectName("cardDeals")
        self.table.setMinimumHeight(90)
        heading = QHBoxLayout()
        heading.addWidget(QLabel(f"<b>{_('Deals')}</b>", self))
        heading.addStretch(1)
        heading.addWidget(self.record_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(heading)
        layout.addWidget(self.table)
        self._show_rows([])

    def show_read(self, rows: list[DealRow]) -> None:
        """Show the open card's deals as read with the card."""
        self._operations.supersede(f"deals-{id(self)}")
        self._enable()
        self._show_rows(rows)

    def _enable(self) -> None:
        self.record_button.setEnabled(self._editor.customer_id is not None
                                      and not self._editor.read_only)

    def reload(self) -> Operation | None:
        """Read the open card's deals (a new card has none)."""
        customer_id, actor = self._editor.customer_id, self._actor
        self._enable()
        if customer_id is None:
            self._show_rows([])
            return None
        return self._operations.run(lambda: deals.deals_of(customer_id, actor),
                                    self._show_rows, channel=f"deals-{id(self)}",
                                    title=_("Deals"))

    def _show_rows(self, rows: list[DealRow]) -> None:
        self.rows = rows
        self.table.set_rows([(row.id, deal_cells(row)) for row in rows])

    def record(self) -> bool:
        """Record a deal with the open customer; unsaved edits of the card are saved first,
        as the deal changes the card's status and purchases."""
        if self._editor.customer_id is None:
            return False
        if self._editor.is_dirty():
            self._editor.save(then=self.record)
            return False
        name = self._editor.editor("name").value() or ""
        dialog = DealDialog(self._editor.customer_id, name, self._actor, self._operations, self)
        return bool(dialog.exec())


"""The customer's value (客户价值) on the card's business tab: the grade its saved purchases earn
(主力/一般/零散 by the office's bars), with the number of orders and the amount. Read only, and
named apart from the follow-up level, which also uses letters."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel

from crmdesk.i18n import _
from crmdesk.services import customer_value
from crmdesk.services.customer_value import Value
from crmdesk.ui.operations import Operation, Operations

if TYPE_CHECKING:
    from crmdesk.ui.card.editor import CardEditor


def value_text(value: Value | None) -> str:
    """What the card says of a customer's value."""
    if value is None or value.grade is None:
        return _("Customer value: no purchases recorded yet")
    return _("Customer value: {grade} ({orders} orders, {amount} yuan in all)").format(
        grade=value.grade_label, orders=value.orders, amount=f"{value.amount:,.2f}")


class CustomerValueLabel(QLabel):
    """Shows the value of the card open in ``editor``, read again whenever the card is."""

    def __init__(self, editor: CardEditor, operations: Operations) -> None:
        super().__init__(editor)
        self.setObjectName("customerValue")
        self.setToolTip(_("Worked out from the saved purchases with the office's bars; not the "
                          "follow-up level."))
        self._editor, self._operations = editor, operations
        self.value: Value | None = None
        self._show(None)

    def show_read(self, value: Value) -> None:
        """Show the open card's value as read with the card."""
        self._operations.supersede(f"customer-value-{id(self)}")
        self._show(value)

    def reload(self) -> Operation | None:
        """Read the open card's value (a new card has none)."""
        customer_id = self._editor.customer_id
        if customer_id is None:
            self._show(None)
            return None
        return self._operations.run(
            lambda: customer_value.values_of([customer_id]).get(customer_id), self._show,
            channel=f"customer-value-{id(self)}", title=_("Customer value"))

    def _show(self, value: Value | None) -> None:
        self.value = value
        self.setText(value_text(value))


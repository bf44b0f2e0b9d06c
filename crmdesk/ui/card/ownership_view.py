"""The card's ownership history (read only): every owner with who changed it, when and why,
and whether the owner is still protected. Read as an operation, off the UI thread."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QLabel, QVBoxLayout, QWidget

from crmdesk.i18n import _
from crmdesk.services.card_view import OwnershipPanel
from crmdesk.services.glance import glances, protection_label
from crmdesk.services.ownership import ownership_history
from crmdesk.services.protection import rule_in_force
from crmdesk.ui.operations import Operation, Operations
from crmdesk.ui.rows_table import RowsTable

VISIBLE_ROWS = 4


class OwnershipView(QGroupBox):
    """Shows one archive's owners, earliest first; call ``show_customer`` when the card changes."""

    def __init__(self, operations: Operations, parent: QWidget | None = None) -> None:
        super().__init__(_("Ownership"), parent)
        self.setObjectName("ownershipView")
        self._operations = operations
        self.protection = QLabel(self)
        self.protection.setObjectName("ownershipProtection")
        self.table = RowsTable([_("When"), _("What"), _("From"), _("To"), _("By"), _("Reason")],
                               self)
        self.table.setObjectName("ownershipHistory")
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        rows = self.table.verticalHeader().defaultSectionSize()
        self.table.setMaximumHeight(rows * (VISIBLE_ROWS + 1) + 6)
        layout = QVBoxLayout(self)
        layout.addWidget(self.protection)
        layout.addWidget(self.table)
        self.show_customer(None)

    def show_customer(self, customer_id: int | None) -> Operation:
        """Show the history of ``customer_id`` (the newest asked for shows); a new card (None)
        has none yet."""
        def read() -> OwnershipPanel | None:
            found = glances([customer_id], None) if customer_id is not None else []
            if not found:
                return None
            return OwnershipPanel(found[0].owner, protection_label(found[0]), rule_in_force(),
                                  ownership_history(customer_id))

        return self._operations.run(read, self._show, channel=f"ownership-{id(self)}",
                                    title=_("Ownership"), parent=self)

    def show_read(self, panel: OwnershipPanel) -> None:
        """Show the open card's ownership as read with the card."""
        self._operations.supersede(f"ownership-{id(self)}")
        self._show(panel)

    def _show(self, panel: OwnershipPanel | None) -> None:
        if panel is None:
            self.protection.setText(_("The owner is recorded when the card is first saved."))
            self.table.set_rows([])
            return
        self.protection.setText(_("Owner: {owner}, {protection}").format(
            owner=panel.owner or "-", protection=panel.protection) + "\n" + panel.rule)
        self.table.set_rows([(n, (r.at.strftime("%Y-%m-%d %H:%M"), r.kind_label, r.from_name,
                                  r.to_name, r.by_name, r.reason))
                             for n, r in enumerate(panel.history)])

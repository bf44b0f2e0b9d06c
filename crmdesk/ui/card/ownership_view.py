"""The card's ownership history (read only): every owner with who changed it, when and why,
and whether the owner is still protected."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QLabel, QVBoxLayout, QWidget

from crmdesk.i18n import _
from crmdesk.services.glance import glances, protection_label
from crmdesk.services.ownership import ownership_history
from crmdesk.ui.rows_table import RowsTable

VISIBLE_ROWS = 4


class OwnershipView(QGroupBox):
    """Shows one archive's owners, earliest first; call ``show_customer`` when the card changes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_("Ownership"), parent)
        self.setObjectName("ownershipView")
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

    def show_customer(self, customer_id: int | None) -> None:
        """Show the history of ``customer_id``; a new card (None) has none yet."""
        if customer_id is None:
            self.protection.setText(_("The owner is recorded when the card is first saved."))
            self.table.set_rows([])
            return
        glance = glances([customer_id], None)
        self.protection.setText(_("Owner: {owner}, {protection}").format(
            owner=glance[0].owner or "-", protection=protection_label(glance[0]))
            if glance else "")
        self.table.set_rows([(n, (r.at.strftime("%Y-%m-%d %H:%M"), r.kind_label, r.from_name,
                                  r.to_name, r.by_name, r.reason))
                             for n, r in enumerate(ownership_history(customer_id))])

"""The public pool (公海): customers whose owner's protection lapsed, to claim or hand out, and
the actor's own customers about to lapse.

A claim is an operation: its ownership change reaches the window's change hub, so the customer
list, the open card and the home page follow it, and the pool reads again as the current page
(MainWindow._pages_changed)."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from crmdesk.i18n import _
from crmdesk.services import ownership
from crmdesk.services.context import Actor
from crmdesk.services.glance import Glance
from crmdesk.services.pool import PoolPage, due_to_lapse, pool
from crmdesk.services.visibility import Duty, may
from crmdesk.ui.operations import Operation, Operations
from crmdesk.ui.rows_table import RowsTable


def _headers(last: str) -> list[str]:
    return [_("Archive no."), _("Customer name"), _("Phone"), _("Level"), _("Status"),
            _("Salesperson"), _("Last contact"), last]


def _rows(glances: list[Glance]) -> list[tuple[int, tuple[str, ...]]]:
    return [(g.customer_id, (g.archive_no, g.name, g.phone, g.level, g.status, g.owner,
                             g.last_contact.isoformat() if g.last_contact else "",
                             g.lapses_on.isoformat() if g.lapses_on else ""))
            for g in glances]


class PoolView(QWidget):
    """The pool, read in the background (it is worked out over the whole archive)."""

    open_customer = Signal(int)
    hand_over_requested = Signal(list)

    def __init__(self, actor: Actor | None, tasks: Operations,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._actor, self._tasks = actor, tasks
        self.count = QLabel(self)
        self.count.setObjectName("poolCount")
        self.table = RowsTable(_headers(_("Lapsed on")), self, stretch=1,
                               empty=_("No customer is in the public pool."))
        self.table.setObjectName("pool")
        self.table.chosen.connect(self.open_customer.emit)
        self.due = RowsTable(_headers(_("Lapses on")), self, stretch=1,
                             empty=_("No customer's protection lapses soon."))
        self.due.setObjectName("dueToLapse")
        self.due.chosen.connect(self.open_customer.emit)
        self.due.setMaximumHeight(200)
        # Salespeople claim and watch their own customers; the front desk only looks.
        sells = self._sells = actor is None or bool({"sales", "manager"} & set(actor.roles))
        claim = QPushButton(_("Claim"), self)
        claim.setObjectName("claim")
        claim.clicked.connect(self.claim)
        claim.setVisible(sells)
        hand_over = QPushButton(_("Hand over…"), self)
        hand_over.clicked.connect(self.hand_over)
        hand_over.setVisible(may(actor, Duty.REASSIGN))
        refresh = QPushButton(_("Refresh"), self)
        refresh.clicked.connect(self.reload)
        bar = QHBoxLayout()
        bar.addWidget(self.count, 1)
        for button in (claim, hand_over, refresh):
            bar.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        due_title = QLabel("<b>" + _("My customers due to lapse within a week: follow them up to "
                                     "keep them") + "</b>", self)
        layout.addWidget(due_title)
        layout.addWidget(self.due)
        for widget in (due_title, self.due):
            widget.setVisible(sells)

    def reload(self) -> None:
        """Read the pool and the actor's customers due to lapse, in the background."""
        actor = self._actor
        self.count.setText(_("Reading the pool…"))

        def read() -> tuple[PoolPage, list[Glance]]:
            due = due_to_lapse(actor.staff_id, actor) if actor and self._sells else []
            return pool(actor), due

        self._tasks.run(read, self._show, channel="pool")

    def _show(self, result: tuple[PoolPage, list[Glance]]) -> None:
        page, due = result
        self.table.set_rows(_rows(page.rows))
        self.due.set_rows(_rows(due))
        self.count.setText(_("{total} customers in the public pool (first {n} shown)").format(
            total=page.total, n=len(page.rows)))

    def claim(self) -> Operation | None:
        """Claim the chosen customer from the pool (None: no customer is chosen)."""
        customer_id = self.table.current_key()
        if customer_id is None:
            return None
        actor = self._actor
        return self._tasks.run(lambda: ownership.claim(customer_id, actor), title=_("Not claimed"),
                               parent=self)

    def hand_over(self) -> None:
        """Let a manager hand the chosen customer to someone (with a reason)."""
        customer_id = self.table.current_key()
        if customer_id is not None:
            self.hand_over_requested.emit([customer_id])

"""The visitor and caller register of a day or range (today by default): counts, who is inside,
and the register printed for the days shown. Read and written through the window's operations."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from crmdesk.i18n import _
from crmdesk.models.lists.visits import VISIT_REGISTER
from crmdesk.services import documents, frontdesk
from crmdesk.services.context import Actor
from crmdesk.services.visibility import Duty, may
from crmdesk.services.visit_register import (
    VisitRow,
    channel_label,
    count_register,
    source_label,
    visits_between,
)
from crmdesk.ui.change_hub import Changes
from crmdesk.ui.dialogs.print_preview import preview
from crmdesk.ui.operations import Operation, Operations
from crmdesk.ui.rows_table import RowsTable

# What the register shows changes with visits (registrations, departures, the duty list) and
# with the staff who receive them.
DESK_KINDS = ("visits", "staff")


def _date_edit(parent: QWidget) -> QDateEdit:
    edit = QDateEdit(QDate.currentDate(), parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


class RegisterView(QWidget):
    """The register table; ``open_customer`` fires with the archive of a row activated."""

    open_customer = Signal(int)

    def __init__(self, actor: Actor | None, tasks: Operations,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._actor = actor
        self._tasks = tasks
        self.start, self.end = _date_edit(self), _date_edit(self)
        today = QPushButton(_("Today"), self)
        today.clicked.connect(self.show_today)
        self.start.dateChanged.connect(self.reload)
        self.end.dateChanged.connect(self.reload)
        self.counts = QLabel(self)
        self.counts.setObjectName("registerCounts")
        self.counts.setWordWrap(True)
        self.table = RowsTable(VISIT_REGISTER.titles(), self,
                               stretch=VISIT_REGISTER.keys.index("purpose"),
                               empty=_("Nobody registered in this period."))
        self.table.setObjectName("register")
        self.table.chosen.connect(self._open)
        self.inside = RowsTable([_("Arrival"), _("Visitor"), _("Party"), _("Salesperson")], self,
                                empty=_("No visitor is in the building."))
        self.inside.setObjectName("inBuilding")
        self.inside.setMaximumHeight(180)
        departed = QPushButton(_("Left now"), self)
        departed.setObjectName("setDeparture")
        departed.clicked.connect(self.set_departure)
        top = QHBoxLayout()
        for widget in (QLabel(_("From"), self), self.start, QLabel(_("to"), self), self.end,
                       today):
            top.addWidget(widget)
        top.addStretch(1)
        printing = QPushButton(_("Print…"), self)
        printing.setObjectName("printRegister")
        printing.clicked.connect(self.print_register)
        printing.setEnabled(may(actor, Duty.PRINT_REGISTERS))
        top.addWidget(printing)
        inside_bar = QHBoxLayout()
        inside_bar.addWidget(QLabel("<b>" + _("Still in the building") + "</b>", self))
        inside_bar.addStretch(1)
        inside_bar.addWidget(departed)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.counts)
        layout.addWidget(self.table, 1)
        layout.addLayout(inside_bar)
        layout.addWidget(self.inside)
        self._archives: dict[int, int | None] = {}
        if tasks.hub is not None:
            tasks.hub.subscribe(DESK_KINDS, self._desk_changed)
        self.reload()

    def _desk_changed(self, _changes: Changes) -> None:
        self.reload()

    def show_today(self) -> None:
        """Show today's register."""
        for edit in (self.start, self.end):
            edit.blockSignals(True)
            edit.setDate(QDate.currentDate())
            edit.blockSignals(False)
        self.reload()

    def period(self) -> tuple[dt.date, dt.date]:
        """The first and last day shown (the last never before the first)."""
        start: dt.date = self.start.date().toPython()
        return start, max(self.end.date().toPython(), start)

    def reload(self) -> Operation:
        """Read the register of the chosen days again (the newest reading shows)."""
        period, actor = self.period(), self._actor
        return self._tasks.run(lambda: visits_between(*period, actor), self._show,
                               channel=f"register-{id(self)}", title=_("Front desk"),
                               parent=self)

    def _show(self, rows: list[VisitRow]) -> None:
        self._archives = {r.id: r.customer_id for r in rows}
        self.table.set_rows([(r.id, VISIT_REGISTER.displayed(r)) for r in rows])
        inside = [r for r in rows if r.in_building]
        self.inside.set_rows([(r.id, (r.arrived_at.strftime("%m-%d %H:%M"), r.name,
                                      str(r.party_size), r.salesperson)) for r in inside])
        counts = count_register(rows)
        channels = "  ".join(f"{channel_label(k)} {n}" for k, n in counts.by_channel.items())
        sources = "  ".join(f"{source_label(k)} {n}" for k, n in counts.by_source.items())
        self.counts.setText(_(
            "<b>{total}</b> in all: {channels} · first visits {first}, returns {returning} · "
            "by source: {sources} · still in the building: <b>{inside}</b>").format(
            total=counts.total, channels=channels or "-", first=counts.first_visits,
            returning=counts.returning, sources=sources or "-", inside=counts.in_building))

    def print_register(self) -> None:
        """Preview the register of the days shown, for printing."""
        start, end = self.period()
        actor = self._actor
        preview(self, self._tasks, _("Visitor and caller register"),
                lambda: documents.visits_printout(start, end, actor))

    def set_departure(self) -> None:
        """Note that the visitor chosen in the "still in the building" list has left."""
        visit_id = self.inside.current_key()
        if visit_id is None:
            return
        actor = self._actor  # the register follows the departure's change event
        self._tasks.run(lambda: frontdesk.set_departure(visit_id, actor), title=_("Front desk"),
                        parent=self)

    def _open(self, visit_id: int) -> None:
        customer_id = self._archives.get(visit_id)
        if customer_id is not None:
            self.open_customer.emit(customer_id)

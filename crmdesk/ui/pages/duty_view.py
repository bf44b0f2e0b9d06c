"""Today's duty list (轮流接待): order, who is present, out or off, turns owed, who is next.

Read and changed through the window's operations; the list reads again on the change events."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from crmdesk.i18n import _
from crmdesk.services import rotation
from crmdesk.services.context import Actor
from crmdesk.ui.change_hub import Changes
from crmdesk.ui.operations import Operation, Operations
from crmdesk.ui.pages.register_view import DESK_KINDS
from crmdesk.ui.rows_table import RowsTable


class DutyView(QWidget):
    """The day's duty list with the desk's buttons."""

    def __init__(self, actor: Actor | None, tasks: Operations,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._actor, self._tasks = actor, tasks
        self.next_label = QLabel(self)
        self.next_label.setObjectName("nextOnDuty")
        self.table = RowsTable([_("Order"), _("Salesperson"), _("State"), _("Turns owed"),
                                _("Received today")], self, stretch=1)
        self.table.setObjectName("dutyList")
        buttons = QHBoxLayout()
        for text, state in ((_("Present"), "present"), (_("Out"), "out"),
                            (_("Off duty"), "off")):
            button = QPushButton(text, self)
            button.setObjectName(f"duty_{state}")
            button.clicked.connect(lambda _c=False, s=state: self.set_state(s))
            buttons.addWidget(button)
        for text, step in ((_("Move up"), -1), (_("Move down"), 1)):
            button = QPushButton(text, self)
            button.clicked.connect(lambda _c=False, d=step: self.move(d))
            buttons.addWidget(button)
        buttons.addStretch(1)
        note = QLabel(_("Someone out is passed and owed the turn; back again, they receive the "
                        "next new visitors until the missed turns are made up. Returning "
                        "customers go to their protected owner and use no turn."), self)
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.next_label)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(note)
        self._members: list[rotation.DutyMember] = []
        if tasks.hub is not None:
            tasks.hub.subscribe(DESK_KINDS, self._desk_changed)
        self.reload()

    def _desk_changed(self, _changes: Changes) -> None:
        self.reload()

    def reload(self) -> Operation:
        """Read today's list again (the newest reading shows)."""
        return self._tasks.run(lambda: rotation.duty_list(dt.date.today()), self._show,
                               channel=f"duty-{id(self)}", title=_("Duty list"), parent=self)

    def _show(self, members: list[rotation.DutyMember]) -> None:
        chosen = self.table.current_key()
        self._members = members
        self.table.set_rows([(m.staff_id, (str(n), m.name, m.state_label, str(m.owed or ""),
                                           str(m.received)))
                             for n, m in enumerate(self._members, start=1)],
                            warn=[m.state != "present" for m in self._members])
        turn = rotation.plan_turn(self._members)
        names = {m.staff_id: m.name for m in self._members}
        if turn is None:
            self.next_label.setText(_("Nobody is present on the duty list."))
        else:
            self.next_label.setText(_("Next new visitor goes to: <b>{name}</b>{why}").format(
                name=names[turn.staff_id], why=_(" (make-up turn)") if turn.make_up else ""))
        if chosen is not None:
            self.table.select_key(chosen)

    def _act(self, action: Callable[[], object]) -> Operation:
        # The list (and the register beside it) read again on the change event.
        return self._tasks.run(action, title=_("Duty list"), parent=self)

    def set_state(self, state: str) -> None:
        """Mark the chosen salesperson present, out or off duty."""
        staff_id = self.table.current_key()
        if staff_id is not None:
            actor = self._actor
            self._act(lambda: rotation.set_state(dt.date.today(), staff_id, state, actor))

    def move(self, step: int) -> None:
        """Move the chosen salesperson up or down the list."""
        staff_id = self.table.current_key()
        order = [m.staff_id for m in self._members]
        if staff_id is None:
            return
        at = order.index(staff_id)
        to = at + step
        if not 0 <= to < len(order):
            return
        order[at], order[to] = order[to], order[at]
        actor = self._actor
        self._act(lambda: rotation.set_duty_list(dt.date.today(), order, actor))

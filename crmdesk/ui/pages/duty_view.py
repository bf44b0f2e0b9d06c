"""Today's duty list (轮流接待): order, who is present, out or off, turns owed, who is next."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from crmdesk.errors import CrmError
from crmdesk.i18n import _
from crmdesk.services import rotation
from crmdesk.services.context import Actor
from crmdesk.ui.rows_table import RowsTable


class DutyView(QWidget):
    """The day's duty list with the desk's buttons; ``changed`` fires after every change."""

    changed = Signal()

    def __init__(self, actor: Actor | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._actor = actor
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
        self.reload()

    def reload(self) -> None:
        """Read today's list again."""
        self._members = rotation.duty_list(dt.date.today())
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

    def _act(self, action: object) -> None:
        try:
            action()  # type: ignore[operator]
        except CrmError as exc:
            QMessageBox.warning(self, _("Duty list"), str(exc))
        self.reload()
        self.changed.emit()

    def set_state(self, state: str) -> None:
        """Mark the chosen salesperson present, out or off duty."""
        staff_id = self.table.current_key()
        if staff_id is not None:
            self._act(lambda: rotation.set_state(dt.date.today(), staff_id, state, self._actor))
            self.table.select_key(staff_id)

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
        self._act(lambda: rotation.set_duty_list(dt.date.today(), order, self._actor))
        self.table.select_key(staff_id)

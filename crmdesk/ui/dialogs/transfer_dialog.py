"""A manager hands customers over (调离交接): chosen customers to one salesperson, or every
customer of a salesperson who leaves or goes on long leave shared among the colleagues ticked,
evenly (in archive order, one each in turn) or by random draw (随机抽数); the reason is kept on
each card."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QListWidget, QListWidgetItem, QWidget

from crmdesk.errors import Problem, ValidationError
from crmdesk.i18n import _
from crmdesk.services import ownership, rotation
from crmdesk.services.context import Actor
from crmdesk.ui.dialogs.complaint_dialog import ServiceDialog, staff_combo
from crmdesk.ui.operations import Operations

STAFF_ROLE = Qt.ItemDataRole.UserRole + 1
VISIBLE_COLLEAGUES = 6


def split_titles() -> dict[str, str]:
    """How a leaver's customers are shared, as the dialog offers it."""
    return {"evenly": _("Evenly, in archive order"), "draw": _("By random draw, equal shares")}


class TransferDialog(ServiceDialog):
    """Transfers ``customer_ids`` (None: every customer of a salesperson chosen in the dialog)
    when accepted; ``moved`` then says how many changed owner."""

    def __init__(self, customer_ids: list[int] | None, actor: Actor | None,
                 operations: Operations, parent: QWidget | None = None) -> None:
        super().__init__(_("Hand customers over"), operations, parent)
        self.setObjectName("transferDialog")
        self.refused_title = _("Not handed over")
        self._ids, self._actor = customer_ids, actor
        self.moved = 0
        people = rotation.salespeople()
        self.source = staff_combo(self, people, None)
        self.source.setObjectName("transferFrom")
        self.to = staff_combo(self, people, None)
        self.to.setObjectName("transferTo")
        self.colleagues = QListWidget(self)
        self.colleagues.setObjectName("transferColleagues")
        for staff_id, name in people:
            item = QListWidgetItem(name, self.colleagues)
            item.setData(STAFF_ROLE, staff_id)
            item.setCheckState(Qt.CheckState.Unchecked)
        rows = self.colleagues.sizeHintForRow(0) if people else 20
        self.colleagues.setMaximumHeight(rows * VISIBLE_COLLEAGUES + 6)
        self.split = QComboBox(self)
        self.split.setObjectName("transferSplit")
        for key, title in split_titles().items():
            self.split.addItem(title, key)
        self.reason = QLineEdit(self)
        self.reason.setObjectName("transferReason")
        self.reason.setPlaceholderText(_("e.g. staff leaving, long leave (required)"))
        if customer_ids is None:
            note = _("Every customer of the salesperson leaving or on leave, shared among the "
                     "colleagues ticked; the reason is kept on each card.")
            rows_shown = ((_("Customers of"), self.source), (_("Hand over to"), self.colleagues),
                          (_("Share"), self.split))
            self.source.currentIndexChanged.connect(self._leaver_changed)
            self._leaver_changed()
        else:
            note = _("{n} customers; the reason is kept on each card.").format(
                n=len(customer_ids))
            rows_shown = ((_("New salesperson"), self.to),)
        explanation = QLabel(note, self)
        explanation.setWordWrap(True)
        self.form.addRow(explanation)
        for label, widget in (*rows_shown, (_("Reason"), self.reason)):
            self.form.addRow(label, widget)
        self.finish_form()
        for widget in (self.source, self.colleagues, self.split, self.to):
            widget.setVisible(any(widget is shown for _label, shown in rows_shown))

    def _leaver_changed(self) -> None:
        """The leaver cannot receive their own customers."""
        leaver = self.source.currentData()
        for row in range(self.colleagues.count()):
            item = self.colleagues.item(row)
            own = item.data(STAFF_ROLE) == leaver
            if own:
                item.setCheckState(Qt.CheckState.Unchecked)
            flags = item.flags()
            item.setFlags(flags & ~Qt.ItemFlag.ItemIsEnabled if own
                          else flags | Qt.ItemFlag.ItemIsEnabled)

    def chosen_colleagues(self) -> list[int]:
        """The staff ids of the colleagues ticked, in list order."""
        items = (self.colleagues.item(row) for row in range(self.colleagues.count()))
        return [item.data(STAFF_ROLE) for item in items
                if item.checkState() == Qt.CheckState.Checked]

    def work(self) -> Callable[[], int]:
        ids, actor, reason = self._ids, self._actor, self.reason.text()
        if ids is not None:
            to = self.to.currentData()
            return lambda: ownership.transfer(ids, to, reason, actor)
        receivers = self.chosen_colleagues()
        if not receivers:
            raise ValidationError([Problem("to", _("Hand over to"), _(
                "tick at least one colleague"))])
        leaver, split = self.source.currentData(), self.split.currentData()
        return lambda: ownership.hand_over(leaver, receivers, split, reason, actor)

    def _done(self, outcome: object) -> None:
        self.moved = int(outcome or 0)
        super()._done(outcome)

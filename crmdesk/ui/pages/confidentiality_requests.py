"""Requests to read a card (查阅申请) tab: a manager approves one through a day or refuses it;
a requester sees their own and the answers."""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox

from crmdesk.i18n import _
from crmdesk.services import access_requests
from crmdesk.services.access_requests import RequestRow
from crmdesk.services.visibility import Duty, may
from crmdesk.ui.dialogs.confidentiality_dialogs import ApproveDialog
from crmdesk.ui.operations import Operation
from crmdesk.ui.pages.confidentiality_tab import RegisterTab

if TYPE_CHECKING:
    from crmdesk.ui.main_window import MainWindow


class RequestsTab(RegisterTab):
    """Requests to read cards, newest first."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window, [_("Asked at"), _("Archive no."), _("Asked by"), _("Purpose"),
                                  _("Reason"), _("State"), _("Until")], _("No requests."))
        self.title = _("Requests to read cards")
        self.table.setObjectName("requestRows")
        self.pending_only = self.add_filter(_("Only those waiting"))
        self.approve_button, self.refuse_button = self.add_decisions(
            (_("Approve…"), self.approve, "approveRequest"),
            (_("Refuse"), self.refuse, "refuseRequest"), may(self._actor, Duty.REASSIGN))

    def read(self) -> Callable[[], list[RequestRow]]:
        actor, pending_only = self._actor, self.pending_only.isChecked()
        return lambda: access_requests.requests(actor, pending_only)

    def cells(self, row: RequestRow) -> tuple[str, ...]:
        return (row.requested_at.strftime("%Y-%m-%d %H:%M"), row.archive_no, row.requester,
                row.purpose, row.reason, row.state_label,
                row.until.isoformat() if row.until else "")

    def warn(self, row: RequestRow) -> bool:
        return row.state == "pending"

    def enable(self) -> None:
        row = self.chosen()
        waiting = row is not None and row.state == "pending"
        self.approve_button.setEnabled(waiting)
        self.refuse_button.setEnabled(waiting)

    def approve(self) -> bool:
        """Let the requester read the card through a day chosen."""
        row = self.chosen()
        return row is not None and self.opened(
            ApproveDialog(row.id, row.archive_no, self._actor, self._window.tasks, self))

    def refuse(self) -> Operation | None:
        """Refuse the chosen request (after asking); the requester is told."""
        row, actor = self.chosen(), self._actor
        if row is None or QMessageBox.question(self, _("Refuse"), _(
                "Refuse {name}'s request to read {no}?").format(
                    name=row.requester, no=row.archive_no)) != QMessageBox.StandardButton.Yes:
            return None
        return self.act(lambda: access_requests.decide(row.id, False, actor),
                        _("Request not refused"))

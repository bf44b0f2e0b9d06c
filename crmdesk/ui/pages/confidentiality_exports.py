"""Export approvals tab (导出审批): another manager or an administrator lets an export of 机密
cards or of many archives be written, or refuses it; the one who asked sees their own."""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from crmdesk.i18n import N_, _
from crmdesk.services.exports import approval
from crmdesk.services.exports.approval import ApprovalRow
from crmdesk.services.visibility import Duty, may
from crmdesk.ui.operations import Operation
from crmdesk.ui.pages.confidentiality_tab import RegisterTab

if TYPE_CHECKING:
    from crmdesk.ui.main_window import MainWindow

STATE_TITLES = {"pending": N_("Waiting"), "approved": N_("Approved"), "refused": N_("Refused"),
                "used": N_("Used")}


class ExportApprovalsTab(RegisterTab):
    """Export approvals, newest first."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window, [_("Asked at"), _("Asked by"), _("List"), _("Archives"),
                                  _("Marked 机密/绝密"), _("Purpose"), _("State"),
                                  _("Decided by")], _("No export approvals."))
        self.title = _("Export approvals")
        self.table.setObjectName("exportApprovalRows")
        self.pending_only = self.add_filter(_("Only those waiting"))
        self.approve_button, self.refuse_button = self.add_decisions(
            (_("Approve"), lambda: self.decide(True), "approveExport"),
            (_("Refuse"), lambda: self.decide(False), "refuseExport"),
            may(self._actor, Duty.APPROVE_EXPORTS))

    def read(self) -> Callable[[], list[ApprovalRow]]:
        actor, pending_only = self._actor, self.pending_only.isChecked()
        return lambda: approval.approvals(actor, pending_only)

    def cells(self, row: ApprovalRow) -> tuple[str, ...]:
        return (row.requested_at.strftime("%Y-%m-%d %H:%M"), row.requested_by, row.what,
                str(row.archives), str(row.marked), row.purpose,
                _(STATE_TITLES[row.state]), row.decided_by)

    def warn(self, row: ApprovalRow) -> bool:
        return row.state == "pending"

    def enable(self) -> None:
        row = self.chosen()
        waiting = row is not None and row.state == "pending"
        self.approve_button.setEnabled(waiting)
        self.refuse_button.setEnabled(waiting)

    def decide(self, approve: bool) -> Operation | None:
        """Approve or refuse the chosen request."""
        row, actor = self.chosen(), self._actor
        if row is None:
            return None
        return self.act(lambda: approval.decide(row.id, approve, actor),
                        _("Export approval not answered"))

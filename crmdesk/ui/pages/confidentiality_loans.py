"""The lending register (外借登记册) tab: printed cards and copies lent out, overdue ones in red.
The keeper (a manager) records loans and their return or cancellation; others see their own."""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox

from crmdesk.i18n import _
from crmdesk.services import confidentiality, documents
from crmdesk.services.confidentiality import LoanRow
from crmdesk.services.visibility import Duty, may
from crmdesk.ui.dialogs.confidentiality_dialogs import LoanDialog
from crmdesk.ui.dialogs.print_preview import preview
from crmdesk.ui.operations import Operation
from crmdesk.ui.pages.confidentiality_tab import RegisterTab

if TYPE_CHECKING:
    from crmdesk.ui.main_window import MainWindow


class LoansTab(RegisterTab):
    """The lending register, newest first."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window, [_("Lent at"), _("Archive no."), _("Name"), _("Borrower"),
                                  _("Copies"), _("Purpose"), _("Due back"), _("State")],
                         _("Nothing lent out."))
        self.title = _("Lending register")
        self.table.setObjectName("loanRows")
        self.open_only = self.add_filter(_("Only loans still out"))
        keeper = may(self._actor, Duty.REASSIGN)
        self.lend_button = self.add_button(_("Lend a printed card…"), self.lend, "lendCard")
        self.return_button = self.add_button(_("Returned"), self.returned, "loanReturned")
        self.cancel_button = self.add_button(_("Recorded by mistake"), self.cancel,
                                             "loanCancelled")
        self.buttons.addStretch(1)
        self.print_button = self.add_button(_("Print the register…"), self.print_register,
                                            "printLoans")
        for button in (self.lend_button, self.return_button, self.cancel_button):
            button.setVisible(keeper)

    def read(self) -> Callable[[], list[LoanRow]]:
        actor, open_only = self._actor, self.open_only.isChecked()
        return lambda: confidentiality.loans(actor, open_only)

    def cells(self, row: LoanRow) -> tuple[str, ...]:
        return (row.lent_at.strftime("%Y-%m-%d %H:%M"), row.archive_no, row.name, row.borrower,
                str(row.copies), row.purpose, row.due.isoformat(), row.state_label)

    def warn(self, row: LoanRow) -> bool:
        return row.state == "overdue"

    def enable(self) -> None:
        row = self.chosen()
        still_out = row is not None and row.state in ("out", "overdue")
        self.return_button.setEnabled(still_out)
        self.cancel_button.setEnabled(still_out)

    def lend(self) -> bool:
        """Record a loan."""
        return self.opened(LoanDialog(self._actor, self._window.tasks, self))

    def _close(self, state: str) -> Operation | None:
        row, actor = self.chosen(), self._actor
        if row is None:
            return None
        return self.act(lambda: confidentiality.close_loan(row.id, state, actor),
                        _("Loan not closed"))

    def returned(self) -> Operation | None:
        """The chosen loan is back with the keeper."""
        return self._close("returned")

    def cancel(self) -> Operation | None:
        """The chosen loan was recorded by mistake (after asking)."""
        if QMessageBox.question(self, _("Recorded by mistake"), _(
                "Cancel this line of the lending register?")) != QMessageBox.StandardButton.Yes:
            return None
        return self._close("cancelled")

    def print_register(self) -> None:
        """Preview the register as shown (all loans, or those still out) for printing."""
        actor, open_only = self._actor, self.open_only.isChecked()
        preview(self, self._window.tasks, _("Lending register"),
                lambda: documents.loans_printout(actor, open_only))

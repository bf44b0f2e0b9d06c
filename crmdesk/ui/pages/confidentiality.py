"""The 保密登记 page (客户信息保密制度): the lending register, requests to read cards, export
approvals, the monthly sign-off list and the suspected leaks. A manager sees and answers all of
them; a salesperson or the front desk sees their own loans and requests. "Report a suspected
leak…" is in the Archive menu for everyone."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from crmdesk.i18n import _
from crmdesk.services.visibility import Duty, may
from crmdesk.ui.dialogs.confidentiality_dialogs import LeakDialog
from crmdesk.ui.operations import Operation
from crmdesk.ui.pages.confidentiality_exports import ExportApprovalsTab
from crmdesk.ui.pages.confidentiality_leaks import LeaksTab
from crmdesk.ui.pages.confidentiality_loans import LoansTab
from crmdesk.ui.pages.confidentiality_requests import RequestsTab
from crmdesk.ui.pages.confidentiality_reviews import ReviewsTab

if TYPE_CHECKING:
    from crmdesk.ui.main_window import MainWindow

# Roles with customers to read or borrow (an administrator alone has neither).
DESK_ROLES = {"frontdesk", "sales", "manager"}


class ConfidentialityPage(QWidget):
    """The registers in tabs; the tab shown is read again whenever the archive changes."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setObjectName("confidentiality")
        self.tabs = QTabWidget(self)
        self.loans = LoansTab(window)
        self.requests = RequestsTab(window)
        self.tabs.addTab(self.loans, _("Lending register"))
        self.tabs.addTab(self.requests, _("Requests to read cards"))
        self.exports: ExportApprovalsTab | None = None
        if may(window.actor, Duty.EXPORT) or may(window.actor, Duty.APPROVE_EXPORTS):
            self.exports = ExportApprovalsTab(window)
            self.tabs.addTab(self.exports, _("Export approvals"))
        self.reviews: ReviewsTab | None = None
        self.leaks: LeaksTab | None = None
        if may(window.actor, Duty.REASSIGN):
            self.reviews, self.leaks = ReviewsTab(window), LeaksTab(window)
            self.tabs.addTab(self.reviews, _("Monthly sign-off list"))
            self.tabs.addTab(self.leaks, _("Suspected leaks"))
        self.tabs.currentChanged.connect(self.reload)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)

    def reload(self) -> Operation:
        """Read the register shown again."""
        return self.tabs.currentWidget().reload()


def report_leak(window: MainWindow) -> bool:
    """Anyone reports a suspected leak; every manager is told at once."""
    return bool(LeakDialog(window.actor, window.tasks, window).exec())


def install(window: MainWindow) -> ConfidentialityPage | None:
    """"Report a suspected leak…" for everyone; the page for those who read or borrow cards."""
    window.add_archive_entries([window.action(_("Report a suspected leak…"),
                                              lambda: report_leak(window))])
    roles = set(window.actor.roles) if window.actor else set()
    if not roles & DESK_ROLES:
        return None
    page = ConfidentialityPage(window)
    window.add_page(page, _("Confidentiality registers"))
    return page

"""The monthly sign-off list (审核签字确认) tab: every card put up for review in a month, signed
off or still waiting; a manager signs the chosen one off with a remark. Opening a line opens
its card."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit, QLabel

from crmdesk.i18n import _
from crmdesk.services import card_reviews
from crmdesk.services.card_reviews import ReviewRow
from crmdesk.ui.dialogs.confidentiality_dialogs import SignOffDialog
from crmdesk.ui.pages.confidentiality_tab import RegisterTab

if TYPE_CHECKING:
    from crmdesk.ui.main_window import MainWindow


class ReviewsTab(RegisterTab):
    """The cards put up for review in the month chosen, oldest first."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window, [_("Archive no."), _("Name"), _("Owner"), _("Put up by"),
                                  _("Put up at"), _("Signed off by"), _("Signed off at"),
                                  _("Remark")], _("No card was put up for review this month."))
        self.title = _("Monthly sign-off list")
        self.table.setObjectName("reviewRows")
        today = dt.date.today()
        self.month = QDateEdit(QDate(today.year, today.month, 1), self)
        self.month.setObjectName("reviewMonth")
        self.month.setDisplayFormat("yyyy-MM")
        self.month.dateChanged.connect(self.reload)
        self.top.addWidget(QLabel(_("Month"), self))
        self.top.addWidget(self.month)
        self.top.addStretch(1)
        self.sign_button = self.add_button(_("Sign off…"), self.sign_off, "signOff")
        self.open_button = self.add_button(_("Open card"), self.open_card, "openReviewed")
        self.buttons.addStretch(1)
        self.table.chosen.connect(lambda _key: self.open_card())

    def key(self, row: ReviewRow) -> int:
        return row.customer_id

    def read(self) -> Callable[[], list[ReviewRow]]:
        actor, month = self._actor, self.month.date().toPython()
        return lambda: card_reviews.monthly_list(month, actor)

    def cells(self, row: ReviewRow) -> tuple[str, ...]:
        return (row.archive_no, row.name, row.owner, row.marked_by,
                row.marked_at.strftime("%Y-%m-%d %H:%M"), row.signed_by,
                row.signed_at.strftime("%Y-%m-%d %H:%M") if row.signed_at else "", row.remark)

    def warn(self, row: ReviewRow) -> bool:
        return row.signed_at is None

    def enable(self) -> None:
        row = self.chosen()
        self.sign_button.setEnabled(row is not None and row.signed_at is None)
        self.open_button.setEnabled(row is not None)

    def sign_off(self) -> bool:
        """Sign the chosen card off with a remark."""
        row = self.chosen()
        return row is not None and self.opened(
            SignOffDialog(row.customer_id, row.archive_no, self._actor, self._window.tasks,
                          self))

    def open_card(self) -> None:
        """Open the chosen card to review it."""
        row = self.chosen()
        if row is not None:
            self._window.show_customer(row.customer_id)

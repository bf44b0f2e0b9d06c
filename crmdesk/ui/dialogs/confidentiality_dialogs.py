"""The forms of the confidentiality registers (保密制度): lending a printed card, approving a
request to read a card, signing a card off, and reporting a suspected leak. Each OK runs one
service call as an operation; a refusal lists every problem and keeps what was typed."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDateTimeEdit,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from crmdesk.i18n import _
from crmdesk.services import access_requests, card_reviews, confidentiality
from crmdesk.services.context import Actor
from crmdesk.services.ownership import customer_id_of
from crmdesk.services.staff import active_staff
from crmdesk.ui.dialogs.complaint_dialog import ServiceDialog, staff_combo
from crmdesk.ui.operations import Operations

GRANT_DAYS = 7  # an approval is offered for a week


def day_edit(day: dt.date, parent: QWidget) -> QDateEdit:
    """A day picker showing ``day``."""
    edit = QDateEdit(QDate(day.year, day.month, day.day), parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


def _text(parent: QWidget, placeholder: str) -> QPlainTextEdit:
    edit = QPlainTextEdit(parent)
    edit.setTabChangesFocus(True)
    edit.setPlaceholderText(placeholder)
    return edit


class LoanDialog(ServiceDialog):
    """Records a printed card or copy lent out (外借登记); ``outcome`` is the loan's id."""

    def __init__(self, actor: Actor | None, operations: Operations,
                 parent: QWidget | None = None) -> None:
        super().__init__(_("Lend a printed card"), operations, parent)
        self.setObjectName("loanDialog")
        self.refused_title = _("Loan not recorded")
        self._actor = actor
        self.archive_no = QLineEdit(self)
        self.archive_no.setObjectName("loanArchive")
        self.archive_no.setPlaceholderText(_("e.g. KH2026000123"))
        self.borrower = staff_combo(self, active_staff(), None)
        self.copies = QSpinBox(self)
        self.copies.setRange(1, confidentiality.COPIES_MAX)
        self.purpose = QLineEdit(self)
        self.purpose.setPlaceholderText(_("why it leaves the keeper (required)"))
        self.due = day_edit(dt.date.today() + dt.timedelta(days=confidentiality.LOAN_DAYS),
                            self)
        for label, widget in ((_("Archive no.") + " *", self.archive_no),
                              (_("Borrower"), self.borrower), (_("Copies"), self.copies),
                              (_("Purpose") + " *", self.purpose), (_("Due back"), self.due)):
            self.form.addRow(label, widget)
        self.finish_form()
        self.resize(440, 220)

    def work(self) -> Callable[[], int]:
        number, borrower = self.archive_no.text(), self.borrower.currentData()
        copies, purpose, due = self.copies.value(), self.purpose.text(), self.due.date().toPython()
        actor = self._actor
        return lambda: confidentiality.lend(customer_id_of(number), borrower, copies, purpose,
                                            actor, due)


class ApproveDialog(ServiceDialog):
    """Approves request ``request_id`` through the day chosen."""

    def __init__(self, request_id: int, archive_no: str, actor: Actor | None,
                 operations: Operations, parent: QWidget | None = None) -> None:
        super().__init__(_("Approve reading {no}").format(no=archive_no), operations, parent)
        self.setObjectName("approveDialog")
        self.refused_title = _("Request not approved")
        self._request_id, self._actor = request_id, actor
        self.until = day_edit(dt.date.today() + dt.timedelta(days=GRANT_DAYS), self)
        self.form.addRow(_("May read through"), self.until)
        self.finish_form()

    def work(self) -> Callable[[], None]:
        request_id, actor, until = self._request_id, self._actor, self.until.date().toPython()
        return lambda: access_requests.decide(request_id, True, actor, until)


class SignOffDialog(ServiceDialog):
    """Signs card ``customer_id`` off as reviewed, with a remark."""

    def __init__(self, customer_id: int, archive_no: str, actor: Actor | None,
                 operations: Operations, parent: QWidget | None = None) -> None:
        super().__init__(_("Sign off {no}").format(no=archive_no), operations, parent)
        self.setObjectName("signOffDialog")
        self.refused_title = _("Not signed off")
        self._customer_id, self._actor = customer_id, actor
        self.remark = QLineEdit(self)
        self.remark.setPlaceholderText(_("e.g. checked, complete (optional)"))
        self.form.addRow(_("Remark"), self.remark)
        self.finish_form()
        self.resize(420, 100)

    def work(self) -> Callable[[], None]:
        customer_id, actor, remark = self._customer_id, self._actor, self.remark.text()
        return lambda: card_reviews.sign_off(customer_id, actor, remark)


class LeakDialog(ServiceDialog):
    """Reports a suspected leak: what, when, how it was noticed, and the archive if one."""

    def __init__(self, actor: Actor | None, operations: Operations,
                 parent: QWidget | None = None) -> None:
        super().__init__(_("Report a suspected leak"), operations, parent)
        self.setObjectName("leakDialog")
        self.refused_title = _("Leak not reported")
        self._actor = actor
        self.what = _text(self, _("What customer information may have leaked (required)"))
        self.known = QCheckBox(_("known"), self)
        self.happened_at = QDateTimeEdit(dt.datetime.now().replace(second=0, microsecond=0),
                                         self)
        self.happened_at.setCalendarPopup(True)
        self.happened_at.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.happened_at.setEnabled(False)
        self.known.toggled.connect(self.happened_at.setEnabled)
        when = QHBoxLayout()
        when.addWidget(self.known)
        when.addWidget(self.happened_at, 1)
        self.noticed_how = _text(self, _("How it was noticed (required)"))
        self.archive_no = QLineEdit(self)
        self.archive_no.setPlaceholderText(_("the archive concerned, if one (optional)"))
        self.form.addRow(_("What leaked") + " *", self.what)
        self.form.addRow(_("When"), when)
        self.form.addRow(_("How it was noticed") + " *", self.noticed_how)
        self.form.addRow(_("Archive no."), self.archive_no)
        self.finish_form()
        self.resize(520, 380)

    def work(self) -> Callable[[], int]:
        what, noticed = self.what.toPlainText(), self.noticed_how.toPlainText()
        actor = self._actor
        at = self.happened_at.dateTime().toPython() if self.known.isChecked() else None
        number = self.archive_no.text().strip()
        return lambda: confidentiality.report_leak(
            what, noticed, actor, at, customer_id_of(number) if number else None)

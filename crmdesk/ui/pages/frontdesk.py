"""The front desk page (前台): the register, the duty list and a phone's ownership history; the
public pool (公海) as a page of its own for salespeople and managers;
and the "register visitor" form on F2 from anywhere in the main window.

The page reads and writes through the window's operations; after a registration, a change of
the duty list or a hand-over, it reads again on the change events (here or at another desk)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from crmdesk.i18n import _
from crmdesk.services.visibility import Duty, may
from crmdesk.ui.dialogs.transfer_dialog import TransferDialog
from crmdesk.ui.dialogs.visit_dialog import VisitDialog
from crmdesk.ui.pages.duty_view import DutyView
from crmdesk.ui.pages.phone_history import PhoneHistoryView
from crmdesk.ui.pages.pool_view import PoolView
from crmdesk.ui.pages.register_view import RegisterView

if TYPE_CHECKING:
    from crmdesk.ui.main_window import MainWindow

REGISTER_KEY = "F2"


class FrontDeskPage(QWidget):
    """Tabs for the register, the duty list and phone history; holds the pool's page too."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.dialog: VisitDialog | None = None
        register = QPushButton(_("Register a visitor ({key})").format(key=REGISTER_KEY), self)
        register.setObjectName("registerVisitor")
        register.clicked.connect(self.register_visitor)
        register.setEnabled(may(window.actor, Duty.REGISTER_VISITS))
        self.last = QLabel(self)
        self.last.setObjectName("lastRegistered")
        self.register = RegisterView(window.actor, window.tasks, self)
        self.duty = DutyView(window.actor, window.tasks, self)
        self.history = PhoneHistoryView(window.actor, self)
        self.pool = PoolView(window.actor, window.tasks, self)
        self.tabs = QTabWidget(self)
        # The public pool is a page of its own (see install): salespeople claim from it.
        for widget, title in ((self.register, _("Register")), (self.duty, _("Duty list")),
                              (self.history, _("Phone ownership history"))):
            self.tabs.addTab(widget, title)
        self.tabs.currentChanged.connect(self._tab_shown)
        for view in (self.register, self.pool):
            view.open_customer.connect(window.show_customer)
        self.pool.hand_over_requested.connect(self.hand_over)
        top = QHBoxLayout()
        top.addWidget(register)
        top.addWidget(self.last, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)

    def register_visitor(self) -> None:
        """Open the register form (F2); the page and the archive list follow what it saves."""
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.activateWindow()
            return
        self.dialog = VisitDialog(self._window.actor, self._window.tasks, self._window)
        self.dialog.accepted.connect(self._registered)
        self.dialog.open()

    def _registered(self) -> None:
        result = self.dialog.registered if self.dialog else None
        if result is None:
            return
        name = self.dialog.received_by
        if result.withheld:
            self.last.setText(_("Visit recorded for the manager {name}: the phone belongs to an "
                                "archive you may not see.").format(name=name))
        else:
            what = _("new archive") if result.created else _("return visit")
            self.last.setText(_("Registered {no} ({what}), received by {name}.").format(
                no=result.archive_no, what=what, name=name))
        # Kept until the next message: the desk reads the new archive number out or writes it.
        self._window.statusBar().showMessage(self.last.text())

    def hand_over(self, customer_ids: list[int] | None) -> None:
        """Let a manager hand customers over (None: all of one salesperson's), with a reason."""
        if customer_ids == []:
            QMessageBox.information(self, _("Hand customers over"),
                                    _("Select customers in the list first."))
            return
        dialog = TransferDialog(customer_ids, self._window.actor, self._window.tasks,
                                self._window)
        if dialog.exec():  # the pool and the lists follow the hand-over's change events
            self.last.setText(_("{n} customers handed over.").format(n=dialog.moved))

    def show_tab(self, widget: QWidget) -> None:
        """Bring the front desk page and one of its tabs (or the pool's page) to the front."""
        if widget is self.pool:
            self._window.pages.setCurrentWidget(self.pool)
            return
        self._window.pages.setCurrentWidget(self)
        self.tabs.setCurrentWidget(widget)

    def _tab_shown(self, index: int) -> None:
        shown = self.tabs.widget(index)
        if shown is self.duty:
            self.duty.reload()


def install(window: MainWindow) -> None:
    """Add the front desk page, its menu and the F2 "register visitor" shortcut."""
    page = FrontDeskPage(window)
    window.add_page(page, _("Front desk"))
    window.frontdesk_page = page
    pool_shown = may(window.actor, Duty.FOLLOW_UPS)
    if pool_shown:
        window.add_page(page.pool, _("Public pool"))
    else:
        page.pool.hide()
    register = QAction(_("Register a visitor…"), window)
    register.setObjectName("registerVisitorAction")
    register.setShortcut(QKeySequence(REGISTER_KEY))
    register.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    register.triggered.connect(page.register_visitor)
    register.setEnabled(may(window.actor, Duty.REGISTER_VISITS))
    window.addAction(register)
    menu = window.menu(_("Front &desk"))
    menu.addAction(register)
    menu.addSeparator()
    views = [(_("Register of visitors and callers"), page.register), (_("Duty list"), page.duty),
             (_("Phone ownership history"), page.history)]
    for title, view in views + ([(_("Public pool"), page.pool)] if pool_shown else []):
        action = menu.addAction(title)
        action.triggered.connect(lambda _c=False, v=view: page.show_tab(v))
    if may(window.actor, Duty.REASSIGN):
        menu.addSeparator()
        selected = menu.addAction(_("Hand over the selected customers…"))
        selected.triggered.connect(lambda: page.hand_over(window.customers.selected_ids()))
        everyone = menu.addAction(_("Hand over all of a salesperson's customers…"))
        everyone.triggered.connect(lambda: page.hand_over(None))

"""The main window: the customer list beside the open card, menus and shortcuts."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QInputDialog,
    QMainWindow,
    QMessageBox,
    QProgressDialog,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from crmdesk import __version__, i18n
from crmdesk.errors import CrmError
from crmdesk.i18n import _
from crmdesk.services import customers as customers_service
from crmdesk.services.context import Actor
from crmdesk.ui.card.editor import CardEditor
from crmdesk.ui.connection_status import ConnectionStatus
from crmdesk.ui.dialogs.contact_dialog import ContactDialog
from crmdesk.ui.features import install_all
from crmdesk.ui.live import LiveUpdates
from crmdesk.ui.notices import NoticeBell
from crmdesk.ui.pages.customers import CustomerListPage
from crmdesk.ui.tasks import TaskRunner


class MainWindow(QMainWindow):
    """List on the left, card on the right; switching cards never loses unsaved edits."""

    def __init__(self, actor: Actor | None, location: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.actor = actor
        self.setWindowTitle(_("crmdesk customer archive"))
        self.tasks = TaskRunner(self)
        self.tasks.failed.connect(self._task_failed)
        self.connection_status = ConnectionStatus(self)
        self.statusBar().addPermanentWidget(self.connection_status)
        self.customers = CustomerListPage(self.tasks, actor, self)
        self.card = CardEditor(actor, self)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.customers)
        splitter.addWidget(self.card)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([620, 780])
        self.pages = QTabWidget(self)
        self.pages.setObjectName("pages")
        self.pages.addTab(splitter, _("Customers"))
        central = QWidget(self)
        self._central_layout = QVBoxLayout(central)
        self._central_layout.setContentsMargins(0, 0, 0, 0)
        self._central_layout.addWidget(self.pages)
        self.setCentralWidget(central)
        self._change_listeners: list[Callable[[], None]] = []
        # Pages that features add; None until installed.
        self.followups: QWidget | None = None
        self.reminders: QWidget | None = None
        self.frontdesk_page: QWidget | None = None
        self.customers.open_customer.connect(self.open_customer)
        self.customers.searched.connect(self._show_search_time)
        self.card.saved.connect(self._card_saved)
        self._build_menus()
        # The list is read first; pages read their data when first shown (see _page_shown).
        self.customers.reload()
        self._shown_pages: set[int] = set()
        self.pages.currentChanged.connect(self._page_shown)
        install_all(self)
        self.live = LiveUpdates(self.tasks, actor, self)
        self.live.changed.connect(self._others_changed)
        self.notice_bell: NoticeBell | None = None
        if actor is not None:
            self.notice_bell = NoticeBell(self.tasks, actor, self)
            self.notice_bell.open_customer.connect(self.show_customer)
            self.statusBar().addPermanentWidget(self.notice_bell)
            self.live.notices.connect(self.notice_bell.refresh)
            self.notice_bell.refresh()
        user = actor.name if actor else _("nobody")
        self.statusBar().showMessage(_("Archive: {where}   User: {user}").format(
            where=location, user=user))
        self.resize(1400, 860)

    def action(self, text: str, slot: object, shortcut: QKeySequence | str | None = None,
                name: str = "") -> QAction:
        """A window-wide action (its shortcut works anywhere in the window)."""
        action = QAction(text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.setObjectName(name)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        archive = bar.addMenu(_("&Archive"))
        archive.addAction(self.action(_("New individual customer"), self.new_customer,
                                       QKeySequence.StandardKey.New, "newCustomer"))
        archive.addAction(self.action(_("New organisation customer"),
                                       lambda: self.new_customer(kind="organisation"),
                                       "Ctrl+Shift+N", "newOrganisation"))
        archive.addAction(self.action(_("Save card"), self.card.save,
                                       QKeySequence.StandardKey.Save, "saveCard"))
        archive.addAction(self.action(_("Log a contact"), self.log_contact,
                                       "Ctrl+L", "logContact"))
        archive.addSeparator()
        archive.addAction(self.action(_("Load demo data…"), self.load_demo, None, "demo"))
        archive.addSeparator()
        archive.addAction(self.action(_("Quit"), self.close, QKeySequence.StandardKey.Quit))
        find = self.action(_("Search"), self.focus_search, QKeySequence.StandardKey.Find,
                            "search")
        cancel = self.action(_("Undo changes to the card"), self.card.revert, "Esc", "revert")
        edit = bar.addMenu(_("&Edit"))
        edit.addAction(find)
        edit.addAction(cancel)
        language = bar.addMenu(_("&Language"))
        for code, label in (("zh_CN", "简体中文"), ("en", "English")):
            action = self.action(label, lambda _c=False, c=code: self.choose_language(c))
            action.setCheckable(True)
            action.setChecked(i18n.language() == code)
            language.addAction(action)
        help_menu = bar.addMenu(_("&Help"))
        help_menu.addAction(self.action(_("About crmdesk"), self.about))

    def add_page(self, page: QWidget, title: str) -> None:
        """Add a page (front desk, follow-ups, ...) as a tab beside the customer archive.

        A page with a ``reload()`` method is asked to read its data the first time it is shown,
        so starting the window reads only the customer list and the dashboard.
        """
        self.pages.addTab(page, title)

    def _page_shown(self, index: int) -> None:
        page = self.pages.widget(index)
        if id(page) not in self._shown_pages and hasattr(page, "reload"):
            self._shown_pages.add(id(page))
            page.reload()

    def add_archive_entries(self, entries: list[QAction]) -> None:
        """Add a group of entries to the Archive menu, above the separator that sets Quit apart."""
        menu = self.menu(_("&Archive"))
        separators = [action for action in menu.actions() if action.isSeparator()]
        if separators:
            menu.insertActions(separators[-1], entries)
            menu.insertSeparator(entries[0])
        else:
            menu.addSeparator()
            menu.addActions(entries)

    def add_strip(self, strip: QWidget) -> None:
        """Put a strip (the dashboard) above the pages."""
        self._central_layout.insertWidget(0, strip)

    def on_change(self, listener: Callable[[], None]) -> None:
        """Call ``listener`` whenever archive data changed (card saved, contact logged, ...)."""
        self._change_listeners.append(listener)

    def refresh_dashboard(self) -> None:
        """Tell every listener that archive data changed."""
        for listener in self._change_listeners:
            listener()

    def _others_changed(self, touched: dict[str, set[int]]) -> None:
        """Another desk committed changes: read again what they touch, here and now.

        The list searches again (keeping the search text); the card on screen is read again
        when it has no unsaved edits, else the user is asked; the current page reloads and
        the others reload when next shown; the header's counts follow.
        """
        if touched.keys() & {"customers", "ownership", "contacts", "visits"}:
            self.customers.reload()
            shown = self.card.customer_id
            if shown is not None and shown in touched.get("customers", set()) | touched.get(
                    "contacts", set()) | touched.get("ownership", set()):
                self.card.changed_by_another_desk()
        current = self.pages.currentWidget()
        self._shown_pages = {id(current)} if id(current) in self._shown_pages else set()
        if hasattr(current, "reload"):
            current.reload()
        self.refresh_dashboard()

    def menu(self, title: str) -> object:
        """The menu bar's menu called ``title`` (created when missing), for pages to extend."""
        for action in self.menuBar().actions():
            if action.menu() and action.text() == title:
                return action.menu()
        return self.menuBar().addMenu(title)

    def show_customer(self, customer_id: int) -> None:
        """Switch to the archive page and open a customer's card (from any page)."""
        self.pages.setCurrentIndex(0)
        self.open_customer(customer_id)

    # -- actions ------------------------------------------------------------------------------

    def open_customer(self, customer_id: int) -> None:
        """Show a customer's card, asking first if the open card has unsaved edits."""
        if customer_id == self.card.customer_id:
            return
        if self.card.maybe_leave():
            try:
                self.card.load(customer_id)
            except CrmError as exc:
                QMessageBox.information(self, _("Card not opened"), str(exc))

    def log_contact(self) -> None:
        """Ctrl+L: log a contact for the customer selected in the list, else the open card."""
        selected = self.customers.selected_ids() if self.customers.view.hasFocus() else []
        if not selected or selected[0] == self.card.customer_id:
            self.card.log_tab.add_contact()
            return
        try:
            card = customers_service.open_card(selected[0], self.actor)
        except CrmError as exc:
            QMessageBox.information(self, _("Card not opened"), str(exc))
            return
        dialog = ContactDialog(selected[0], card.values.get("name") or "",
                               card.values.get("level"), self.actor, self)
        if dialog.exec():
            self.customers.refresh_rows()
            self.refresh_dashboard()

    def new_customer(self, _checked: bool = False, kind: str = "individual") -> None:
        """Start a blank card (Ctrl+N)."""
        if self.card.maybe_leave():
            self.card.load_new(kind)
            self.card.tabs.setCurrentIndex(0)
            self.card.editor("name").setFocus()

    def focus_search(self) -> None:
        """Put the cursor in the search box (Ctrl+F)."""
        self.customers.search.setFocus()
        self.customers.search.selectAll()

    def load_demo(self) -> None:
        """Ask how many demo customers to add and build them in the background."""
        count, ok = QInputDialog.getInt(self, _("Load demo data"),
                                        _("How many demo customers?"), 1000, 1, 200000, 100)
        if not ok:
            return
        from crmdesk.services.demo import build_demo

        progress = QProgressDialog(_("Building demo data…"), "", 0, 0, self)
        progress.setCancelButton(None)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.show()

        def done(_counts: object) -> None:
            progress.close()
            self.customers.reload()

        self.tasks.run(lambda: build_demo(count, actor=self.actor), done)

    def choose_language(self, code: str) -> None:
        """Remember the interface language; it applies from the next start."""
        QSettings().setValue("language", code)
        QMessageBox.information(self, "crmdesk",
                                _("The language changes when crmdesk is started again."))

    def about(self) -> None:
        QMessageBox.about(self, _("About crmdesk"),
                          _("crmdesk {version}: customer archive for the branch office.").format(
                              version=__version__))

    # -- events -------------------------------------------------------------------------------

    def _card_saved(self, _customer_id: int) -> None:
        self.customers.reload()
        self.refresh_dashboard()

    def _show_search_time(self, matches: int, seconds: float) -> None:
        self.statusBar().showMessage(
            _("{n} customers found in {ms:.0f} ms").format(n=matches, ms=seconds * 1000), 4000)

    def _task_failed(self, error: object) -> None:
        QMessageBox.critical(self, _("Something went wrong"), str(error))

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.card.maybe_leave():
            self.live.stop()
            self.tasks.wait()
            event.accept()
        else:
            event.ignore()

"""The main window: the customer list beside the open card, menus and shortcuts."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSettings, QSize, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QInputDialog,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from crmdesk import __version__, i18n
from crmdesk.i18n import _
from crmdesk.services import customers as customers_service
from crmdesk.services.context import Actor
from crmdesk.ui.card.editor import CardEditor
from crmdesk.ui.change_hub import ChangeHub, Changes
from crmdesk.ui.connection_status import ConnectionStatus
from crmdesk.ui.dialogs.contact_dialog import ContactDialog
from crmdesk.ui.features import install_all
from crmdesk.ui.live import LiveUpdates
from crmdesk.ui.notices import NoticeBell
from crmdesk.ui.operations import Operation, Operations
from crmdesk.ui.pages.customers import CustomerListPage
from crmdesk.ui.screen_fit import fitted_size


class MainWindow(QMainWindow):
    """List on the left, card on the right; switching cards never loses unsaved edits."""

    def __init__(self, actor: Actor | None, location: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.actor = actor
        self.setWindowTitle(_("crmdesk customer archive"))
        # Every database or long action runs as an operation; what changes reaches the hub.
        self.changes = ChangeHub(self)
        self.tasks = Operations(self.changes, self)
        self.connection_status = ConnectionStatus(self)
        self.statusBar().addPermanentWidget(self.connection_status)
        self.customers = CustomerListPage(self.tasks, actor, self)
        self._card: CardEditor | None = None  # made when first needed (see ``card``)
        self._card_users: list[Callable[[CardEditor], None]] = []
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.customers)
        splitter.addWidget(QWidget(self))  # the card's place until it is made
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 2)
        self._archive_shared = False  # the list's share is set once the card is made and shown
        self.pages = QTabWidget(self)
        self.pages.setObjectName("pages")
        self.pages.addTab(splitter, _("Customers"))
        self._archive_page = splitter
        central = QWidget(self)
        self._central_layout = QVBoxLayout(central)
        self._central_layout.setContentsMargins(0, 0, 0, 0)
        self._central_layout.addWidget(self.pages)
        self.setCentralWidget(central)
        # Pages that features add; None until installed.
        self.followups: QWidget | None = None
        self.reminders: QWidget | None = None
        self.frontdesk_page: QWidget | None = None
        self.customers.open_customer.connect(self.open_customer)
        self.customers.searched.connect(self._show_search_time)
        self._build_menus()
        # The list is read first; pages read their data when first shown (see _page_shown).
        self.customers.reload()
        self._shown_pages: set[int] = set()
        self.pages.currentChanged.connect(self._page_shown)
        install_all(self)
        self.live = LiveUpdates(self.tasks, self.changes, actor, self)
        self.changes.subscribe((), self._pages_changed)
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
        self.resize(fitted_size(self, QSize(1400, 860)))

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
        archive.addAction(self.action(_("Save card"), lambda: self.card.save(),
                                       QKeySequence.StandardKey.Save, "saveCard"))
        archive.addAction(self.action(_("Log a contact"), self.log_contact,
                                       "Ctrl+L", "logContact"))
        archive.addSeparator()
        archive.addAction(self.action(_("Load demo data…"), self.load_demo, None, "demo"))
        archive.addSeparator()
        archive.addAction(self.action(_("Quit"), self.close, QKeySequence.StandardKey.Quit))
        find = self.action(_("Search"), self.focus_search, QKeySequence.StandardKey.Find,
                            "search")
        cancel = self.action(_("Undo changes to the card"), lambda: self.card.revert(), "Esc",
                             "revert")
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

    def add_home(self, page: QWidget, title: str) -> None:
        """Put the home page (工作台) before every other tab: the window opens on it."""
        self.pages.insertTab(0, page, title)
        self.pages.setCurrentIndex(0)

    @property
    def card(self) -> CardEditor:
        """The card beside the list, made the first time it is needed (the archive page shown,
        a card opened): the window opens on the home page without building it."""
        return self._make_card()

    def _make_card(self) -> CardEditor:
        if self._card is None:
            self._card = CardEditor(self.actor, self.tasks, self)
            self._archive_page.replaceWidget(1, self._card).deleteLater()
            if self.isVisible() and not self._archive_shared:
                self._archive_shared = True
                self._share_archive_page()
            for use in self._card_users:
                use(self._card)
            self._card_users.clear()
        return self._card

    @property
    def open_card_id(self) -> int | None:
        """The customer whose saved card is open beside the list; None for none (or a new
        card), without making the card."""
        return None if self._card is None else self._card.customer_id

    def with_card(self, use: Callable[[CardEditor], None]) -> None:
        """Call ``use(card)`` once the card beside the list is made (at once if it is): for
        features that follow the card (connecting to ``loaded``, ``dirty_changed``)."""
        if self._card is None:
            self._card_users.append(use)
        else:
            use(self._card)

    def leave_card_then(self, proceed: Callable[[], None]) -> None:
        """``proceed()`` once the card's unsaved edits are saved or dropped (asked first; at
        once when no card was made)."""
        if self._card is None:
            proceed()
        else:
            self._card.leave_then(proceed)

    def _page_shown(self, index: int) -> None:
        page = self.pages.widget(index)
        if page is self._archive_page:
            self._make_card()
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
        """Call ``listener()`` whenever archive data changed, here or at another desk
        (``self.changes.subscribe`` tells what changed)."""
        self.changes.subscribe((), lambda _changes: listener(),
                               owner=getattr(listener, "__self__", None) or self)

    def _pages_changed(self, changes: Changes) -> None:
        """Pages that do not subscribe themselves: the current one reads again at once, the
        others when next shown (the list, the card and the header subscribe on their own)."""
        if changes.origin is not None and changes.origin is self.pages.currentWidget():
            return
        current = self.pages.currentWidget()
        self._shown_pages = {id(current)} if id(current) in self._shown_pages else set()
        if hasattr(current, "reload"):
            current.reload()

    def menu(self, title: str) -> object:
        """The menu bar's menu called ``title`` (created when missing), for pages to extend."""
        for action in self.menuBar().actions():
            if action.menu() and action.text() == title:
                return action.menu()
        return self.menuBar().addMenu(title)

    def show_customer(self, customer_id: int) -> None:
        """Switch to the archive page and open a customer's card (from any page)."""
        self.show_archive()
        self.open_customer(customer_id)

    def show_archive(self) -> None:
        """Switch to the archive page (the customer list beside the card)."""
        self.pages.setCurrentWidget(self._archive_page)

    # -- actions ------------------------------------------------------------------------------

    def open_customer(self, customer_id: int) -> None:
        """Show a customer's card, asking first if the open card has unsaved edits."""
        if customer_id == self.card.customer_id:
            return
        self.card.leave_then(lambda: self.card.load(customer_id))

    def log_contact(self) -> None:
        """Ctrl+L: log a contact for the customer selected in the list, else the open card."""
        selected = self.customers.selected_ids() if self.customers.view.hasFocus() else []
        if not selected or selected[0] == self.card.customer_id:
            self.card.log_tab.add_contact()
            return
        actor = self.actor

        def log(card: customers_service.Card) -> None:
            ContactDialog(selected[0], card.values.get("name") or "", card.values.get("level"),
                          actor, self.tasks, self).exec()

        self.tasks.run(lambda: customers_service.open_card(selected[0], actor), log,
                       title=_("Card not opened"))

    def new_customer(self, _checked: bool = False, kind: str = "individual") -> None:
        """Start a blank card (Ctrl+N)."""
        def start() -> None:
            self.card.load_new(kind)
            self.card.tabs.setCurrentIndex(0)
            self.card.editor("name").setFocus()

        self.card.leave_then(start)

    def focus_search(self) -> None:
        """Put the cursor in the search box (Ctrl+F)."""
        self.customers.search.setFocus()
        self.customers.search.selectAll()

    def load_demo(self) -> Operation | None:
        """Ask how many demo customers to add and build them as an operation (the list and
        the pages follow its change events); returns the operation, None if not asked for."""
        count, ok = QInputDialog.getInt(self, _("Load demo data"),
                                        _("How many demo customers?"), 1000, 1, 200000, 100)
        if not ok:
            return None
        from crmdesk.services.demo import build_demo

        actor = self.actor
        # Cancel stops between batches; the demo is one transaction, so nothing of it stays.
        return self.tasks.start(_("Building demo data…"),
                                lambda job: build_demo(count, actor=actor, progress=job,
                                                       cancel=job),
                                cancellable=True, title=_("Load demo data"))

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

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.pages.currentWidget() is self._archive_page:  # no home page: the card shows
            self._make_card()
        if not self._archive_shared and self._card is not None:
            self._archive_shared = True
            self._share_archive_page()

    def _share_archive_page(self) -> None:
        """Give the list the width its columns need, so that it does not scroll sideways, and
        the card the rest (never less than the card's least width)."""
        splitter = self._archive_page
        # Pages not shown yet have no size of their own; every page gets the shown one's.
        room = self.pages.currentWidget().width() - splitter.handleWidth()
        listed = min(self.customers.widths.needed_width(),
                     room - self.card.minimumSizeHint().width())
        splitter.setSizes([listed, room - listed])

    def _show_search_time(self, matches: int, seconds: float) -> None:
        # Beside the count, not in the status bar: a search follows every registration and
        # save, and would wipe the message saying what was just done (a new archive number).
        self.customers.count.setToolTip(
            _("{n} customers found in {ms:.0f} ms").format(n=matches, ms=seconds * 1000))

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._card is not None and self._card.is_dirty():
            # asked first; closes again once the card is saved or dropped
            event.ignore()
            self.card.leave_then(self.close)
            return
        self.live.stop()
        self.tasks.wait()
        event.accept()

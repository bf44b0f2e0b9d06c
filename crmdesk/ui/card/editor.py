"""The archive card editor: four tabs like the paper card, save with every problem at once.

Opening, reading again and saving run as operations (off the UI thread); the card follows the
window's change events: another desk's change to the open card is shown, or offered when it has
unsaved edits.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from crmdesk.errors import IncompleteCardWarning, StaleCardError, ValidationError
from crmdesk.i18n import _
from crmdesk.models.card import CARD, Section, table_applies, table_label
from crmdesk.models.fieldtypes import Kind
from crmdesk.services import card_view, customers, visibility
from crmdesk.services.context import Actor
from crmdesk.services.duplicate_rule import DuplicateArchiveError
from crmdesk.services.levels import levels
from crmdesk.services.office_fields import fields_of_office, hidden_builtins
from crmdesk.services.readers import set_readers
from crmdesk.services.staff import staff_names
from crmdesk.ui.card.access_request import AccessRequestOffer
from crmdesk.ui.card.appointments_view import AppointmentsSection
from crmdesk.ui.card.banner import CardBanner, lock_editors
from crmdesk.ui.card.changed_elsewhere import ChangedElsewhere
from crmdesk.ui.card.complaints_view import ComplaintsTab
from crmdesk.ui.card.deals_view import DealsSection
from crmdesk.ui.card.form import References, SectionForm
from crmdesk.ui.card.log_view import CommunicationTab
from crmdesk.ui.card.office_section import (
    form_values,
    hide_builtins,
    office_forms,
    rebuild_office_forms,
    split_values,
)
from crmdesk.ui.card.ownership_view import OwnershipView
from crmdesk.ui.card.record_table import RecordTable
from crmdesk.ui.card.review_button import ReviewButton
from crmdesk.ui.card.sales_by_year_view import SalesByYearTable
from crmdesk.ui.card.similar_panel import SimilarPanel, ask_second_archive
from crmdesk.ui.card.value_view import CustomerValueLabel
from crmdesk.ui.change_hub import Changes
from crmdesk.ui.dialogs.readers_dialog import ReadersDialog
from crmdesk.ui.operations import Operation, Operations

# Changes to these kinds may alter what the open card shows.
CARD_KINDS = ("customers", "contacts", "ownership")


def _references() -> References:
    return {
        Kind.STAFF: sorted(staff_names().items(), key=lambda item: item[1]),
        Kind.LEVEL: [(lv.id, lv.name) for lv in levels()],
    }


class CardEditor(QWidget):
    """Edits one card; ``saved`` carries the customer id after every successful save."""

    saved = Signal(int)
    loaded = Signal()
    dirty_changed = Signal(bool)

    def __init__(self, actor: Actor | None, operations: Operations,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._actor = actor
        self._operations = operations
        self._card = customers.Card()
        self._dirty = False
        self._editors_locked = False  # whether the form's editors are locked (read-only card)
        self.title = QLabel(self)
        self.title.setObjectName("cardTitle")
        self.title.setMinimumWidth(1)  # a long name is cut rather than widen the card
        self.save_button = QPushButton(_("Save (Ctrl+S)"), self)
        self.save_button.clicked.connect(self.save)
        self.revert_button = QPushButton(_("Undo changes (Esc)"), self)
        self.revert_button.clicked.connect(self.revert)
        self.readers_button = QPushButton(_("Readers…"), self)
        self.readers_button.setToolTip(_("Who may read this top-secret archive"))
        self.readers_button.clicked.connect(self.choose_readers)
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        self.review_button = ReviewButton(self, actor, operations)
        header.addWidget(self.review_button)
        header.addWidget(self.readers_button)
        header.addWidget(self.revert_button)
        header.addWidget(self.save_button)
        self.tabs = QTabWidget(self)
        self.forms: list[SectionForm] = []
        self.tables: dict[str, RecordTable] = {}
        self._table_titles: dict[str, QLabel] = {}
        references = self._references = _references()
        office = self._office = fields_of_office(include_hidden=False)
        self._hidden = hidden_builtins()
        self._pages: list[tuple[Section, QWidget]] = []  # (section, page) of each form tab
        self._office_forms: list[SectionForm] = []
        for section in CARD:
            if section.key == "communication":
                self.log_tab = CommunicationTab(actor, operations, self)
                self.appointments = AppointmentsSection(self, actor, operations)
                self.log_tab.layout().addWidget(self.appointments)
                self.tabs.addTab(self.log_tab, section.label)
                continue
            page = QWidget()
            page_layout = QVBoxLayout(page)
            form = SectionForm(section, references, page)
            self._pages.append((section, page))
            own = office_forms(section, office, references, page)
            self._office_forms += own
            forms = [form, *own]
            for each in forms:
                each.changed.connect(self._mark_dirty)
            self.forms += forms
            if section.key == "basic":
                self.ownership = OwnershipView(operations, page)
                page_layout.addWidget(self.ownership)
                self.similar = SimilarPanel(page, actor, operations,
                                            lambda: (self.collect().values, self._card.id))
                self.similar.chosen.connect(lambda cid: self.leave_then(lambda: self.load(cid)))
                form.changed.connect(self.similar.schedule)
                page_layout.insertWidget(0, self.similar)
            if section.key == "business":
                self.customer_value = CustomerValueLabel(self, operations)
                page_layout.addWidget(self.customer_value)
                self.deals = DealsSection(self, actor, operations)
                page_layout.addWidget(self.deals)
            for table in section.tables:
                title = self._table_titles[table] = QLabel(f"<b>{table_label(table)}</b>", page)
                page_layout.addWidget(title)
                self.tables[table] = (SalesByYearTable(page) if table == "sales_by_year"
                                      else RecordTable(table, page))
                self.tables[table].changed.connect(self._mark_dirty)
                page_layout.addWidget(self.tables[table])
            page_layout.addStretch(1)
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            scroll.setWidget(page)
            self.tabs.addTab(scroll, section.label)
        self.complaints_tab = ComplaintsTab(self, actor, operations)
        self.access_offer = AccessRequestOffer(self, actor, operations)
        self.tabs.addTab(self.complaints_tab, _("Complaints"))
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        self.changed_elsewhere = ChangedElsewhere(self)
        self.changed_elsewhere.reload_requested.connect(self.reread)
        layout.addWidget(self.changed_elsewhere)
        self.banner = CardBanner(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs)
        self.editor("kind").changed.connect(self._kind_changed)
        if operations.hub is not None:
            operations.hub.subscribe(CARD_KINDS, self._archive_changed)
            operations.hub.subscribe(("settings",), self._settings_changed)
        self.load_new()

    # -- what is being edited -------------------------------------------------------------

    def editor(self, name: str) -> Any:
        """The editor widget of card field ``name``."""
        return next(form.editors[name] for form in self.forms if name in form.editors)

    @property
    def customer_id(self) -> int | None:
        return self._card.id

    @property
    def read_only(self) -> bool:
        """True when the open card may be looked at but not changed."""
        return self._card.read_only

    def is_dirty(self) -> bool:
        return self._dirty

    def _read(self, work: Callable[[], Any], then: Callable[[Any], None] | None = None,
              on_error: Callable[[Exception], None] | None = None) -> Operation:
        # Only the newest read of this card delivers (quick clicks down the list).
        return self._operations.run(work, then or self._show, channel=f"card-{id(self)}",
                                    on_error=on_error, title=_("Card not opened"), origin=self)

    def load_new(self, kind: str = "individual") -> Operation:
        """Show a blank card with the office's defaults."""
        actor = self._actor
        return self._read(lambda: customers.new_card(actor, kind))

    def load(self, customer_id: int) -> Operation:
        """Show the card of ``customer_id`` (a refusal is shown, offering to request access;
        the card on screen stays)."""
        actor = self._actor
        return self._read(lambda: card_view.open_card_view(customer_id, actor),
                          lambda view: self._show(view.card, view),
                          on_error=lambda error: self.access_offer.refused(customer_id, error))

    def _archive_changed(self, changes: Changes) -> None:
        """Data changed here or at another desk: read the open card again if it is touched."""
        if changes.origin is self or self._card.id not in changes.ids(*CARD_KINDS):
            return
        if not self._dirty:
            self.reread()
        elif changes.elsewhere:
            self.changed_elsewhere.tell(dt.datetime.now().strftime("%H:%M"))
        else:  # a contact logged from the list: keep the edits, take the new log and level
            self._read_contacts()

    def _settings_changed(self, _changes: Changes) -> None:
        """The office may have changed its own fields or hidden built-in ones: read them again
        and rebuild the form if they differ."""
        self._operations.run(lambda: (fields_of_office(include_hidden=False), hidden_builtins()),
                             self._follow_definitions, channel=f"card-fields-{id(self)}",
                             origin=self)

    def _follow_definitions(self, definitions: tuple[list, frozenset[str]]) -> None:
        """Rebuild the office's boxes for ``definitions`` (fields, hidden built-ins), keeping
        what was typed and whether the card has unsaved edits."""
        office, hidden = definitions
        if office == self._office and hidden == self._hidden:
            return
        typed = {name: value for form in self.forms for name, value in form.values().items()}
        dirty = self._dirty
        kept = [form for form in self.forms if form not in self._office_forms]
        self._office_forms = rebuild_office_forms(self._pages, self._office_forms, office,
                                                  self._references)
        for form in self._office_forms:
            form.changed.connect(self._mark_dirty)
            form.set_values(form_values(self._card.office) | typed)
        self.forms = kept + self._office_forms
        self._office, self._hidden = office, hidden
        self._kind_changed()
        self._editors_locked = False  # the new boxes are not locked yet
        self._show_handling(self._card)
        self._set_dirty(dirty)

    def reread(self) -> Operation | None:
        """Show the open card as saved now (the look was already recorded)."""
        self.changed_elsewhere.hide()
        shown = self._card.id
        if shown is None:
            return None
        return self._read(lambda: customers.get_card(shown))

    def _show(self, card: customers.Card, view: card_view.CardView | None = None) -> None:
        """Show ``card``; its panels show what ``view`` read with it, or read for themselves."""
        # Reading the same card again keeps it read-only.
        card.read_only = card.read_only or (card.id is not None and card.id == self._card.id
                                            and self._card.read_only)
        self._card = card
        self.similar.forget()
        values = dict(card.values)
        values["referrer"] = customers.archive_number(values.get("referrer"))
        values.update(form_values(card.office))
        for form in self.forms:
            form.set_values(values)
            form.mark_invalid(set())
            form.show_for_kind(card.kind)
        hide_builtins(self.forms, self._hidden)
        self.tables["decision_people"].set_rows(card.decision_people)
        self.tables["purchases"].set_rows(card.purchases)
        self.tables["sales_by_year"].set_rows(card.sales_by_year)
        self._show_tables_for(card.kind)
        self.log_tab.show_card(card)
        self._show_handling(card, view.owner if view else None)
        # Changing an existing card's owner is a manager's transfer (kept in its history).
        self.editor("owner").setEnabled(
            card.id is None or visibility.may(self._actor, visibility.Duty.REASSIGN))
        self.readers_button.setVisible(
            card.id is not None and card.values.get("confidentiality") == "secret"
            and visibility.may(self._actor, visibility.Duty.REASSIGN))
        self._update_title()
        self._set_dirty(False)
        self._show_panels(card, view)
        self.loaded.emit()

    def _show_panels(self, card: customers.Card, view: card_view.CardView | None) -> None:
        """Ownership, value, deals, appointments and complaints of the card just shown."""
        if view is None:
            self.ownership.show_customer(card.id)
            for panel in (self.customer_value, self.deals, self.appointments,
                          self.complaints_tab):
                panel.reload()
            return
        self.ownership.show_read(view.ownership)
        self.customer_value.show_read(view.value)
        self.deals.show_read(view.deals)
        self.appointments.show_read(view.appointments)
        self.complaints_tab.show_read(view.complaints)

    def _show_handling(self, card: customers.Card, owner: str | None = None) -> None:
        """The banner for 机密/绝密 and read-only cards (``owner``: the owner's name when known);
        a read-only card's editors locked."""
        if owner is None:
            owner = staff_names().get(card.values.get("owner"), "")
        self.banner.show_for(card.values.get("confidentiality"), card.read_only, owner)
        # Walking every editor costs ~10 ms: the form's editors keep their state between cards,
        # and the tables' rows, new with every card, start unlocked.
        changed = card.read_only != self._editors_locked
        editors = [e for form in self.forms for e in form.editors.values()] if changed else []
        tables = list(self.tables.values()) if changed or card.read_only else []
        lock_editors([*editors, *tables], card.read_only)
        self._editors_locked = card.read_only
        self.log_tab.add_button.setEnabled(card.id is not None and not card.read_only)
        for button in (self.save_button, self.revert_button):
            button.setEnabled(not card.read_only)
            button.setToolTip(_("This card is open read-only.") if card.read_only else "")

    def collect(self) -> customers.Card:
        """The card as typed in the form (not yet validated)."""
        values: dict[str, Any] = {}
        for form in self.forms:
            values.update(form.values())
        values, office = split_values(values)
        return customers.Card(
            id=self._card.id, archive_no=self._card.archive_no, version=self._card.version,
            values=values, office=office, decision_people=self.tables["decision_people"].rows(),
            purchases=self.tables["purchases"].rows(),
            sales_by_year=self.tables["sales_by_year"].rows(),
        )

    # -- saving ---------------------------------------------------------------------------

    def save(self, then: Callable[[], None] | None = None,
             accept_incomplete: bool = False, second_archive: str | None = None) -> Operation:
        """Save the card as an operation, then ``then()``; ``saved`` follows a save.

        On refusal everything typed stays and the user is told what is wrong; empty important
        fields are asked about once, and saving anyway starts a second operation.
        """
        card, actor = self.collect(), self._actor

        def work() -> customers.Card:
            result = customers.save_card(card, actor, accept_incomplete=accept_incomplete,
                                         second_archive=second_archive)
            return customers.get_card(result.customer_id)  # already checked by the save

        def done(fresh: customers.Card) -> None:
            self._show(fresh)
            self.saved.emit(fresh.id)
            if then is not None:
                then()

        def refused(error: Exception) -> None:
            if isinstance(error, IncompleteCardWarning):
                if self._accept_incomplete(error):
                    self.save(then, accept_incomplete=True)
            elif isinstance(error, DuplicateArchiveError):
                reason = ask_second_archive(self, error)
                if reason:
                    self.save(then, accept_incomplete, second_archive=reason)
            elif isinstance(error, ValidationError):
                self._show_problems(error)
            elif isinstance(error, StaleCardError):
                QMessageBox.warning(self, _("Card not saved"), str(error))
            else:
                self._operations.fail(error, _("Card not saved"), self)

        return self._operations.run(work, done, on_error=refused, origin=self)

    def _accept_incomplete(self, warning: IncompleteCardWarning) -> bool:
        names = "、".join(p.label for p in warning.missing)
        answer = QMessageBox.question(
            self, _("Important fields are empty"),
            _("These important fields are empty: {names}.\n\nSave the card anyway?").format(
                names=names),
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Save

    def _show_problems(self, error: ValidationError) -> None:
        names = {p.field for p in error.problems}
        for form in self.forms:
            form.mark_invalid(names)
        lines = "\n".join(f"• {p}" for p in error.problems)
        QMessageBox.warning(self, _("Card not saved"),
                            _("Please correct the following; nothing you typed was lost.") +
                            "\n\n" + lines)

    def revert(self) -> None:
        """Throw away unsaved edits (after asking) and show the stored card again."""
        if self._dirty and QMessageBox.question(
            self, _("Undo changes"), _("Throw away the changes to this card?")
        ) != QMessageBox.StandardButton.Yes:
            return
        if self._card.id:
            self.load(self._card.id)
        else:
            self.load_new(self._card.kind or "individual")

    def leave_then(self, proceed: Callable[[], None]) -> None:
        """``proceed()`` once the card may be left: at once when it has no unsaved edits, else
        after asking (save first, discard, or stay and never proceed)."""
        if not self._dirty:
            proceed()
            return
        answer = QMessageBox.question(
            self, _("Unsaved changes"),
            _("The card {name} has unsaved changes.").format(name=self._display_name()),
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            self.save(then=proceed)
        elif answer == QMessageBox.StandardButton.Discard:
            self._set_dirty(False)
            proceed()

    def choose_readers(self) -> None:
        """Let a manager name who may read this top-secret card."""
        if self._card.id is None:
            return
        dialog = ReadersDialog(self._card.id, self)
        if dialog.exec():
            set_readers(self._actor, self._card.id, dialog.chosen())

    # -- state ------------------------------------------------------------------------------

    def _read_contacts(self) -> None:
        """Show the contacts logged since the card was read, and take over the level they set,
        keeping other edits."""
        shown = self._card.id

        def show(fresh: customers.Card) -> None:
            if fresh.id != self._card.id:
                return
            if not self._dirty:
                self._show(fresh)
                return
            self._card.version = fresh.version
            self._card.communications = fresh.communications
            self.editor("level").set_value(fresh.values.get("level"))
            self.log_tab.show_card(fresh)

        self._read(lambda: customers.get_card(shown), show)

    def _kind_changed(self) -> None:
        kind = self.editor("kind").value()
        for form in self.forms:
            form.show_for_kind(kind)
        hide_builtins(self.forms, self._hidden)
        self._show_tables_for(kind)

    def _show_tables_for(self, kind: str | None) -> None:
        """Show the tables of a customer of ``kind`` (yearly sales on organisations only); a
        hidden table keeps its rows, so switching the kind back loses nothing."""
        for table, view in self.tables.items():
            shown = table_applies(table, kind)
            view.setVisible(shown)
            self._table_titles[table].setVisible(shown)

    def _display_name(self) -> str:
        return self.editor("name").value() or _("(new customer)")

    def _update_title(self) -> None:
        number = self._card.archive_no or _("new archive")
        self.title.setText(f"<b>{number}</b>  {self._display_name()}")

    def _mark_dirty(self) -> None:
        self._set_dirty(True)

    def _set_dirty(self, dirty: bool) -> None:
        if dirty != self._dirty:
            self._dirty = dirty
            self.dirty_changed.emit(dirty)

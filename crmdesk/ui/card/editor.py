"""The archive card editor: four tabs like the paper card, save with every problem at once."""
from __future__ import annotations

import datetime as dt
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
from crmdesk.models.card import CARD, table_label
from crmdesk.models.fieldtypes import Kind
from crmdesk.services import customers, visibility
from crmdesk.services.context import Actor
from crmdesk.services.levels import levels
from crmdesk.services.readers import set_readers
from crmdesk.services.staff import staff_names
from crmdesk.ui.card.changed_elsewhere import ChangedElsewhere
from crmdesk.ui.card.form import SectionForm
from crmdesk.ui.card.log_view import CommunicationTab
from crmdesk.ui.card.ownership_view import OwnershipView
from crmdesk.ui.card.record_table import RecordTable
from crmdesk.ui.dialogs.readers_dialog import ReadersDialog


def _references() -> dict[Kind, list[tuple[Any, str]]]:
    return {
        Kind.STAFF: sorted(staff_names().items(), key=lambda item: item[1]),
        Kind.LEVEL: [(lv.id, lv.name) for lv in levels()],
    }


class CardEditor(QWidget):
    """Edits one card; ``saved`` carries the customer id after every successful save."""

    saved = Signal(int)
    dirty_changed = Signal(bool)

    def __init__(self, actor: Actor | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._actor = actor
        self._card = customers.Card()
        self._dirty = False
        self.title = QLabel(self)
        self.title.setObjectName("cardTitle")
        self.save_button = QPushButton(_("Save (Ctrl+S)"), self)
        self.save_button.clicked.connect(self.save)
        self.revert_button = QPushButton(_("Undo changes (Esc)"), self)
        self.revert_button.clicked.connect(self.revert)
        self.readers_button = QPushButton(_("Readers…"), self)
        self.readers_button.setToolTip(_("Who may read this top-secret archive"))
        self.readers_button.clicked.connect(self.choose_readers)
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.readers_button)
        header.addWidget(self.revert_button)
        header.addWidget(self.save_button)
        self.tabs = QTabWidget(self)
        self.forms: list[SectionForm] = []
        self.tables: dict[str, RecordTable] = {}
        references = _references()
        for section in CARD:
            if section.key == "communication":
                self.log_tab = CommunicationTab(actor, self)
                self.tabs.addTab(self.log_tab, section.label)
                continue
            page = QWidget()
            page_layout = QVBoxLayout(page)
            form = SectionForm(section, references, page)
            form.changed.connect(self._mark_dirty)
            self.forms.append(form)
            if section.key == "basic":
                self.ownership = OwnershipView(page)
                page_layout.addWidget(self.ownership)
            for table in section.tables:
                page_layout.addWidget(QLabel(f"<b>{table_label(table)}</b>", page))
                self.tables[table] = RecordTable(table, page)
                self.tables[table].changed.connect(self._mark_dirty)
                page_layout.addWidget(self.tables[table])
            page_layout.addStretch(1)
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            scroll.setWidget(page)
            self.tabs.addTab(scroll, section.label)
        self.log_tab.logged.connect(self._after_contact)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        self.changed_elsewhere = ChangedElsewhere(self)
        self.changed_elsewhere.reload_requested.connect(self.reread)
        layout.addWidget(self.changed_elsewhere)
        layout.addWidget(self.tabs)
        self.editor("kind").changed.connect(self._kind_changed)
        self.load_new()

    # -- what is being edited -------------------------------------------------------------

    def editor(self, name: str) -> Any:
        """The editor widget of card field ``name``."""
        return next(form.editors[name] for form in self.forms if name in form.editors)

    @property
    def customer_id(self) -> int | None:
        return self._card.id

    def is_dirty(self) -> bool:
        return self._dirty

    def load_new(self, kind: str = "individual") -> None:
        """Show a blank card with the office's defaults."""
        self._show(customers.new_card(self._actor, kind))

    def load(self, customer_id: int) -> None:
        """Show the card of ``customer_id``."""
        self._show(customers.open_card(customer_id, self._actor))

    def changed_by_another_desk(self) -> None:
        """Another desk saved the open card: show theirs, or ask when edits would be lost."""
        if self._dirty:
            self.changed_elsewhere.tell(dt.datetime.now().strftime("%H:%M"))
        else:
            self.reread()

    def reread(self) -> None:
        """Show the open card as another desk just saved it (the look was already recorded)."""
        self.changed_elsewhere.hide()
        if self._card.id is not None:
            self._show(customers.get_card(self._card.id))

    def _show(self, card: customers.Card) -> None:
        self._card = card
        values = dict(card.values)
        values["referrer"] = customers.archive_number(values.get("referrer"))
        for form in self.forms:
            form.set_values(values)
            form.mark_invalid(set())
            form.show_for_kind(card.kind)
        self.tables["decision_people"].set_rows(card.decision_people)
        self.tables["purchases"].set_rows(card.purchases)
        self.log_tab.show_card(card)
        self.ownership.show_customer(card.id)
        # Changing an existing card's owner is a manager's transfer (kept in its history).
        self.editor("owner").setEnabled(
            card.id is None or visibility.may(self._actor, visibility.Duty.REASSIGN))
        self.readers_button.setVisible(
            card.id is not None and card.values.get("confidentiality") == "secret"
            and visibility.may(self._actor, visibility.Duty.REASSIGN))
        self._update_title()
        self._set_dirty(False)

    def collect(self) -> customers.Card:
        """The card as typed in the form (not yet validated)."""
        values: dict[str, Any] = {}
        for form in self.forms:
            values.update(form.values())
        return customers.Card(
            id=self._card.id, archive_no=self._card.archive_no, version=self._card.version,
            values=values, decision_people=self.tables["decision_people"].rows(),
            purchases=self.tables["purchases"].rows(),
        )

    # -- saving ---------------------------------------------------------------------------

    def save(self) -> bool:
        """Save the card; on refusal keep everything typed and say what is wrong."""
        card = self.collect()
        try:
            try:
                result = customers.save_card(card, self._actor)
            except IncompleteCardWarning as warning:
                if not self._accept_incomplete(warning):
                    return False
                result = customers.save_card(card, self._actor, accept_incomplete=True)
        except ValidationError as exc:
            self._show_problems(exc)
            return False
        except StaleCardError as exc:
            QMessageBox.warning(self, _("Card not saved"), str(exc))
            return False
        self._show(customers.get_card(result.customer_id))  # already checked by the save
        self.saved.emit(result.customer_id)
        return True

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

    def maybe_leave(self) -> bool:
        """Ask to save, discard or stay when the card has unsaved edits; True to go on."""
        if not self._dirty:
            return True
        answer = QMessageBox.question(
            self, _("Unsaved changes"),
            _("The card {name} has unsaved changes.").format(name=self._display_name()),
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        if answer == QMessageBox.StandardButton.Discard:
            self._set_dirty(False)
            return True
        return False

    def choose_readers(self) -> None:
        """Let a manager name who may read this top-secret card."""
        if self._card.id is None:
            return
        dialog = ReadersDialog(self._card.id, self)
        if dialog.exec():
            set_readers(self._actor, self._card.id, dialog.chosen())

    # -- state ------------------------------------------------------------------------------

    def _after_contact(self) -> None:
        """A contact was logged: show it, and take over the level it set, keeping other edits."""
        if self._card.id is None:
            return
        fresh = customers.get_card(self._card.id)
        if self._dirty:
            self._card.version = fresh.version
            self._card.communications = fresh.communications
            self.editor("level").set_value(fresh.values.get("level"))
            self.log_tab.show_card(fresh)
        else:
            self._show(fresh)
        self.saved.emit(self._card.id)

    def _kind_changed(self) -> None:
        kind = self.editor("kind").value()
        for form in self.forms:
            form.show_for_kind(kind)

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

"""Destroying archives by the rules, for managers: the open card, or from the review list.

Destruction asks for a reason and a confirmation; it cannot be undone (the audit trail keeps the
archive number, who, when and why).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from crmdesk.i18n import _
from crmdesk.services import retention, settings
from crmdesk.services.visibility import Duty, may
from crmdesk.ui.availability import Availability
from crmdesk.ui.empty_note import EmptyNote
from crmdesk.ui.errors import attempt

if TYPE_CHECKING:
    from crmdesk.ui.card.editor import CardEditor
    from crmdesk.ui.main_window import MainWindow


def destroy_with_reason(window: MainWindow, customer_id: int, label: str) -> bool:
    """Ask why, confirm, and destroy one archive; True when it was destroyed."""
    reason, ok = QInputDialog.getText(
        window, _("Destroy archive"),
        _("Why is {label} destroyed (customer's request, retention expired…)?").format(
            label=label))
    if not ok or not reason.strip():
        return False
    if QMessageBox.question(
        window, _("Destroy archive"),
        _("Destroy {label} for good? Its card, contacts and visits are removed and cannot be "
          "brought back; the audit trail keeps only the archive number, who, when and why.")
        .format(label=label)) != QMessageBox.StandardButton.Yes:
        return False
    # The list and the counters follow the change event.
    return attempt(window, _("Destroy archive"),
                   lambda: retention.destroy(window.actor, customer_id, reason))


def destroy_open_card(window: MainWindow) -> None:
    """Destroy the archive whose card is open (after reason and confirmation)."""
    customer_id = window.card.customer_id
    if customer_id is None:
        return
    label = window.card.title.text().replace("<b>", "").replace("</b>", "")
    if destroy_with_reason(window, customer_id, label):
        window.card.load_new()


class RetentionPage(QWidget):
    """Archives with no contact for the retention period, to review and destroy."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.note = QLabel(self)
        self.table = QTableWidget(0, 4, self)
        self.table.setHorizontalHeaderLabels(
            [_("Archive no."), _("Name"), _("Last contact"), _("Registered")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.cellDoubleClicked.connect(lambda row, _c: self._open(row))
        destroy = QPushButton(_("Destroy…"), self)
        destroy.setObjectName("destroyChosen")
        destroy.clicked.connect(self.destroy_chosen)
        destroy.setEnabled(False)
        destroy.setToolTip(_("Choose an archive in the list first."))
        self.table.itemSelectionChanged.connect(
            lambda: destroy.setEnabled(bool(self.table.selectedItems())))
        self.empty_note = EmptyNote(self.table, _("No archive is due for review."))
        buttons = QHBoxLayout()
        buttons.addWidget(destroy)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self._rows: list[retention.DormantArchive] = []

    def reload(self) -> None:
        """Read the review list again."""
        self._rows = retention.due_for_review(self._window.actor)
        self.note.setText(_("Archives with no contact for {years} years: review them, keep "
                            "or destroy.").format(years=settings.get("retention_years")))
        self.table.setRowCount(len(self._rows))
        for row, item in enumerate(self._rows):
            cells = (item.archive_no, item.name,
                     item.last_contact.isoformat() if item.last_contact else _("never"),
                     item.registered.isoformat())
            for col, text in enumerate(cells):
                self.table.setItem(row, col, QTableWidgetItem(text))

    def _open(self, row: int) -> None:
        if 0 <= row < len(self._rows):
            self._window.show_customer(self._rows[row].customer_id)

    def destroy_chosen(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self._rows):
            chosen = self._rows[row]
            if destroy_with_reason(self._window, chosen.customer_id,
                                   f"{chosen.archive_no} {chosen.name}"):
                self.reload()


def _no_saved_card(window: MainWindow) -> str:
    if window.open_card_id is None:
        return _("Open the saved card of the archive to destroy first.")
    if window.card.is_dirty():
        return _("Save or undo the changes to the card first.")
    return ""


def install(window: MainWindow) -> None:
    """For managers: "Destroy this archive…" and the retention review page."""
    if not may(window.actor, Duty.REASSIGN):
        return
    destroy = window.action(_("Destroy this archive…"), lambda: destroy_open_card(window),
                            name="destroyArchive")
    window.add_archive_entries([destroy])
    # Only a saved card with no unsaved edits can be destroyed from the menu.
    availability = Availability(window)
    availability.guard(destroy, lambda: _no_saved_card(window))
    availability.watch_menu(window.menu(_("&Archive")))

    def follow(card: CardEditor) -> None:
        card.loaded.connect(availability.refresh)
        card.dirty_changed.connect(availability.refresh)

    window.with_card(follow)
    page = RetentionPage(window)
    window.add_page(page, _("Retention review"))

"""The print menu: the open card, the selected cards, the list as a roster, a card's log."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMessageBox

from crmdesk.i18n import _
from crmdesk.services import documents
from crmdesk.services.search import ListQuery
from crmdesk.ui.dialogs.print_preview import preview

if TYPE_CHECKING:
    from crmdesk.ui.main_window import MainWindow


def print_card(window: MainWindow) -> None:
    """Preview the open card (saved state) for printing."""
    customer_id = window.card.customer_id
    if customer_id is None:
        QMessageBox.information(window, _("Print"), _("Save the card before printing it."))
        return
    actor = window.actor
    preview(window, window.tasks, _("Customer archive card"),
            lambda: documents.cards_pdf([customer_id], actor))


def print_selected_cards(window: MainWindow) -> None:
    """Preview the cards of every customer selected in the list, in one PDF."""
    ids = window.customers.selected_ids()
    if not ids:
        QMessageBox.information(window, _("Print"), _("Select customers in the list first."))
        return
    actor = window.actor
    preview(window, window.tasks, _("Customer archive cards"),
            lambda: documents.cards_pdf(ids, actor))


def print_roster(window: MainWindow) -> None:
    """Preview the customer roster as the list shows it now (its search filter applied)."""
    query = ListQuery(text=window.customers.search.text())
    actor = window.actor
    preview(window, window.tasks, _("Customer roster"),
            lambda: documents.roster_pdf(query, actor))


def print_log(window: MainWindow) -> None:
    """Preview the open card's communication log."""
    customer_id = window.card.customer_id
    if customer_id is None:
        return
    actor = window.actor
    preview(window, window.tasks, _("Communication log"),
            lambda: documents.log_pdf(customer_id, actor))


def install(window: MainWindow) -> None:
    """Add the print menu."""
    menu = window.menuBar().addMenu(_("&Print"))
    for text, slot, keys in (
        (_("Print this card…"), print_card, QKeySequence.StandardKey.Print),
        (_("Print the selected cards…"), print_selected_cards, "Ctrl+Shift+P"),
        (_("Print the list (roster)…"), print_roster, None),
        (_("Print this card's communication log…"), print_log, None),
    ):
        menu.addAction(window.action(text, lambda _c=False, f=slot: f(window), keys))

"""The print menu: the open card, the selected cards, the list as a roster, a card's log."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMessageBox

from crmdesk.i18n import _
from crmdesk.services import customers as customers_service
from crmdesk.services import documents
from crmdesk.services.search import ListQuery
from crmdesk.services.visibility import Duty, may
from crmdesk.ui.availability import Availability
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
    # The title names the card, and so does the PDF's file name offered when saving it.
    title = _("Customer archive card {no} {name}").format(
        no=customers_service.archive_number(customer_id),
        name=window.card.editor("name").value())
    preview(window, window.tasks, title.strip(),
            lambda: documents.cards_printout([customer_id], actor))


def print_selected_cards(window: MainWindow) -> None:
    """Preview the cards of every customer selected in the list, in one PDF."""
    ids = window.customers.selected_ids()
    if not ids:
        QMessageBox.information(window, _("Print"), _("Select customers in the list first."))
        return
    actor = window.actor
    preview(window, window.tasks, _("Customer archive cards"),
            lambda: documents.cards_printout(ids, actor))


def print_roster(window: MainWindow) -> None:
    """Preview the customer roster as the list shows it now (its search filter applied)."""
    query = ListQuery(text=window.customers.search.text(),
                      office_value=window.customers.office_filter.wanted())
    actor = window.actor
    preview(window, window.tasks, _("Customer roster"),
            lambda: documents.roster_printout(query, actor))


def print_log(window: MainWindow) -> None:
    """Preview the open card's communication log."""
    customer_id = window.card.customer_id
    if customer_id is None:
        return
    actor = window.actor
    preview(window, window.tasks, _("Communication log"),
            lambda: documents.log_printout(customer_id, actor))


def _no_card(window: MainWindow) -> str:
    if window.open_card_id is None:
        return _("Open a saved card first (a new card is printed once it is saved).")
    return ""


def _no_selection(window: MainWindow) -> str:
    return "" if window.customers.selected_ids() else _("Select customers in the list first.")


def _no_registers(window: MainWindow) -> str:
    if may(window.actor, Duty.PRINT_REGISTERS):
        return ""
    return _("Only the front desk and managers print the roster.")


def install(window: MainWindow) -> Availability:
    """Add the print menu; entries that cannot be used now are greyed out with the reason."""
    menu = window.menuBar().addMenu(_("&Print"))
    availability = Availability(window)
    for text, slot, keys, reason in (
        (_("Print this card…"), print_card, QKeySequence.StandardKey.Print, _no_card),
        (_("Print the selected cards…"), print_selected_cards, "Ctrl+Shift+P", _no_selection),
        (_("Print the list (roster)…"), print_roster, None, _no_registers),
        (_("Print this card's communication log…"), print_log, None, _no_card),
    ):
        action = window.action(text, lambda _c=False, f=slot: f(window), keys)
        menu.addAction(action)
        availability.guard(action, lambda r=reason: r(window))
    availability.watch_menu(menu)
    window.with_card(lambda card: card.loaded.connect(availability.refresh))
    window.customers.view.selectionModel().selectionChanged.connect(availability.refresh)
    window.customers.model.modelReset.connect(availability.refresh)
    return availability

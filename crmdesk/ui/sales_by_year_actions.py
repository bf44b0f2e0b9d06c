"""Our sales by year read into the cards from a sheet of archive numbers, years and amounts
(the Excel menu's import; the export is one of the menu's lists)."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog

from crmdesk.i18n import _
from crmdesk.services.imports.sales_by_year import SalesImport, import_sales_by_year
from crmdesk.ui.dialogs.import_wizard import spreadsheet_filter
from crmdesk.ui.operations import Operation

if TYPE_CHECKING:
    from crmdesk.ui.main_window import MainWindow


def import_sales(window: MainWindow) -> Operation | None:
    """Ask for a sheet of yearly sales and keep it on the cards; every bad row is shown and
    nothing is kept from a file with one."""
    name, _selected = QFileDialog.getOpenFileName(window, _("Import sales by year from"), "",
                                                  spreadsheet_filter())
    if not name:
        return None
    actor, title = window.actor, _("Import sales by year")

    def done(result: SalesImport) -> None:
        window.statusBar().showMessage(_("{years} years written on {cards} cards.").format(
            years=result.years, cards=result.cards), 10000)

    return window.tasks.run(lambda: import_sales_by_year(Path(name), actor), done, title=title)

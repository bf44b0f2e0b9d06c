"""The suspected leaks (疑似泄露) tab: every report, newest first, for the managers."""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from crmdesk.i18n import _
from crmdesk.services import confidentiality
from crmdesk.services.confidentiality import LeakRow
from crmdesk.ui.dialogs.confidentiality_dialogs import LeakDialog
from crmdesk.ui.pages.confidentiality_tab import RegisterTab

if TYPE_CHECKING:
    from crmdesk.ui.main_window import MainWindow


def _one_line(text: str) -> str:
    return " ".join(text.split())


class LeaksTab(RegisterTab):
    """The leak reports, and "Report a suspected leak…"."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window, [_("Reported at"), _("Reported by"), _("What leaked"),
                                  _("When"), _("How it was noticed"), _("Archive no.")],
                         _("No leak has been reported."))
        self.title = _("Suspected leaks")
        self.table.setObjectName("leakRows")
        self.add_button(_("Report a suspected leak…"), self.report, "reportLeak")
        self.buttons.addStretch(1)

    def read(self) -> Callable[[], list[LeakRow]]:
        actor = self._actor
        return lambda: confidentiality.leak_reports(actor)

    def cells(self, row: LeakRow) -> tuple[str, ...]:
        return (row.reported_at.strftime("%Y-%m-%d %H:%M"), row.reporter, _one_line(row.what),
                row.happened_at.strftime("%Y-%m-%d %H:%M") if row.happened_at else "",
                _one_line(row.noticed_how), row.archive_no)

    def report(self) -> bool:
        """Report a suspected leak."""
        return self.opened(LeakDialog(self._actor, self._window.tasks, self))

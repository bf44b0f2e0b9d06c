"""The manager's duplicates page: groups of archives that are likely one customer, over the
whole archive, kept current as cards change; mark a pair as different people, merge, undo."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from crmdesk.i18n import _, ngettext
from crmdesk.services.duplicate_scan import ArchiveScan, DuplicateGroup, mark_not_same
from crmdesk.services.merges import undo_merge
from crmdesk.services.visibility import Duty, may
from crmdesk.ui.change_hub import Changes
from crmdesk.ui.pages.duplicates_merge import MergeDialog
from crmdesk.ui.rows_table import RowsTable

if TYPE_CHECKING:
    from crmdesk.ui.main_window import MainWindow


class DuplicatesPage(QWidget):
    """Groups of likely duplicates, best first; the selected group's archives below."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setObjectName("duplicatesPage")
        self._window, self._actor = window, window.actor
        self._scan: ArchiveScan | None = None
        self.groups: list[DuplicateGroup] = []
        self.last_merge: int | None = None
        self.total = QLabel(_("Scan the archive to list archives that are likely one "
                              "customer."), self)
        self.table = RowsTable([_("Score"), _("Why"), _("Archives in the group")], self, stretch=2,
                               empty=_("No likely duplicates."))
        self.table.itemSelectionChanged.connect(self._show_members)
        self.members = RowsTable([_("Archive no."), _("Name")], self, stretch=1,
                                 empty=_("Choose a group above."))
        self.members.chosen.connect(self._window.show_customer)
        buttons = QHBoxLayout()
        self.scan_button = QPushButton(_("Scan the archive"), self)
        self.scan_button.clicked.connect(self.scan)
        self.not_same_button = QPushButton(_("Not the same person"), self)
        self.not_same_button.clicked.connect(self.mark_not_same)
        self.merge_button = QPushButton(_("Merge…"), self)
        self.merge_button.clicked.connect(self.merge)
        self.undo_button = QPushButton(_("Undo the last merge"), self)
        self.undo_button.clicked.connect(self.undo_last_merge)
        for button in (self.scan_button, self.not_same_button, self.merge_button,
                       self.undo_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.total)
        layout.addWidget(self.table, 3)
        layout.addWidget(QLabel(_("Archives of the group (double-click to open):"), self))
        layout.addWidget(self.members, 1)
        layout.addLayout(buttons)
        self._enable()
        if window.tasks.hub is not None:
            window.tasks.hub.subscribe(("customers",), self._archive_changed, owner=self)

    def scan(self) -> None:
        """Read and compare the whole archive (a few seconds at 200,000 customers)."""
        actor = self._actor

        def work(_job: object) -> tuple[ArchiveScan, list[DuplicateGroup]]:
            found = ArchiveScan(actor).run()
            return found, found.groups()

        self._window.tasks.start(_("Scanning the archive for duplicates…"), work, self._scanned,
                                 title=_("Duplicates"), parent=self)

    def _scanned(self, result: tuple[ArchiveScan, list[DuplicateGroup]]) -> None:
        self._scan, groups = result
        self.show_groups(groups)

    def _archive_changed(self, changes: Changes) -> None:
        """Compare again only the archives changed (at any desk) since the scan."""
        if self._scan is None:
            return
        found, ids = self._scan, sorted(changes.ids("customers"))

        def work() -> list[DuplicateGroup]:
            found.update(ids)
            return found.groups()

        self._window.tasks.run(work, self.show_groups, channel="duplicates",
                               title=_("Duplicates"))

    def show_groups(self, groups: list[DuplicateGroup]) -> None:
        """Show the groups, keeping the selected one selected when it is still there."""
        chosen = self.table.current_key()
        self.groups = groups
        self.table.set_rows([
            (tuple(m.customer_id for m in g.members),
             (str(g.score), g.why, "；".join(f"{m.archive_no} {m.name}" for m in g.members)))
            for g in groups], warn=[g.score >= 80 for g in groups])
        self.total.setText(ngettext("{n} group of likely duplicates",
                                    "{n} groups of likely duplicates",
                                    len(groups)).format(n=len(groups)))
        self.table.select_key(chosen)
        self._show_members()

    def _chosen(self) -> DuplicateGroup | None:
        key = self.table.current_key()
        return next((g for g in self.groups
                     if tuple(m.customer_id for m in g.members) == key), None)

    def _show_members(self) -> None:
        group = self._chosen()
        self.members.set_rows([(m.customer_id, (m.archive_no, m.name))
                               for m in (group.members if group else ())])
        self._enable()

    def _enable(self) -> None:
        group = self._chosen()
        self.not_same_button.setEnabled(group is not None)
        self.merge_button.setEnabled(group is not None)
        self.undo_button.setEnabled(self.last_merge is not None)

    def _pair(self) -> tuple[int, int] | None:
        """The two archives acted on: the group's best pair, or its selected archive with the
        archive it matches best."""
        group = self._chosen()
        if group is None:
            return None
        picked = self.members.current_key()
        for pair in group.pairs:
            if picked is None or picked in (pair.first_id, pair.second_id):
                return pair.first_id, pair.second_id
        return group.pairs[0].first_id, group.pairs[0].second_id

    def mark_not_same(self) -> None:
        """Record the pair as different people; the scan stops showing it."""
        pair, actor = self._pair(), self._actor
        if pair is not None:
            self._window.tasks.run(lambda: mark_not_same(*pair, actor), title=_("Duplicates"),
                                   parent=self)

    def merge(self) -> None:
        """Open the merge dialog for the pair."""
        pair = self._pair()
        if pair is None:
            return
        dialog = MergeDialog(*pair, self._actor, self._window.tasks, self)
        if dialog.exec() and dialog.merged is not None:
            self.last_merge = dialog.merged
            self._enable()

    def undo_last_merge(self) -> None:
        """Take the last merge made here back (refused, saying why, after later changes)."""
        merge_id, actor = self.last_merge, self._actor
        if merge_id is None:
            return

        def done(_kept: int) -> None:
            self.last_merge = None
            self._enable()

        self._window.tasks.run(lambda: undo_merge(merge_id, actor), done,
                               title=_("Undo the last merge"), parent=self)


def install(window: MainWindow) -> DuplicatesPage | None:
    """Add the duplicates page for managers."""
    if not may(window.actor, Duty.REASSIGN):
        return None
    page = DuplicatesPage(window)
    window.add_page(page, _("Duplicates"))
    return page

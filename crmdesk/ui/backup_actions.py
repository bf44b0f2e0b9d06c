"""Backups from the window: "Back up now…", "Restore…" and the automatic backups.

Automatic backups go to the folder chosen at the last "Back up now…" (remembered per computer,
since a USB drive or share is this desk's business) or, when none was chosen or it is not
there now, the data folder's backups/. One is made when the application quits and at most one
a day while it runs (checked every half hour). Every backup runs on the window's background
worker as an operation; only the one at quitting is waited for, after the window has gone, so
the process does not end halfway through it.

A PostgreSQL archive is backed up the same way with pg_dump; on a computer without it the
status bar says that automatic backups are off and why. It is restored from the command line
into an empty database, so "Restore…" explains how instead of replacing the archive in use.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel, QMessageBox

from crmdesk.errors import CrmError
from crmdesk.i18n import _
from crmdesk.models.db import is_sqlite
from crmdesk.services import backup
from crmdesk.services.backup_postgresql import restore_instructions
from crmdesk.services.visibility import Duty, may

if TYPE_CHECKING:
    from crmdesk.ui.main_window import MainWindow

log = logging.getLogger(__name__)
FOLDER_KEY = "backup/folder"
FIRST_CHECK_MS = 2 * 60 * 1000
CHECK_EVERY_MS = 30 * 60 * 1000
QUIT_WAIT_MS = 10 * 60 * 1000


def settings() -> QSettings:
    """Where this computer remembers its chosen backup folder."""
    return QSettings()


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f}"


def why_no_backups() -> str | None:
    """Why this desk cannot make backups (PostgreSQL without pg_dump), or None when it can."""
    try:
        return backup.unavailable_reason()
    except CrmError as exc:
        return str(exc)


class BackupActions(QObject):
    """The window's backup menu entries and automatic backups."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.busy = False
        if may(window.actor, Duty.BACKUP):
            self._add_menu_entries()
        self.timer = QTimer(self)
        reason = why_no_backups()
        if reason is None:
            self.timer.timeout.connect(self.back_up_if_due)
            self.timer.start(FIRST_CHECK_MS)
            app = QApplication.instance()
            if app is not None:
                app.aboutToQuit.connect(self.back_up_on_quit)
        else:
            log.warning("automatic backups are off: %s", reason)
            self._show_backups_off(reason)

    def _show_backups_off(self, reason: str) -> None:
        """A lasting line in the status bar; the reason (what to install) on hovering it."""
        label = QLabel(_("Automatic backups are off"), self._window)
        label.setObjectName("backupsOff")
        label.setToolTip(reason)
        label.setStyleSheet("color: #b00020;")
        self._window.statusBar().addPermanentWidget(label)

    def _add_menu_entries(self) -> None:
        entries = []
        for text, slot, name in ((_("Back up now…"), self.back_up_now, "backUpNow"),
                                 (_("Restore…"), self.restore, "restoreArchive")):
            action = QAction(text, self._window)
            action.setObjectName(name)
            action.triggered.connect(slot)
            entries.append(action)
        self._window.add_archive_entries(entries)

    def chosen_folder(self) -> Path | None:
        """The folder chosen for backups on this computer, if any."""
        value = settings().value(FOLDER_KEY)
        return Path(str(value)) if value else None

    def _automatic_work(self, due_only: bool) -> Callable[[], backup.BackupResult | None]:
        chosen, actor = self.chosen_folder(), self._window.actor

        def work() -> backup.BackupResult | None:
            folder = chosen if chosen is not None and chosen.is_dir() else None
            if chosen is not None and folder is None:
                log.warning("backup folder missing, using the data folder's backups/")
            if due_only:
                return backup.back_up_if_due(actor, folder)
            return backup.back_up(actor, folder, automatic=True)

        return work

    # -- automatic ----------------------------------------------------------------------------

    def back_up_if_due(self) -> None:
        """The daily check: start a backup in the background if none was made for a day."""
        self.timer.setInterval(CHECK_EVERY_MS)
        if self.busy or not self._window.isVisible():  # closed: the quitting backup follows
            return
        self.busy = True
        operation = self._window.tasks.run(self._automatic_work(due_only=True),
                                           self._automatic_done,
                                           title=_("Automatic backup failed"))
        operation.finished.connect(self._idle)

    def _idle(self) -> None:
        self.busy = False

    def _automatic_done(self, outcome: backup.BackupResult | None) -> None:
        if outcome is not None:
            self._window.statusBar().showMessage(_("Backup saved: {name}").format(
                name=outcome.path.name), 8000)

    def back_up_on_quit(self) -> None:
        """The closing backup, made after the window has gone and waited for."""
        self.timer.stop()
        self._window.tasks.run(self._automatic_work(due_only=False),
                               on_error=lambda exc: log.error("the closing backup failed: %s",
                                                              exc))
        self._window.tasks.wait(QUIT_WAIT_MS)

    # -- asked for ----------------------------------------------------------------------------

    def _start_folder(self) -> Path | None:
        try:
            return self.chosen_folder() or backup.default_folder()
        except CrmError as exc:  # a PostgreSQL archive: the server's tools do this
            QMessageBox.information(self._window, _("Backups"), str(exc))
            return None

    def back_up_now(self) -> None:
        """Ask for the folder (remembered for automatic backups) and back up in the background."""
        reason = why_no_backups()
        if reason is not None:
            QMessageBox.warning(self._window, _("Backups"), reason)
            return
        start = self._start_folder()
        if start is None:
            return
        chosen = QFileDialog.getExistingDirectory(self._window, _("Back up the archive into"),
                                                  str(start))
        if not chosen:
            return
        settings().setValue(FOLDER_KEY, chosen)
        actor = self._window.actor
        self._window.tasks.start(_("Backing up…"), lambda _job: backup.back_up(actor,
                                                                               Path(chosen)),
                                 self._backed_up, modal=False, title=_("Backup failed"))

    def _backed_up(self, outcome: backup.BackupResult) -> None:
        QMessageBox.information(self._window, _("Backup saved"), _(
            "The backup was written and verified: {path} ({mb} MB, {seconds:.1f} s)").format(
                path=outcome.path, mb=_megabytes(outcome.size), seconds=outcome.seconds))

    def restore(self) -> None:
        """Choose a backup, confirm, and restore it (verified; the current archive is kept)."""
        if not is_sqlite():
            QMessageBox.information(self._window, _("Restore"), restore_instructions())
            return
        start = self._start_folder()
        if start is not None:
            self._window.card.leave_then(lambda: self._restore_from(start))

    def _restore_from(self, start: Path) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self._window, _("Restore the archive from"), str(start),
            _("Archive backups (*.sqlite3);;All files (*)"))
        if not name:
            return
        answer = QMessageBox.question(
            self._window, _("Restore the archive?"),
            _("Replace the whole archive with the backup {name}? Whatever was saved after that "
              "backup was made will no longer be in the archive. A copy of the archive as it "
              "is now is kept in the data folder's backups/.").format(name=Path(name).name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        actor = self._window.actor
        from crmdesk.ui.dialogs.archive_key import backup_login

        go_on, login = backup_login(Path(name), actor, self._window)
        if not go_on:
            return
        self._window.tasks.start(_("Restoring the archive…"),
                                 lambda _job: backup.restore(actor, Path(name), login=login),
                                 self._restored,
                                 title=_("Not restored"))

    def _restored(self, outcome: backup.RestoreResult) -> None:
        self._window.card.load_new()  # the list follows the restore's change event
        from crmdesk.services.destroyed import destroyed_again_text

        QMessageBox.information(self._window, _("Archive restored"), " ".join(filter(None, [_(
            "Restored from {source}. The archive as it was is kept in {kept}.").format(
                source=outcome.source, kept=outcome.kept),
            destroyed_again_text(outcome.destroyed_again),
            _("These accounts open the encrypted archive again after their next login at a "
              "desk where it is open, or once an administrator sets their password: {names}"
              ).format(names=", ".join(outcome.waiting)) if outcome.waiting else ""])))


def install(window: MainWindow) -> None:
    """Give the window its backup entries (for those with the backup duty) and automatic backups."""
    BackupActions(window)

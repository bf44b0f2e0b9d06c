"""Recovery of an archive file that cannot be opened: checked and replaced without opening it.

Every other command opens the archive first, which a damaged file (cut short, its first page
overwritten) refuses, and a missing one (the wrong data folder, a drive not plugged in) must
not be silently replaced by an empty archive. ``check_file`` reads the damaged file read-only;
``restore_file`` verifies a backup, puts it beside the archive under a temporary name, opens
that copy and checks the person restoring against the backup's own accounts (an administrator
or manager of it), and only then moves the damaged file aside into backups/ and puts the copy
in its place. A refusal leaves every file as it was.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import shutil
from pathlib import Path

from crmdesk import paths
from crmdesk.errors import CrmError
from crmdesk.i18n import _
from crmdesk.models.cipher import KEYS_SUFFIX, forget_key, remember_key
from crmdesk.models.db import close_database, database, open_database
from crmdesk.services import audit, destroyed, key_slots
from crmdesk.services.backup import inspect_file
from crmdesk.services.backup_files import PREFIX, STAMP, sync_to_disk
from crmdesk.services.backup_results import BackupError, BackupRefused, RestoreResult
from crmdesk.services.restore_keys import backup_key
from crmdesk.services.restore_login import Login, restoring_actor

log = logging.getLogger(__name__)
def check_file(archive: Path) -> list[str]:
    """What is wrong with the archive file, read without opening it as an archive."""
    if not archive.exists():
        return [_("the archive file {path} is missing").format(path=archive)]
    return inspect_file(archive)[1]


def _aside(archive: Path, when: dt.datetime) -> Path | None:
    """Move the damaged archive (and its journal files) into backups/; where it went."""
    if not archive.exists():
        return None
    target = paths.backup_dir(archive.parent) / f"{PREFIX}damaged-{when.strftime(STAMP)}.sqlite3"
    os.replace(archive, target)
    for suffix in ("-wal", "-shm", "-journal", KEYS_SUFFIX):
        journal = archive.with_name(archive.name + suffix)
        if journal.exists():
            os.replace(journal, target.with_name(target.name + suffix))
    return target


def restore_file(archive: Path, source: Path, login: Login | None,
                 now: dt.datetime | None = None) -> RestoreResult:
    """Put the backup ``source`` in place of an archive file that cannot be opened.

    Raises:
        BackupRefused: ``source`` is not a sound crmdesk archive; nothing was changed.
        BackupError: the person restoring is not an administrator or manager of the backup,
            or a file could not be written; nothing was changed.
    """
    key = backup_key(source, login, _("The archive was not changed."))
    version, problems = inspect_file(source, key)
    if problems:
        raise BackupRefused(_("{name} cannot be restored; the archive was not changed.").format(
            name=source.name), problems)
    staged = archive.with_name(archive.name + ".restoring")
    try:
        shutil.copyfile(source, staged)
        os.chmod(staged, 0o600)
        if key is not None:  # an encrypted backup comes back with its key file
            key_slots.copy(source, staged)
            remember_key(staged, key)
        open_database(staged)
        actor = restoring_actor(login, _("The archive was not changed."))
        close_database()
        sync_to_disk(staged)
    except Exception as exc:
        close_database()
        with contextlib.suppress(OSError):
            staged.unlink(missing_ok=True)
            key_slots.path_for(staged).unlink(missing_ok=True)
        if isinstance(exc, CrmError):
            raise
        raise BackupError(_("The restore failed and the archive was left as it was: "
                            "{error}").format(error=exc)) from exc
    kept = _aside(archive, now or dt.datetime.now())
    if key is not None:
        os.replace(key_slots.path_for(staged), key_slots.path_for(archive))
        remember_key(archive, key)
    else:
        forget_key(archive)  # the key of the file moved aside
    os.replace(staged, archive)
    open_database(archive)
    with database.atomic():
        audit.record(actor, "restore", None, file=str(source), kept=str(kept or ""),
                     schema=version, by=actor.name if actor else "", damaged=True)
    again = destroyed.destroy_again(actor, destroyed.registered(), source)
    log.info("damaged or missing archive replaced by %s; the old file kept as %s", source, kept)
    return RestoreResult(source, kept, version, again)

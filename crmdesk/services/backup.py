"""Backing up, restoring and checking the SQLite archive.

A backup is one consistent snapshot of the archive file (see ``backup_snapshot``): other desks
keep saving meanwhile (WAL lets them) and none of their half-finished transactions gets in; an
encrypted archive's pages are copied as they are, never decrypted. The snapshot is written
under a temporary name as a self-contained single file (journal mode DELETE), verified
(quick_check: every page read, every b-tree and record sound; foreign_key_check; a known crmdesk
schema) and only then given its name; only after that may rotation (see ``backup_files``) delete
older backups. The snapshot is a page copy of the archive, so whether each index agrees with
its table (what integrity_check adds, at about six times the cost) is the archive's own state:
``check`` and ``crmdesk check`` answer it, and a restore checks the chosen file that thoroughly.

A restore verifies the chosen file the same way, keeps a backup of the archive as it is, then
copies the file into the archive through SQLite's online backup API, as one transaction: the archive
file is never swapped underneath open connections, so a stale -wal or -shm of the old file
cannot be replayed over the restored one, and a restore cut short leaves the old archive whole.
The archive is then reopened through ``open_database``, which upgrades an older backup's schema.

A PostgreSQL archive is backed up, restored and checked by ``backup_postgresql`` and
``check_postgresql`` (the server's own pg_dump and pg_restore); the functions here choose by the
open archive, and both kinds of backup share the folder, names and rotation of ``backup_files``.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import functools
import logging
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import peewee

from crmdesk import paths
from crmdesk.i18n import _
from crmdesk.models import Staff, cipher
from crmdesk.models.db import close_database, database, open_database
from crmdesk.models.migrations import STEPS, applied_versions
from crmdesk.output_files import OutputFileError, check_output, shown_path, writing
from crmdesk.services import (
    audit,
    backup_postgresql,
    check_postgresql,
    destroyed,
    key_slots,
    restore_keys,
    settings,
    visibility,
)
from crmdesk.services.backup_files import (
    DUMP_SUFFIX,
    SUFFIX,
    backup_due,
    backup_name,
    before_restore_name,
    rotate,
    sync_to_disk,
)
from crmdesk.services.backup_results import (
    BackupError,
    BackupRefused,
    BackupResult,
    RestoreResult,
)
from crmdesk.services.backup_snapshot import WAL_FILES, companion, snapshot
from crmdesk.services.backup_snapshot import connect as _connect
from crmdesk.services.context import Actor
from crmdesk.services.postgresql_tools import find_tool, missing_message
from crmdesk.services.restore_login import Login

log = logging.getLogger(__name__)


def on_postgresql() -> bool:
    """True when the open archive is kept in PostgreSQL rather than in the SQLite file.

    Raises:
        BackupError: no archive is open, or one of a kind crmdesk cannot back up.
    """
    db = database.obj
    if db is None:
        raise BackupError(_("No archive is open."))
    if isinstance(db, peewee.PostgresqlDatabase):
        return True
    if isinstance(db, peewee.SqliteDatabase):
        return False
    raise BackupError(_("crmdesk backs up, restores and checks SQLite and PostgreSQL archives "
                        "only."))


def archive_file() -> Path:
    """The open SQLite archive's file.

    Raises:
        BackupError: no archive is open, or it is not a SQLite file.
    """
    if on_postgresql():
        raise BackupError(_("This archive is kept in PostgreSQL, not in a file."))
    return Path(database.obj.database).resolve()


def default_folder() -> Path:
    """The office's backup folder (office settings) when set and present at this desk, else the
    backups/ folder beside the archive (the data folder's, for the usual archive).

    A PostgreSQL archive's backups go to the backups/ folder of the data folder chosen at start.
    """
    office = str(settings.get("backup_folder") or "")
    if office and Path(office).is_dir():
        return Path(office)
    if on_postgresql():
        return paths.backup_dir(paths.current_data_dir())
    return paths.backup_dir(archive_file().parent)


def unavailable_reason() -> str | None:
    """Why backups cannot be made at this desk (pg_dump is missing), or None when they can."""
    if not on_postgresql():
        return None
    for program in ("pg_dump", "pg_restore"):
        if find_tool(program) is None:
            return missing_message(program)
    return None


def _problems(open_file: Callable[[], sqlite3.Connection], thorough: bool = True) -> list[str]:
    """What integrity_check (quick_check unless ``thorough``) and foreign_key_check find wrong in
    the file ``open_file`` connects to; empty when all is well.

    The two checks run side by side, each on a connection of its own: SQLite lets go of the
    interpreter while a statement runs, so on a machine with two cores the links are checked
    while the pages are read, and the backup waits only for the longer of the two.
    """
    pragma = "integrity_check" if thorough else "quick_check"
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="check-links") as helper:
        links = helper.submit(_broken_links, open_file)
        with contextlib.closing(open_file()) as conn:
            found = [row[0] for row in conn.execute(f"PRAGMA {pragma}")]
        broken = links.result()
    problems = [_("damaged: {detail}").format(detail=line) for line in found if line != "ok"]
    return problems + broken


def _broken_links(open_file: Callable[[], sqlite3.Connection]) -> list[str]:
    """What foreign_key_check finds: rows referring to a row that is not there."""
    with contextlib.closing(open_file()) as conn:
        return [_("{table} row {row} refers to a missing {parent}").format(
            table=table, row=rowid, parent=parent)
            for table, rowid, parent, _key in conn.execute("PRAGMA foreign_key_check")]


def _schema_problems(path: Path, key: bytes | None) -> tuple[int, list[str]]:
    """The schema version of a crmdesk archive file, or the reasons it is not one."""
    db = cipher.file_database(path, key)
    try:
        tables = set(db.get_tables())
        versions = applied_versions(db) if "customer" in tables else set()
    finally:
        db.close()
    if not versions or 1 not in versions:
        return 0, [_("this is not a crmdesk archive")]
    unknown = versions - {step.version for step in STEPS}
    if unknown:
        return max(versions), [_("it was written by a newer crmdesk (schema {found}); update "
                                 "crmdesk first").format(found=max(versions))]
    return max(versions), []


def inspect_file(path: Path, key: bytes | None = None, *,
                 thorough: bool = True) -> tuple[int, list[str]]:
    """Verify an archive or backup file without changing it: (schema version, problems).

    An encrypted file is read with ``key``, else with the key held for it (see
    ``models.cipher.key_for``); without one it is reported as not readable. Not ``thorough``:
    quick_check in place of integrity_check (indexes are not compared with their tables).
    """
    if not path.is_file():
        return 0, [_("the file {path} does not exist").format(path=path)]
    key = (key or cipher.key_for(path)) if cipher.is_encrypted_file(path) else None
    if cipher.is_encrypted_file(path) and key is None:
        return 0, [_("the file is encrypted and no password or recovery key unlocked it")]
    try:
        problems = _problems(functools.partial(_connect, path, read_only=True, key=key),
                             thorough)
        version, wrong = _schema_problems(path, key)
    except (sqlite3.DatabaseError, peewee.DatabaseError, *cipher.DAMAGE) as exc:
        return 0, [_("not a readable SQLite archive ({error})").format(error=exc)]
    return version, problems + wrong


def check() -> list[str]:
    """Integrity and foreign-key check of the open archive; empty when nothing is wrong.

    On PostgreSQL: constraints not validated or switched off, rows referring to missing rows,
    sequences behind their table and the audit trail (see ``check_postgresql``).
    """
    if on_postgresql():
        return check_postgresql.check()
    archive = archive_file()
    try:
        return _problems(functools.partial(_connect, archive, key=cipher.key_for(archive)))
    except (sqlite3.DatabaseError, *cipher.DAMAGE) as exc:
        return [_("damaged: {detail}").format(detail=exc)]


def write_backup(target: Path) -> BackupResult:
    """Write a verified backup of the open archive to ``target`` (replaced only once verified).

    Raises:
        BackupRefused: the snapshot failed verification (the archive itself is damaged);
            nothing at ``target`` was touched.
        BackupError: the folder cannot be written (on PostgreSQL also: pg_dump is missing
            or failed).
    """
    if on_postgresql():
        return backup_postgresql.write_dump(target)
    archive = archive_file()
    started = time.perf_counter()
    part = target.with_name(target.name + ".part")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        part.unlink(missing_ok=True)
        snapshot(archive, part)
        _version, problems = inspect_file(part, cipher.key_for(archive), thorough=False)
        if problems:
            _remove_backup(part)
            raise BackupRefused(_("The backup failed verification and was not kept; older "
                                  "backups were left alone. Run crmdesk check."), problems)
        sync_to_disk(part)
        if cipher.key_for(archive) is not None:
            key_slots.copy(part, target)
        os.replace(part, target)
        key_slots.path_for(part).unlink(missing_ok=True)
        sync_to_disk(target.parent)
    except (OSError, sqlite3.Error, cipher.sqlcipher.Error) as exc:
        with contextlib.suppress(OSError):
            _remove_backup(part)
        raise BackupError(_("The backup could not be written to {path}: {error}").format(
            path=target, error=exc)) from exc
    seconds = time.perf_counter() - started
    log.info("backup written: %s (%.2f s)", target, seconds)
    return BackupResult(target, target.stat().st_size, seconds)


def _remove_backup(path: Path) -> None:
    """Delete a backup file, its key file and a log left beside it, if any."""
    for leftover in (path, key_slots.path_for(path), *(companion(path, s) for s in WAL_FILES)):
        leftover.unlink(missing_ok=True)


def _audited(actor: Actor | None, result: BackupResult, automatic: bool) -> BackupResult:
    with database.atomic():
        audit.record(actor, "backup", None, file=str(result.path), size=result.size,
                     automatic=automatic, removed=[p.name for p in result.removed])
    return result


def back_up(actor: Actor | None, folder: Path | None = None, *, automatic: bool = False,
            now: dt.datetime | None = None) -> BackupResult:
    """Make a regular backup in ``folder`` (default: backups/ beside the archive), then rotate.

    ``automatic`` backups (at closing, daily) are made for whoever is at the desk; one asked
    for needs the backup duty. Audited either way.
    """
    if not automatic:
        visibility.require(actor, visibility.Duty.BACKUP)
    folder = folder or default_folder()
    suffix = DUMP_SUFFIX if on_postgresql() else SUFFIX
    result = write_backup(backup_name(now or dt.datetime.now(), folder, suffix))
    removed = tuple(rotate(folder))
    if removed:
        log.info("rotation removed %s", ", ".join(p.name for p in removed))
    return _audited(actor, BackupResult(result.path, result.size, result.seconds, removed),
                    automatic)


def back_up_to_file(actor: Actor | None, target: Path) -> BackupResult:
    """Write one backup to the file ``target`` (no rotation), audited.

    An existing ``target`` is replaced only when it is itself a crmdesk backup: a backup is
    written under a temporary name and then renamed over the target, which would otherwise
    replace anything at all (a document, a device) with no way back.

    Raises:
        OutputFileError: ``target`` is a folder, not a plain file, in a missing folder, or an
            existing file that is not a crmdesk backup.
    """
    visibility.require(actor, visibility.Duty.BACKUP)
    with writing(target):
        target.parent.mkdir(parents=True, exist_ok=True)  # a new folder on a USB drive
    check_output(target)
    if target.exists() and not _is_backup(target):
        raise OutputFileError(_("cannot write {path}: the file exists and is not a crmdesk "
                                "backup; choose another name").format(path=shown_path(target)))
    return _audited(actor, write_backup(target), automatic=False)


def _is_backup(path: Path) -> bool:
    """Whether ``path`` holds a crmdesk backup (a SQLite archive, or a pg_dump archive)."""
    if on_postgresql():
        with path.open("rb") as head:
            return head.read(5) == b"PGDMP"
    key = cipher.key_for(archive_file()) if cipher.is_encrypted_file(path) else None
    try:
        return _schema_problems(path, key)[0] > 0
    except (sqlite3.DatabaseError, peewee.DatabaseError, *cipher.DAMAGE):
        return False


def back_up_if_due(actor: Actor | None, folder: Path | None = None,
                   now: dt.datetime | None = None) -> BackupResult | None:
    """The at-most-daily automatic backup: made only when ``backup_due``; None otherwise."""
    folder = folder or default_folder()
    if not backup_due(folder, now):
        return None
    return back_up(actor, folder, automatic=True, now=now)


@contextlib.contextmanager
def _closed(archive: Path) -> Iterator[None]:
    """This thread's connection closed around the block, reopened (and upgraded) after it."""
    close_database()
    try:
        yield
    finally:
        open_database(archive)


def restore(actor: Actor | None, source: Path, now: dt.datetime | None = None,
            login: Login | None = None) -> RestoreResult:
    """Replace the archive's content with a verified backup, keeping a copy of it first.

    On PostgreSQL the backup goes only into an empty database and ``login`` must be an
    administrator or manager of the backup (see ``backup_postgresql.restore``).

    Raises:
        BackupRefused: ``source`` is not a sound crmdesk archive; nothing was changed.
        BackupError: the copy of the current archive or the restore itself failed; the
            archive is as it was.
    """
    visibility.require(actor, visibility.Duty.BACKUP)
    if on_postgresql():
        return backup_postgresql.restore(source, login)
    archive = archive_file()
    source = source.resolve()
    if source == archive:
        raise BackupError(_("That file is the archive itself; choose a backup."))
    source_key = restore_keys.backup_key(source, login, _("The archive was not changed."))
    version, problems = inspect_file(source, source_key)
    if problems:
        raise BackupRefused(_("{name} cannot be restored; the archive was not changed.").format(
            name=source.name), problems)
    when = now or dt.datetime.now()
    gone = destroyed.registered() | destroyed.destroyed_in_archive()
    archive_key = cipher.key_for(archive)
    hashes_before = restore_keys.password_hashes()
    slots_before = key_slots.read(archive) if archive_key else None
    kept = write_kept_copy(archive, before_restore_name(when, paths.backup_dir(archive.parent)))
    with _closed(archive):
        try:
            _copy_backup(source, source_key, archive, archive_key)
        except (sqlite3.Error, cipher.sqlcipher.Error) as exc:
            raise BackupError(_("The restore failed and the archive was left as it was: "
                                "{error}").format(error=exc)) from exc
    waiting: tuple[str, ...] = ()
    if archive_key is not None and slots_before is not None:
        waiting = restore_keys.rewrite_slots(archive, archive_key, hashes_before, slots_before,
                                             source, source_key, login)
    with database.atomic():
        # The restored archive may not know the person restoring it (added after the backup).
        known = actor is not None and Staff.select().where(
            (Staff.id == actor.staff_id) & (Staff.name == actor.name)).exists()
        audit.record(actor if known else None, "restore", None, file=str(source),
                     kept=str(kept), schema=version, by=actor.name if actor else "")
    again = destroyed.destroy_again(actor if known else None, gone, source)
    log.info("archive restored from %s; previous archive kept as %s", source, kept)
    return RestoreResult(source, kept, version, again, waiting)


def _copy_backup(source: Path, source_key: bytes | None, archive: Path,
                 archive_key: bytes | None) -> None:
    """Copy a verified backup into the closed archive in one transaction, under the archive's
    key (a plain backup is first encrypted beside it); a plain archive given an encrypted
    backup becomes that backup, with its key and key file."""
    if archive_key is None and source_key is not None:
        _adopt_encrypted(source, source_key, archive)
        return
    staged = archive.with_name(archive.name + ".restoring")
    if archive_key is not None and source_key is None:
        staged.unlink(missing_ok=True)
        cipher.export_encrypted(source, None, staged, archive_key)
        source, source_key = staged, archive_key
    try:
        with contextlib.closing(_connect(source, read_only=True, key=source_key)) as chosen, \
                contextlib.closing(_connect(archive, key=archive_key)) as target:
            chosen.backup(target)  # pages are encrypted anew with the archive's key
    finally:
        staged.unlink(missing_ok=True)


def _adopt_encrypted(source: Path, key: bytes, archive: Path) -> None:
    """Put a copy of the encrypted backup ``source`` in the closed plain archive's place."""
    if archive.with_name(archive.name + "-wal").exists():
        raise BackupError(_("Another crmdesk still has the archive open: close it on this "
                            "computer's other windows and try again. Nothing was changed."))
    staged = archive.with_name(archive.name + ".restoring")
    staged.unlink(missing_ok=True)
    with contextlib.closing(_connect(source, read_only=True, key=key)) as chosen, \
            contextlib.closing(_connect(staged, key=key)) as copy:
        chosen.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")
    os.chmod(staged, 0o600)
    sync_to_disk(staged)
    key_slots.copy(source, archive)
    cipher.remember_key(archive, key)
    os.replace(staged, archive)


def write_kept_copy(archive: Path, target: Path) -> Path:
    """Snapshot the archive as it is (damaged or not) before a restore; return the copy."""
    try:
        snapshot(archive, target)
        sync_to_disk(target)
    except (OSError, sqlite3.Error, cipher.sqlcipher.Error) as exc:
        with contextlib.suppress(OSError):
            _remove_backup(target)
        raise BackupError(_("No copy of the current archive could be kept, so nothing was "
                            "restored: {error}").format(error=exc)) from exc
    return target

"""Converting a plain SQLite archive (from an earlier crmdesk) into an encrypted one.

The administrator asks for it (``crmdesk encrypt``, or the question at their first login in
the window). First a verified plain backup of the archive is kept in backups/ (until the
administrator deletes it; they are told where). The archive is then written anew, encrypted
with a new random key (SQLCipher's sqlcipher_export), its every table's rows are counted
against the plain file, and only then does the encrypted file take the archive's place, with
its key file: the administrator's slot, and a new recovery key to print. The other accounts
get their slot at their first login at a desk where the archive is open (log out, switch user)
or when an administrator sets their password.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import secrets
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from crmdesk import paths
from crmdesk.errors import CrmError
from crmdesk.i18n import _
from crmdesk.models import Staff
from crmdesk.models.cipher import (
    KEY_BYTES,
    connect,
    export_encrypted,
    remember_key,
    row_counts,
)
from crmdesk.models.db import close_database, database, open_database
from crmdesk.services import archive_keys, audit, key_slots
from crmdesk.services.accounts import accounts_exist, require_admin_once_set_up, verify_password
from crmdesk.services.backup import archive_file, inspect_file, write_kept_copy
from crmdesk.services.backup_files import before_restore_name, sync_to_disk
from crmdesk.services.context import Actor
from crmdesk.services.key_slots import KeySlots

log = logging.getLogger(__name__)


class EncryptionError(CrmError):
    """The archive could not be encrypted; the message says why, and that it is unchanged."""


@dataclass(frozen=True)
class EncryptionResult:
    """A converted archive: the plain copy kept, the recovery key to print (None while the
    archive is still being set up) and the accounts that get their key at their next login."""

    kept: Path
    recovery_key: str | None
    waiting: tuple[str, ...] = field(default=())


def is_encrypted() -> bool:
    """Whether the open archive is an encrypted SQLite file."""
    return archive_keys.open_encrypted_archive() is not None


def may_be_encrypted() -> bool:
    """Whether the open archive is a plain SQLite file that ``encrypt_archive`` converts."""
    from crmdesk.models.db import is_sqlite

    return is_sqlite() and not is_encrypted()


def issue_recovery_key(actor: Actor | None) -> str:
    """Replace the open archive's recovery key, audited; returns the new one, to print (the
    old one still opens backups made before).

    Raises:
        PermissionDenied: ``actor`` is not an administrator.
        ArchiveLockedError: the open archive is not encrypted.
    """
    require_admin_once_set_up(actor, _("Only an administrator can issue a recovery key."))
    recovery_key = archive_keys.new_recovery_key()
    with database.atomic():
        audit.record(actor, "new_recovery_key", None)
    return recovery_key


def encrypt_archive(actor: Actor | None, password: str | None,
                    now: dt.datetime | None = None) -> EncryptionResult:
    """Convert the open plain SQLite archive into an encrypted one (see the module's notes).

    ``password`` is the administrator's own, typed again: their slot is sealed with it. An
    archive still being set up (no passwords yet) is converted without one and keeps its key
    in the set-up slot until the first password is set.

    Raises:
        PermissionDenied: ``actor`` is not an administrator.
        EncryptionError: the archive is not a plain SQLite file, the password is wrong, or the
            conversion failed (the archive is then as it was).
    """
    require_admin_once_set_up(actor, _("Only an administrator can encrypt the archive."))
    if not may_be_encrypted():
        raise EncryptionError(_("The archive is already encrypted, or is not a SQLite file."))
    setting_up = not accounts_exist()
    if not setting_up and (actor is None or password is None
                           or not verify_password(actor, password)):
        raise EncryptionError(_("Wrong password: the archive was not encrypted."))
    archive = archive_file()
    when = now or dt.datetime.now()
    kept = _kept_plain_copy(archive, when)
    key = secrets.token_bytes(KEY_BYTES)
    waiting = tuple(s.username for s in Staff.select().where(
        Staff.password_hash.is_null(False)).order_by(Staff.id)
        if s.active and (actor is None or s.id != actor.staff_id))
    close_database()
    try:
        staged = _staged_copy(archive, key)
    except Exception:
        open_database(archive)
        raise
    slots = KeySlots(setup=key if setting_up else None)
    recovery_key = None
    if not setting_up:
        assert actor is not None and password is not None
        username = Staff.get_by_id(actor.staff_id).username
        slots.accounts[username] = key_slots.seal_for_account(key, username, password)
        recovery_key = key_slots.new_recovery_key()
        slots.recovery = key_slots.seal_for_recovery(key, recovery_key)
    key_slots.write(archive, slots)
    os.replace(staged, archive)
    sync_to_disk(archive.parent)
    remember_key(archive, key)
    open_database(archive)
    with database.atomic():
        audit.record(actor, "encrypt_archive", None, kept=str(kept), waiting=list(waiting))
    log.info("archive encrypted; the plain copy is kept as %s", kept)
    return EncryptionResult(kept, recovery_key, waiting)


def _kept_plain_copy(archive: Path, when: dt.datetime) -> Path:
    """The verified plain backup kept before the conversion."""
    target = before_restore_name(when, paths.backup_dir(archive.parent), "encryption")
    write_kept_copy(archive, target)
    os.chmod(target, 0o600)
    _version, problems = inspect_file(target)
    if problems:
        target.unlink(missing_ok=True)
        raise EncryptionError("\n".join([_("The archive has problems and was not encrypted; "
                                           "run crmdesk check."), *problems]))
    return target


def _staged_copy(archive: Path, key: bytes) -> Path:
    """The archive written encrypted beside it, its rows counted against the plain file.

    Raises:
        EncryptionError: other desks still have the archive open, or the copy differs.
    """
    if archive.with_name(archive.name + "-wal").exists():
        raise EncryptionError(_("Another crmdesk still has the archive open: close it on this "
                                "computer's other windows and try again. Nothing was changed."))
    staged = archive.with_name(archive.name + ".encrypting")
    staged.unlink(missing_ok=True)
    try:
        export_encrypted(archive, None, staged, key)
        os.chmod(staged, 0o600)
        with contextlib.closing(sqlite3.connect(archive)) as plain, \
                contextlib.closing(connect(staged, key)) as encrypted:
            same = row_counts(plain) == row_counts(encrypted)
            sound = encrypted.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        if not (same and sound):
            raise EncryptionError(_("The encrypted copy did not match the archive; nothing "
                                    "was changed."))
        sync_to_disk(staged)
    except Exception as exc:
        staged.unlink(missing_ok=True)
        if isinstance(exc, CrmError):
            raise
        raise EncryptionError(_("The archive could not be encrypted and was left as it was: "
                                "{error}").format(error=exc)) from exc
    return staged

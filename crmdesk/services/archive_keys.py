"""Unlocking an encrypted archive before it is opened, and keeping its key file in step with
the accounts' passwords.

An encrypted archive is opened in two steps: ``unlock`` (a user name and password, or the
recovery key, opens a slot of the key file and the archive key is held in memory for the file)
and then ``models.db.open_database`` as for any archive. Logging in afterwards is the usual
``accounts.log_in``, with its lockout and audit.

While the archive is open its key is in memory, so whenever a password is stored or verified
the account's slot can be (re)written: ``password_stored`` (a first administrator, a new
account with a password, a change or reset), ``password_verified`` (the first login of an
account that has no slot yet, after the archive was converted) and ``account_closed``
(deactivation removes the slot). The first password ends set-up: the set-up slot is removed and
the recovery key is issued, kept in memory until the administrator is shown it
(``take_recovery_key``).
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path

from crmdesk.errors import ArchiveLockedError
from crmdesk.i18n import _
from crmdesk.models.cipher import (
    KEY_BYTES,
    EncryptedArchiveDatabase,
    key_for,
    looks_locked,
    opens_with,
    remember_key,
)
from crmdesk.models.db import database
from crmdesk.services import key_slots
from crmdesk.services.key_slots import KeySlots

_issued: dict[Path, str] = {}


def open_encrypted_archive() -> Path | None:
    """The open archive's file when it is encrypted; None for a plain file or PostgreSQL."""
    db = database.obj
    if isinstance(db, EncryptedArchiveDatabase):
        return Path(db.database).resolve()
    return None


def open_archive_key() -> bytes:
    """The key of the open, encrypted archive (see ``open_encrypted_archive``)."""
    db = database.obj
    assert isinstance(db, EncryptedArchiveDatabase)
    return db.key


def prepare_new_archive(archive: Path) -> bool:
    """At a first start, before the archive file exists: choose its random key and write the
    key file with the set-up slot, so the file SQLite creates is encrypted. False when the file
    exists already (nothing is done)."""
    if archive.exists():
        return False
    key = secrets.token_bytes(KEY_BYTES)
    key_slots.write(archive, KeySlots(setup=key))
    # SQLite fills the empty file and gives its -wal and -shm the same owner-only mode.
    os.close(os.open(archive, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    remember_key(archive, key)
    return True


def needs_unlocking(archive: Path) -> bool:
    """Whether ``archive`` is encrypted and no key is held for it yet.

    An archive still being set up is unlocked here at once from its set-up slot (nobody has a
    password to give yet).
    """
    if not looks_locked(archive) or key_for(archive) is not None:
        return False
    setup = key_slots.read(archive).setup
    if setup is not None and opens_with(archive, setup):
        remember_key(archive, setup)
        return False
    return True


def _wrong() -> ArchiveLockedError:
    # Worded as the login prompt words it: it never tells which user names have a slot.
    return ArchiveLockedError(_("Wrong user name or password: the encrypted archive stays "
                                "locked."))


def unlock(archive: Path, username: str, password: str) -> None:
    """Unwrap the archive key of ``archive`` with an account's password and hold it.

    Raises:
        ArchiveLockedError: no slot of that user name opens with that password.
        KeyFileError: the key file is missing or unreadable.
    """
    key = key_in(archive, username, password)
    if key is None:
        raise _wrong()
    remember_key(archive, key)


def key_in(archive: Path, username: str, password: str) -> bytes | None:
    """The key of the encrypted file ``archive`` (an archive or a backup) that ``username``'s
    password unwraps from its key file; None when it does not, or the key does not open it."""
    slots = key_slots.read(archive)
    slot = slots.accounts.get(username)
    key = key_slots.open_account_slot(slot, username, password) if slot else None
    return key if key is not None and opens_with(archive, key) else None


def unlock_with_recovery_key(archive: Path, recovery_key: str) -> None:
    """Unwrap the archive key of ``archive`` with the recovery key printed at set-up.

    Raises:
        ArchiveLockedError: it is not this archive's recovery key.
        KeyFileError: the key file is missing or unreadable.
    """
    key = key_slots.open_recovery_slot(key_slots.read(archive).recovery, recovery_key)
    if key is None or not opens_with(archive, key):
        raise ArchiveLockedError(_("That is not this archive's recovery key: the encrypted "
                                   "archive stays locked."))
    remember_key(archive, key)


def password_stored(username: str, password: str) -> None:
    """Seal the open archive's key for ``username`` under ``password``; the first password
    also ends set-up (the recovery key is issued). Nothing for a plain or PostgreSQL archive.

    Call it inside the transaction storing the password hash: the archive's write lock keeps
    two desks from rewriting the key file at once.
    """
    archive = open_encrypted_archive()
    if archive is None:
        return
    key = open_archive_key()
    slots = key_slots.read(archive)
    slots.accounts[username] = key_slots.seal_for_account(key, username, password)
    if slots.setup is not None:
        slots.setup = None
        _issue(archive, slots, key)
    key_slots.write(archive, slots)


def _issue(archive: Path, slots: KeySlots, key: bytes) -> None:
    recovery_key = key_slots.new_recovery_key()
    slots.recovery = key_slots.seal_for_recovery(key, recovery_key)
    _issued[archive] = recovery_key


def password_verified(username: str, password: str) -> None:
    """After a login on the open archive: give the account its slot if it has none yet (an
    archive converted from a plain one learns each password at its first login)."""
    archive = open_encrypted_archive()
    if archive is not None and username not in key_slots.read(archive).accounts:
        password_stored(username, password)


def account_closed(username: str) -> None:
    """Remove the slot of a deactivated account: its password no longer opens the file."""
    archive = open_encrypted_archive()
    if archive is None:
        return
    slots = key_slots.read(archive)
    if slots.accounts.pop(username, None) is not None:
        key_slots.write(archive, slots)


def new_recovery_key() -> str:
    """Replace the open archive's recovery key; returns the new one, to print (the old one
    still opens backups made before). Callers check that an administrator asks.

    Raises:
        ArchiveLockedError: the open archive is not encrypted.
    """
    archive = open_encrypted_archive()
    if archive is None:
        raise ArchiveLockedError(_("This archive is not encrypted: it has no recovery key."))
    slots = key_slots.read(archive)
    _issue(archive, slots, open_archive_key())
    key_slots.write(archive, slots)
    return _issued.pop(archive)


def take_recovery_key() -> str | None:
    """The recovery key issued for the open archive and not yet shown; given out once."""
    archive = open_encrypted_archive()
    return _issued.pop(archive, None) if archive is not None else None


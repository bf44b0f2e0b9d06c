"""The keys of a restore: opening an encrypted backup, and the key file of the archive after.

An encrypted backup opens only with a password valid when it was made (its own key file goes
with it). Restored into an encrypted archive, the content is written under the archive's own
key; a plain backup (from before the archive was encrypted) is encrypted on the way in. The
archive's key file then holds a slot for each account whose password the restored accounts
still know:

- unchanged since before the restore (the same stored hash): the slot it had;
- else, when the backup was made under the same key: the backup's slot for it;
- the person restoring: a new slot from the password they just gave.

Everyone else gets their slot at their next login at a desk where the archive is open, or when
an administrator sets their password; the restore names them. A plain archive restoring an
encrypted backup becomes that backup: encrypted with its key, with its key file.
"""
from __future__ import annotations

from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from crmdesk.i18n import _
from crmdesk.models import Staff
from crmdesk.models.cipher import is_encrypted_file
from crmdesk.services import archive_keys, key_slots
from crmdesk.services.backup_results import BackupError
from crmdesk.services.key_slots import KeySlots
from crmdesk.services.restore_login import Login


def backup_key(source: Path, login: Login | None, left_as: str) -> bytes | None:
    """The key of the backup ``source``: None for a plain one; for an encrypted one, what
    ``login``'s password (valid when the backup was made) unwraps from its key file.

    Raises:
        BackupError: the backup is encrypted and no login, or a wrong one, was given.
        KeyFileError: the backup's key file is missing or unreadable.
    """
    if not is_encrypted_file(source):
        return None
    if login is None:
        raise BackupError(_("The backup is encrypted: name its user with --user NAME and give "
                            "the password that was valid when the backup was made.") + " "
                          + left_as)
    key = archive_keys.key_in(source, login.name, login.password)
    if key is None:
        raise BackupError(_("Not restored: that user name and password do not open the "
                            "encrypted backup; give a password that was valid when it was "
                            "made (CRMDESK_BACKUP_PASSWORD, if it is not the one you logged in "
                            "with).") + " " + left_as)
    return key


def password_hashes() -> dict[str, str]:
    """The stored password hash of each active account of the open archive that has one."""
    return {s.username: s.password_hash for s in Staff.select() if s.active and s.password_hash}


def _matches(password_hash: str, password: str) -> bool:
    try:
        return PasswordHasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def rewrite_slots(archive: Path, key: bytes, before: dict[str, str], slots_before: KeySlots,
                  source: Path, source_key: bytes | None,
                  login: Login | None) -> tuple[str, ...]:
    """Write the key file of the restored, open archive (see the module's notes); returns the
    user names left without a slot until their next login."""
    restored = password_hashes()
    backup_slots = key_slots.read(source) if source_key == key else None
    slots = KeySlots(recovery=slots_before.recovery)
    for username, hashed in restored.items():
        if before.get(username) == hashed and username in slots_before.accounts:
            slots.accounts[username] = slots_before.accounts[username]
        elif backup_slots is not None and username in backup_slots.accounts:
            slots.accounts[username] = backup_slots.accounts[username]
    if login is not None and login.name in restored and _matches(restored[login.name],
                                                                 login.password):
        slots.accounts[login.name] = key_slots.seal_for_account(key, login.name, login.password)
    if not restored:
        slots.setup = key  # a backup of an archive still being set up: nobody has a password
    key_slots.write(archive, slots)
    return tuple(sorted(set(restored) - set(slots.accounts)))

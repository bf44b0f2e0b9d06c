"""The key file beside an encrypted archive: the archive key, wrapped once per account.

``archive.sqlite3.keys`` (and ``<backup>.keys`` beside each backup) is a small JSON file,
readable by its owner only. It never holds the archive key in the clear once the archive has
a password; it holds:

- one slot per account that can log in: the 32-byte archive key sealed with AES-256-GCM under
  a key derived from the account's password by argon2id (its own salt and cost in the slot);
- one recovery slot: the archive key sealed under a key derived (HKDF-SHA256) from the
  recovery key, 160 random bits printed on paper for the day every password is lost;
- while the archive is being set up (nobody has a password yet) the set-up slot: the key in
  the clear, removed when the first password is set.

The account's user name is bound into its slot (associated data), so a slot copied to
another name does not open.
"""
from __future__ import annotations

import base64
import contextlib
import json
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from argon2 import profiles
from argon2.low_level import Type, hash_secret_raw

from crmdesk.errors import CrmError
from crmdesk.i18n import _
from crmdesk.models.cipher import key_file

FORMAT = 1
# argon2id at the cost the password hashes use (RFC 9106, low memory: 64 MiB, 3 passes).
KDF_COST = {"time_cost": profiles.RFC_9106_LOW_MEMORY.time_cost,
            "memory_cost": profiles.RFC_9106_LOW_MEMORY.memory_cost,
            "parallelism": profiles.RFC_9106_LOW_MEMORY.parallelism}
RECOVERY_BYTES = 20
RECOVERY_GROUP = 4
_ACCOUNT = b"crmdesk archive key for account "
_RECOVERY = b"crmdesk archive key for the recovery key"
# Characters easily typed for the base32 letters they look like.
_LOOKALIKES = str.maketrans({"0": "O", "1": "I", "8": "B"})


class KeyFileError(CrmError):
    """The key file beside an encrypted archive or backup is missing or unreadable."""


@dataclass
class KeySlots:
    """The content of a key file: the set-up key, the recovery slot, the accounts' slots."""

    setup: bytes | None = None
    recovery: dict[str, str] | None = None
    accounts: dict[str, dict[str, str | int]] = field(default_factory=dict)


def path_for(archive: Path) -> Path:
    """The key file of the archive or backup file ``archive``."""
    return key_file(archive)


def _text(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _bytes(text: str | int) -> bytes:
    return base64.b64decode(str(text), validate=True)


def read(archive: Path) -> KeySlots:
    """The key file of ``archive``.

    Raises:
        KeyFileError: it is missing or not a crmdesk key file.
    """
    source = path_for(archive)
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            raise ValueError("unknown format")
        setup = _bytes(data["setup"]) if data.get("setup") else None
        return KeySlots(setup, data.get("recovery"), dict(data.get("accounts", {})))
    except FileNotFoundError as exc:
        raise KeyFileError(_(
            "The key file {path} is missing: an encrypted archive or backup cannot be opened "
            "without the key file that belongs to it. Copy it back from where the archive "
            "came from.").format(path=source)) from exc
    except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
        raise KeyFileError(_("The key file {path} cannot be read ({error}).").format(
            path=source, error=exc)) from exc


def write(archive: Path, slots: KeySlots) -> Path:
    """Write the key file of ``archive`` in one step (owner-only), replacing the old one."""
    target = path_for(archive)
    data = {"format": FORMAT, "cipher": "sqlcipher4-raw-key",
            "setup": _text(slots.setup) if slots.setup else None,
            "recovery": slots.recovery, "accounts": slots.accounts}
    part = target.with_name(target.name + ".part")
    with contextlib.suppress(FileNotFoundError):
        part.unlink()
    fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(data, out, indent=1, sort_keys=True)
        out.flush()
        os.fsync(out.fileno())
    os.replace(part, target)
    return target


def copy(source_archive: Path, target_archive: Path) -> Path:
    """Give ``target_archive`` the key file of ``source_archive`` (a backup's, a restore's)."""
    return write(target_archive, read(source_archive))


# cryptography loads when a slot is first sealed or opened, not with the login dialog.


def _seal(wrapping: bytes, nonce: bytes, key: bytes, bound: bytes) -> bytes:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    return AESGCM(wrapping).encrypt(nonce, key, bound)


def _unseal(wrapping: bytes, slot: dict, bound: bytes) -> bytes | None:
    """The key sealed in ``slot`` under ``wrapping``, or None when it does not open."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        return AESGCM(wrapping).decrypt(_bytes(slot["nonce"]), _bytes(slot["sealed"]), bound)
    except (InvalidTag, KeyError, ValueError, TypeError):
        return None


def _password_key(password: str, salt: bytes, cost: dict[str, int]) -> bytes:
    return hash_secret_raw(password.encode("utf-8"), salt, hash_len=32, type=Type.ID, **cost)


def seal_for_account(key: bytes, username: str, password: str) -> dict[str, str | int]:
    """The slot of ``username``: ``key`` sealed under argon2id(``password``)."""
    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    cost = dict(KDF_COST)
    sealed = _seal(_password_key(password, salt, cost), nonce, key,
                   _ACCOUNT + username.encode("utf-8"))
    return {"kdf": "argon2id", **cost, "salt": _text(salt), "nonce": _text(nonce),
            "sealed": _text(sealed)}


def open_account_slot(slot: dict[str, str | int], username: str, password: str) -> bytes | None:
    """The archive key in ``slot`` when ``password`` is the one it was sealed with."""
    try:
        cost = {name: int(slot[name]) for name in KDF_COST}
        wrapping = _password_key(password, _bytes(slot["salt"]), cost)
    except (KeyError, ValueError, TypeError):
        return None
    return _unseal(wrapping, slot, _ACCOUNT + username.encode("utf-8"))


def new_recovery_key() -> str:
    """A new recovery key as printed: 32 letters and digits in groups of four."""
    letters = base64.b32encode(secrets.token_bytes(RECOVERY_BYTES)).decode("ascii")
    return "-".join(letters[i:i + RECOVERY_GROUP] for i in range(0, len(letters), RECOVERY_GROUP))


def _recovery_secret(typed: str) -> bytes | None:
    letters = "".join(ch for ch in typed.upper().translate(_LOOKALIKES) if ch.isalnum())
    try:
        secret = base64.b32decode(letters)
    except ValueError:
        return None
    return secret if len(secret) == RECOVERY_BYTES else None


def _recovery_wrapping(secret: bytes, salt: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=_RECOVERY).derive(secret)


def seal_for_recovery(key: bytes, recovery_key: str) -> dict[str, str]:
    """The recovery slot: ``key`` sealed under the recovery key."""
    secret = _recovery_secret(recovery_key)
    if secret is None:
        raise ValueError("not a recovery key")
    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    sealed = _seal(_recovery_wrapping(secret, salt), nonce, key, _RECOVERY)
    return {"kdf": "hkdf-sha256", "salt": _text(salt), "nonce": _text(nonce),
            "sealed": _text(sealed)}


def open_recovery_slot(slot: dict[str, str] | None, typed: str) -> bytes | None:
    """The archive key when ``typed`` is the recovery key of ``slot`` (spaces, dashes and
    lower case do not matter; 0, 1 and 8 are read as O, I and B)."""
    secret = _recovery_secret(typed)
    if slot is None or secret is None:
        return None
    try:
        wrapping = _recovery_wrapping(secret, _bytes(slot["salt"]))
    except (KeyError, ValueError, TypeError):
        return None
    return _unseal(wrapping, slot, _RECOVERY)

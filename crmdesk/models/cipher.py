"""The encrypted SQLite archive: SQLCipher 4 through sqlcipher3, opened with a raw 256-bit key.

Every page of the file and of its write-ahead log is encrypted (AES-256) and authenticated
(HMAC-SHA512). The key is 32 random bytes handed to SQLCipher as a raw key, so opening costs no
key derivation: what protects the key is the key file beside the archive (see
``services.key_slots``), unwrapped once when a desk unlocks the archive.

A key unwrapped for a file is held in memory for this run (``remember_key``), so every later
opening of that file (after a backup, a restore, a reconnect) finds it; nothing else keeps it.
"""
from __future__ import annotations

import datetime
import decimal
import threading
from pathlib import Path
from typing import Any

import peewee
from sqlcipher3 import dbapi2 as sqlcipher

from crmdesk.models.sqlite import ArchiveSqliteDatabase

PLAIN_HEADER = b"SQLite format 3\x00"
KEY_BYTES = 32
# The key file beside an encrypted archive or backup (see services.key_slots).
KEYS_SUFFIX = ".keys"
MIN_PAGE = 512
# SQLite's limit categories; sqlcipher3's connection has no getlimit of its own.
LIMIT_VARIABLE_NUMBER = 9
DEFAULT_VARIABLE_NUMBER = 32766

# Values stored exactly as peewee stores them through the standard sqlite3 module.
sqlcipher.register_adapter(decimal.Decimal, str)
sqlcipher.register_adapter(datetime.date, str)
sqlcipher.register_adapter(datetime.time, str)
sqlcipher.register_adapter(datetime.datetime, lambda moment: moment.isoformat(" "))

# What reading a damaged encrypted file raises: SQLCipher reports a page that fails its
# authentication as out of memory while some statements (foreign_key_check) read it.
DAMAGE: tuple[type[BaseException], ...] = (sqlcipher.Error, MemoryError)

_keys: dict[Path, bytes] = {}
_keys_lock = threading.Lock()


def _normal(path: Path | str) -> Path:
    return Path(path).resolve()


def remember_key(path: Path | str, key: bytes) -> None:
    """Hold ``key`` in memory as the key of the archive file ``path`` for this run."""
    if len(key) != KEY_BYTES:
        raise ValueError("an archive key has 32 bytes")
    with _keys_lock:
        _keys[_normal(path)] = key


def key_for(path: Path | str) -> bytes | None:
    """The key held in memory for the file ``path``, if it was unlocked in this run."""
    with _keys_lock:
        return _keys.get(_normal(path))


def forget_key(path: Path | str) -> None:
    """Drop the key of ``path`` from memory (the file was moved away or replaced)."""
    with _keys_lock:
        _keys.pop(_normal(path), None)


def is_encrypted_file(path: Path) -> bool:
    """Whether ``path`` looks like an encrypted database: whole pages (of at least 512 bytes,
    as every SQLite file) that do not start with SQLite's plain header.

    A missing or empty file is not encrypted (SQLite would create a new plain database there),
    nor is a file of another kind cut to no page size (a text, a document).
    """
    try:
        with path.open("rb") as head:
            start = head.read(len(PLAIN_HEADER))
            size = head.seek(0, 2)
    except (FileNotFoundError, IsADirectoryError, PermissionError):
        return False
    return size >= MIN_PAGE and size % MIN_PAGE == 0 and start != PLAIN_HEADER


def key_file(path: Path) -> Path:
    """The key file belonging to the archive or backup file ``path``."""
    return path.with_name(path.name + KEYS_SUFFIX)


def looks_locked(path: Path) -> bool:
    """Whether ``path`` is an encrypted file with its key file beside it: one to unlock, not a
    damaged plain file (whose first page no longer starts with the plain header either)."""
    return is_encrypted_file(path) and key_file(path).is_file()


class CipherConnection(sqlcipher.Connection):
    """A SQLCipher connection that also answers ``getlimit`` as the sqlite3 module's does."""

    def getlimit(self, category: int) -> int:
        """SQLite's compile-time limit ``category`` (only the number of host parameters is
        asked for; other categories are not known here)."""
        if category != LIMIT_VARIABLE_NUMBER:
            raise sqlcipher.ProgrammingError(f"limit {category} is not known")
        for (option,) in self.execute("PRAGMA compile_options"):
            if option.startswith("MAX_VARIABLE_NUMBER="):
                return int(option.split("=", 1)[1])
        return DEFAULT_VARIABLE_NUMBER


def key_pragma(key: bytes) -> str:
    """The statement giving SQLCipher ``key`` as a raw key (no key derivation)."""
    return f"PRAGMA key = \"x'{key.hex()}'\""


def connect(path: Path | str, key: bytes, *, uri: bool = False,
            timeout: float = 5.0) -> CipherConnection:
    """A DB-API connection to the encrypted file ``path`` (a ``file:`` URI when ``uri``).

    The key is not checked here: the first statement reading the file fails with "file is
    not a database" when it is wrong.
    """
    conn = sqlcipher.connect(str(path), uri=uri, timeout=timeout, isolation_level=None,
                             check_same_thread=False, factory=CipherConnection)
    try:
        conn.execute(key_pragma(key))
        # A wrong key is an answer to give the user, not lines on stderr.
        conn.execute("PRAGMA cipher_log_level = NONE")
    except Exception:
        conn.close()
        raise
    return conn


def opens_with(path: Path, key: bytes) -> bool:
    """Whether ``key`` decrypts the file ``path`` (its first page is read and authenticated)."""
    try:
        conn = connect(path.resolve().as_uri() + "?mode=ro", key, uri=True)
    except sqlcipher.Error:
        return False
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return True
    except sqlcipher.DatabaseError:
        return False
    finally:
        conn.close()


class EncryptedArchiveDatabase(ArchiveSqliteDatabase):
    """The archive's SQLite database, encrypted: the same pragmas and patient writers as the
    plain one, with every connection keyed before anything else runs."""

    def __init__(self, database: str, key: bytes, **kwargs: Any) -> None:
        self.key = key
        super().__init__(database, **kwargs)

    def _connect(self) -> CipherConnection:
        params = dict(self.connect_params)
        uri = bool(params.pop("uri", False))
        params.pop("check_same_thread", None)
        conn = connect(self.database, self.key, uri=uri, timeout=self._timeout)
        try:
            self._add_conn_hooks(conn)
        except Exception:
            conn.close()
            raise
        return conn


def file_database(path: Path, key: bytes | None) -> peewee.SqliteDatabase:
    """A read-only peewee database on an archive or backup file (encrypted when ``key`` is
    given), for inspecting files; never bound to the models."""
    target = path.resolve().as_uri() + "?mode=ro"
    if key is None:
        return peewee.SqliteDatabase(target, uri=True)
    return EncryptedArchiveDatabase(target, key, uri=True)


def export_encrypted(source: Path, source_key: bytes | None, target: Path, key: bytes) -> None:
    """Write every table, index, trigger and row of ``source`` (plain when ``source_key`` is
    None) into the new file ``target``, encrypted with ``key`` (SQLCipher's sqlcipher_export:
    a plain and an encrypted database cannot be copied page by page)."""
    conn = (sqlcipher.connect(str(source), isolation_level=None) if source_key is None
            else connect(source, source_key))
    try:
        conn.execute(f"ATTACH DATABASE ? AS encrypted KEY \"x'{key.hex()}'\"", (str(target),))
        conn.execute("SELECT sqlcipher_export('encrypted')")
        conn.execute("DETACH DATABASE encrypted")
    finally:
        conn.close()


def row_counts(conn: Any) -> dict[str, int]:
    """How many rows each ordinary table of a DB-API connection's database holds."""
    tables = [name for (name,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE "
        "'CREATE VIRTUAL TABLE%' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    return {name: conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
            for name in tables}

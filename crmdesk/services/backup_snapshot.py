"""One consistent copy of the SQLite archive file, taken while other desks save.

The archive's pages are copied as they lie in the file, not read and written again through
SQLite's backup API: an encrypted archive's pages are already encrypted with its key, so none is
decrypted and encrypted anew, and a plain one is copied at the speed of the disk.

The copy is consistent because it is made inside a read transaction on the archive (WAL mode).
While that transaction lasts no checkpoint writes into the file a page newer than its snapshot,
and the write-ahead log is only appended to, unless the log was wholly checkpointed when the
transaction began: then the file itself is the snapshot and does not change at all, while the log
may start again from its beginning. The file is copied first, then its log; opening the copy
replays the log's committed transactions (every page a checkpoint rewrote during the copy is
among them; a transaction cut off at the log's end fails its checksum and is left out) and
journal mode DELETE folds them into the one file. A log that started again during the copy (its
header changed) is left out: the file alone is then the snapshot.

The bytes are copied by a child process, because opening and closing the archive's file in this
process would release the locks SQLite holds on it for this process's connections (see
``backup_copy``). On Windows, where closing a file releases no other lock but reading bytes
another connection has locked fails, SQLite's backup API copies the pages instead.
"""
from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from crmdesk.models import cipher
from crmdesk.models.db import SQLITE_TIMEOUT_S
from crmdesk.services import key_slots

WAL_HEADER_BYTES = 32
WAL_FILES = ("-wal", "-shm")
# The child copying one file: this Python, isolated from the user's settings and site packages.
COPY_IN_CHILD = ("-I", "-S", str(Path(__file__).with_name("backup_copy.py")))


def connect(path: Path, read_only: bool = False,
            key: bytes | None = None) -> sqlite3.Connection:
    """A DB-API connection to an archive or backup file; encrypted files need their ``key``."""
    target = path.resolve().as_uri() + "?mode=ro" if read_only else path
    if key is not None:
        return cipher.connect(target, key, uri=read_only, timeout=SQLITE_TIMEOUT_S)
    return sqlite3.connect(target, uri=read_only, timeout=SQLITE_TIMEOUT_S)


def companion(path: Path, suffix: str) -> Path:
    """The write-ahead log (``-wal``) or shared-memory (``-shm``) file of a database file."""
    return path.with_name(path.name + suffix)


def copies_in_child() -> bool:
    """Whether a child process copies the archive's bytes (else SQLite's backup API does)."""
    return os.name == "posix" and bool(sys.executable)


def snapshot(archive: Path, target: Path) -> None:
    """Copy the archive into the new file ``target`` as it stood at one moment, as a single-file
    database (journal mode DELETE) readable by its owner only. An encrypted archive's copy stays
    encrypted with the same key and gets a copy of its key file, written first: a backup never
    stands without its keys."""
    key = cipher.key_for(archive)
    if key is not None:
        key_slots.copy(archive, target)
    for suffix in WAL_FILES:  # a stale log beside the target would be replayed into it
        companion(target, suffix).unlink(missing_ok=True)
    with contextlib.closing(connect(archive, key=key)) as source:
        if copies_in_child():
            _copy_file(source, archive, target)
        else:
            with contextlib.closing(connect(target, key=key)) as copy:
                source.backup(copy)  # all pages in one step: never restarted by writers
    with contextlib.closing(connect(target, key=key)) as copy:
        copy.execute("PRAGMA journal_mode=DELETE")
    os.chmod(target, 0o600)


def _copy_file(source: sqlite3.Connection, archive: Path, target: Path) -> None:
    """Copy the archive's file and write-ahead log to ``target`` under one read transaction."""
    log, target_log = companion(archive, "-wal"), companion(target, "-wal")
    source.execute("BEGIN")
    try:
        source.execute("SELECT count(*) FROM sqlite_master").fetchone()  # the snapshot begins
        header = _log_header(log)
        _child_copy(archive, target)
        _child_copy(log, target_log)
        if _log_header(log) != header:
            target_log.unlink(missing_ok=True)
    finally:
        source.execute("COMMIT")


def _log_header(log: Path) -> bytes:
    """The write-ahead log's header (its salts change whenever it starts again); SQLite locks
    nothing in the log file itself, so reading it here releases no lock."""
    try:
        with log.open("rb") as start:
            return start.read(WAL_HEADER_BYTES)
    except FileNotFoundError:
        return b""


def _child_copy(source: Path, target: Path) -> None:
    """Copy ``source`` (if present) into ``target``, created readable by its owner only."""
    if not source.exists():
        return
    os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
    done = subprocess.run([sys.executable, *COPY_IN_CHILD, str(source), str(target)],
                          capture_output=True, text=True)
    if done.returncode:
        failure = done.stderr.strip().splitlines()
        raise OSError(failure[-1] if failure else f"copying {source.name} failed")

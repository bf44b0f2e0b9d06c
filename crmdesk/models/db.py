"""The one place the archive database is opened: embedded SQLite by default, PostgreSQL by URL."""
from __future__ import annotations

import logging
from pathlib import Path

import peewee
from playhouse.db_url import connect

from crmdesk import paths
from crmdesk.errors import ArchiveConnectionError, ArchiveLocationError, ArchiveLockedError
from crmdesk.i18n import _
from crmdesk.models.cipher import EncryptedArchiveDatabase, key_for, looks_locked
from crmdesk.models.sqlite import ArchiveSqliteDatabase

log = logging.getLogger(__name__)

database = peewee.DatabaseProxy()

# Saves must survive power loss (synchronous=FULL), not only crashes; WAL lets readers go on
# while one desk writes; every connection enforces foreign keys.
SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "synchronous": "full",
    "cache_size": -64 * 1024,
    "temp_store": "memory",
    # A destroyed archive's personal data is overwritten, not left in free pages.
    "secure_delete": 1,
    # After a large import or restore the write-ahead log shrinks back instead of keeping its
    # size (and stale pages) until the last desk closes.
    "journal_size_limit": 64 * 1024 * 1024,
}
# SQLite's own wait for a lock, per attempt; crmdesk.models.sqlite tries again for a while.
SQLITE_TIMEOUT_S = 5
NETWORK_FILESYSTEMS = {"nfs", "nfs4", "cifs", "smb", "smbfs", "smb2", "smb3", "afs", "9p",
                       "sshfs", "fuse.sshfs", "davfs", "ncpfs", "glusterfs", "ceph"}


class BaseModel(peewee.Model):
    """Every table of the archive is bound to the one database proxy."""

    class Meta:
        database = database
        legacy_table_names = False


def _mount_type(path: Path) -> str | None:
    """The file-system type of the mount holding ``path`` (Linux /proc/mounts), if known."""
    mounts = Path("/proc/mounts")
    if not mounts.exists():
        return None
    target = str(path.resolve())
    best, best_type = "", None
    for line in mounts.read_text(errors="replace").splitlines():
        parts = line.split()
        if len(parts) >= 3:
            point = parts[1].replace("\\040", " ")
            inside = target == point or target.startswith(point.rstrip("/") + "/")
            if inside and len(point) > len(best):
                best, best_type = point, parts[2]
    return best_type


def check_local_file(path: Path) -> None:
    """Refuse an archive file on a network share, where SQLite's locking is unreliable."""
    kind = _mount_type(path.parent)
    if paths.on_network_share(path) or (kind and kind.lower() in NETWORK_FILESYSTEMS):
        raise ArchiveLocationError(
            _(
                "The archive {path} is on a network share. SQLite cannot lock files safely there; "
                "keep the archive on this computer, or let several desks share a PostgreSQL "
                "archive (--database postgresql://...)."
            ).format(path=path)
        )


def sqlite_database(path: Path) -> peewee.SqliteDatabase:
    """A SQLite archive at ``path`` with the crmdesk pragmas; writers take BEGIN IMMEDIATE.

    The archive is encrypted when a key is held for ``path`` (a new file is then created
    encrypted); an encrypted file with no key held is refused (see services.archive_keys).

    Raises:
        ArchiveLockedError: the file is encrypted and has not been unlocked.
    """
    check_local_file(path)
    options = {"pragmas": SQLITE_PRAGMAS, "timeout": SQLITE_TIMEOUT_S,
               "lock_type": "IMMEDIATE", "check_same_thread": False}
    key = key_for(path)
    if key is not None:
        return EncryptedArchiveDatabase(str(path), key, **options)
    if looks_locked(path):
        raise ArchiveLockedError(_(
            "The archive {path} is encrypted: log in with a user name and password (--user "
            "NAME, the password from CRMDESK_PASSWORD or the prompt) or give the recovery "
            "key.").format(path=path))
    return ArchiveSqliteDatabase(str(path), **options)


def url_database(url: str, password: str | None = None) -> peewee.Database:
    """A database named by URL (postgresql://user@host/db?sslmode=require, sqlite:///path)."""
    from crmdesk.models.postgresql import ArchivePostgresqlDatabase, is_postgresql_url

    if url.startswith("sqlite:"):
        return sqlite_database(Path(url.split(":///", 1)[-1]))
    if is_postgresql_url(url):
        return ArchivePostgresqlDatabase(url, **({"password": password} if password else {}))
    return connect(url)


def open_database(path: Path | str | None = None, url: str | None = None,
                  password: str | None = None) -> peewee.Database:
    """Bind the proxy to the chosen archive, bring its schema up to date, and return it.

    Args:
        path: the SQLite archive file (created when missing), used when ``url`` is None; a
            string holding ``://`` is taken as a URL.
        url: a database URL, taking precedence over ``path``.
        password: the database password when neither the URL nor ~/.pgpass holds it.
    """
    from crmdesk.models.migrations import upgrade

    if url is None and isinstance(path, str) and "://" in path:
        url, path = path, None
    if url:
        db = url_database(url, password)
    elif path is not None:
        db = sqlite_database(Path(path))
    else:
        raise ValueError("open_database needs a path or a URL")
    database.initialize(db)
    db.connect(reuse_if_open=True)
    try:
        upgrade(db)
    except peewee.DatabaseError as exc:
        db.close()
        describe = getattr(db, "describe", None)
        if describe is None:
            raise
        # A privilege missing on the server, told in plain words rather than as SQL.
        raise ArchiveConnectionError(describe(exc)) from exc
    except Exception:
        # A refused or failed upgrade must not leave an archive open for writing.
        db.close()
        raise
    log.info("archive opened: %s", shown_location(url, path))
    return db


def shown_location(url: str | None, path: Path | str | None = None) -> str:
    """Where the archive is, fit for a log, a title or a message: never a password."""
    from crmdesk.models.postgresql import redacted

    return redacted(url) if url else str(path)


def close_database() -> None:
    """Close the archive if it is open."""
    if database.obj is not None and not database.is_closed():
        database.close()


def is_sqlite() -> bool:
    """True when the archive is the embedded SQLite file."""
    return isinstance(database.obj, peewee.SqliteDatabase)

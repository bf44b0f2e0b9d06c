"""Backing up and restoring a PostgreSQL archive with the server's own tools.

A backup is one pg_dump in its custom format (``-Fc``): a single consistent snapshot, taken
while the desks keep saving. It is written under a temporary name readable by this account
only, verified (pg_restore reads all of it, lists the customer table and a known crmdesk
schema) and only then given its name, so rotation never deletes a good backup for a bad one.

A restore never overwrites an archive: a backup goes only into an empty database (create
one on the server, point crmdesk at it, restore). Opening that database has already given it
the tables of a new, unused archive; those are dropped and pg_restore loads the backup as one
transaction. The archive then restored knows nobody at this desk, so who restores is checked
against the backup's own accounts, as a login: a wrong password, or an account that is not
an administrator or manager, drops everything restored again, leaving the database empty.
"""
from __future__ import annotations

import contextlib
import logging
import os
import re
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO

import peewee

from crmdesk.i18n import _
from crmdesk.models import ALL_MODELS
from crmdesk.models.db import database, open_database
from crmdesk.models.migrations import STEPS, upgrade
from crmdesk.services import audit, destroyed
from crmdesk.services.backup_files import sync_to_disk
from crmdesk.services.backup_results import (
    BackupError,
    BackupRefused,
    BackupResult,
    RestoreResult,
)
from crmdesk.services.postgresql_tools import connection_of, require_tool, run_tool
from crmdesk.services.restore_login import Login, restoring_actor

log = logging.getLogger(__name__)

SCHEMA_TABLE = "schema_migration"
# A new archive starts with rows in these tables (the level scheme, counters at zero).
SEEDED_TABLES = {"level", "counter", SCHEMA_TABLE}
_CUSTOMER_TABLE = re.compile(r"^\d+;\s+\d+\s+\d+\s+TABLE\s+\S+\s+customer\s", re.MULTILINE)
_FUNCTION = re.compile(r"^\d+;\s+\d+\s+\d+\s+FUNCTION\s+(\S+)\s+(\S+\(.*\))\s+\S*\s*$",
                       re.MULTILINE)


def postgresql_database() -> peewee.PostgresqlDatabase:
    """The open archive's database, known to be PostgreSQL."""
    db = database.obj
    if not isinstance(db, peewee.PostgresqlDatabase):
        raise BackupError(_("No PostgreSQL archive is open."))
    return db


def _schema_versions(script: str) -> set[int]:
    """The versions in a dump's schema_migration data (pg_restore's plain-text COPY block)."""
    versions: set[int] = set()
    inside = False
    for line in script.splitlines():
        if line.startswith("COPY ") and f"{SCHEMA_TABLE} (" in line:
            inside = True
        elif inside and line == "\\.":
            break
        elif inside and line.split("\t", 1)[0].isdigit():
            versions.add(int(line.split("\t", 1)[0]))
    return versions


def inspect_dump(path: Path) -> tuple[int, list[str]]:
    """Verify a pg_dump backup without restoring it: (schema version, problems).

    Raises:
        BackupError: pg_restore is not installed.
    """
    if not path.is_file():
        return 0, [_("the file {path} does not exist").format(path=path)]
    pg_restore = require_tool("pg_restore")
    listing = run_tool(pg_restore, ["--list", str(path)])
    if listing.code:
        return 0, [_("not a PostgreSQL backup made by crmdesk backup ({error})").format(
            error=listing.reason())]
    read = run_tool(pg_restore, [f"--file={os.devnull}", str(path)])
    if read.code:
        return 0, [_("damaged: {detail}").format(detail=read.reason())]
    if not _CUSTOMER_TABLE.search(listing.output):
        return 0, [_("this is not a crmdesk archive")]
    data = run_tool(pg_restore, ["--data-only", f"--table={SCHEMA_TABLE}", "--file=-",
                                 str(path)])
    versions = _schema_versions(data.output) if not data.code else set()
    if 1 not in versions:
        return 0, [_("this is not a crmdesk archive")]
    if versions - {step.version for step in STEPS}:
        return max(versions), [_("it was written by a newer crmdesk (schema {found}); update "
                                 "crmdesk first").format(found=max(versions))]
    return max(versions), []


@contextlib.contextmanager
def _private_file(path: Path) -> Iterator[IO[bytes]]:
    """A new file only this account may read: a backup holds every customer's details."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    with os.fdopen(os.open(path, flags, 0o600), "wb") as out:
        yield out
        out.flush()
        os.fsync(out.fileno())


def write_dump(target: Path) -> BackupResult:
    """Write a verified pg_dump of the open archive to ``target`` (replaced only once verified).

    Raises:
        BackupRefused: the dump failed verification; nothing at ``target`` was touched.
        BackupError: pg_dump is missing or failed, or the folder cannot be written.
    """
    db = postgresql_database()
    pg_dump = require_tool("pg_dump")
    require_tool("pg_restore")  # to verify: without it no backup would ever count as good
    connection = connection_of(db)
    started = time.perf_counter()
    part = target.with_name(target.name + ".part")
    kept = False
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        part.unlink(missing_ok=True)
        with _private_file(part) as out:
            dumped = run_tool(pg_dump, ["--format=custom", "--no-password",
                                        f"--dbname={connection.conninfo}"], connection, out)
        if dumped.code:
            raise BackupError(_("pg_dump could not back up the archive; older backups were "
                                "left alone: {error}").format(error=dumped.reason()))
        _version, problems = inspect_dump(part)
        if problems:
            raise BackupRefused(_("The backup failed verification and was not kept; older "
                                  "backups were left alone. Run crmdesk check."), problems)
        os.replace(part, target)
        kept = True
        sync_to_disk(target.parent)
    except OSError as exc:
        raise BackupError(_("The backup could not be written to {path}: {error}").format(
            path=target, error=exc)) from exc
    finally:
        if not kept:
            with contextlib.suppress(OSError):
                part.unlink(missing_ok=True)
    seconds = time.perf_counter() - started
    log.info("backup written: %s (%.2f s)", target, seconds)
    return BackupResult(target, target.stat().st_size, seconds)


def _crmdesk_tables() -> set[str]:
    return {model._meta.table_name for model in ALL_MODELS} | {SCHEMA_TABLE}


def _holds_data(tables: set[str]) -> bool:
    """True unless ``tables`` are none at all or those of a new archive nobody has used."""
    if tables - _crmdesk_tables():
        return True
    for table in sorted(tables - SEEDED_TABLES):
        if database.execute_sql(f'SELECT EXISTS (SELECT 1 FROM "{table}")').fetchone()[0]:
            return True
    # Every change is audited, so an unused archive has counted neither an entry nor a number.
    return "counter" in tables and bool(database.execute_sql(
        "SELECT EXISTS (SELECT 1 FROM counter WHERE value <> 0)").fetchone()[0])


def _functions_in(path: Path) -> list[str]:
    """The functions a dump creates, as ``schema.name(argument types)``."""
    listing = run_tool(require_tool("pg_restore"), ["--list", str(path)])
    return [f"{schema}.{signature}" for schema, signature in _FUNCTION.findall(listing.output)]


def _drop(tables: set[str], functions: Sequence[str] = ()) -> None:
    """Drop ``tables`` (with their sequences and indexes) and ``functions``, in one go."""
    with database.atomic():
        if tables:
            database.execute_sql("DROP TABLE IF EXISTS "
                                 + ", ".join(f'"{t}"' for t in sorted(tables)) + " CASCADE")
        for function in functions:
            database.execute_sql(f"DROP FUNCTION IF EXISTS {function}")


def _reopen(db: peewee.PostgresqlDatabase) -> None:
    """Open the archive's database afresh through ``open_database`` (upgrading a restored
    backup from an older crmdesk, or creating a new archive in an empty database)."""
    database.close()
    url = getattr(db, "url", None)
    if url is None:
        # Opened from a URL crmdesk does not keep: the same settings, connected again.
        database.initialize(db)
        db.connect(reuse_if_open=True)
        upgrade(db)
        return
    password = db.connect_params.get("password")
    open_database(url=url, **({"password": password} if password else {}))


def _empty_again(db: peewee.PostgresqlDatabase, functions: Sequence[str]) -> None:
    """After a failed or refused restore: drop whatever it restored, and reopen."""
    try:
        database.connect(reuse_if_open=True)
        _drop(set(database.get_tables()), functions)
    except peewee.DatabaseError:
        log.exception("the refused restore could not be dropped again")
    _reopen(db)


def restore_instructions() -> str:
    """How a PostgreSQL archive is restored (from the command line, into an empty database)."""
    return _("A PostgreSQL archive is restored into a new, empty database, never over the "
             "archive in use: create an empty database on the server, then run\n"
             "crmdesk --database URL --user NAME restore FILE\n"
             "with the URL of the new database and an administrator or manager of the backup "
             "as NAME; then point the desks at the new database.")


def restore(source: Path, login: Login | None) -> RestoreResult:
    """Restore the pg_dump ``source`` into the open database, which must hold no archive yet.

    Raises:
        BackupRefused: ``source`` is not a sound crmdesk backup; nothing was changed.
        BackupError: the database already holds an archive (nothing was changed), pg_restore
            is missing or failed, or ``login`` is not an administrator or manager of the
            backup (the database was left empty).
    """
    db = postgresql_database()
    pg_restore = require_tool("pg_restore")
    source = source.resolve()
    version, problems = inspect_dump(source)
    if problems:
        raise BackupRefused(_("{name} cannot be restored; the archive was not changed.").format(
            name=source.name), problems)
    tables = set(database.get_tables())
    if _holds_data(tables):
        raise BackupError(_(
            "This database already holds an archive, and a backup is restored only into an "
            "empty database, so that nothing is overwritten. Create an empty database, point "
            "crmdesk at it (--database URL) and restore there. Nothing was changed."))
    connection = connection_of(db)
    # The unused archive that opening the empty database created, and any function of the
    # backup's that setting the database up already made (pg_restore would not replace it).
    functions = _functions_in(source)
    _drop(tables, functions)
    try:
        restored = run_tool(pg_restore, [
            "--single-transaction", "--no-owner", "--no-privileges", "--no-comments",
            "--no-password", f"--dbname={connection.conninfo}", str(source)], connection)
        if restored.code:
            raise BackupError(_("pg_restore could not restore {name}; the database was left "
                                "empty: {error}").format(name=source.name,
                                                         error=restored.reason()))
        _reopen(db)
        actor = restoring_actor(login, _("The database was left empty."))
        with database.atomic():
            audit.record(actor, "restore", None, file=str(source), schema=version,
                         by=actor.name if actor else (login.name if login else ""))
    except BaseException:
        _empty_again(db, functions)
        raise
    again = destroyed.destroy_again(actor, destroyed.registered(), source)
    log.info("archive restored from %s", source)
    return RestoreResult(source, None, version, again)


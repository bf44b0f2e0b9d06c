"""Backup files in a folder: their names, which ones rotation keeps, and when one is due.

A regular backup is called ``crmdesk-YYYYMMDD-HHMMSS.sqlite3`` after the local time it was made
(``-2``, ``-3`` ... are added when two land in the same second); a PostgreSQL archive's backup is
a pg_dump file named the same way but ending in ``.dump``. Only files named like that are ever
rotated, both kinds together; a restore's copy of the archive as it was
(``crmdesk-before-restore-...``) and files written to a name of the user's choosing are left alone.

Rotation keeps, of the regular backups in one folder:

- the 3 newest, whatever their dates (a backup made at 10:00 survives a bad one at 11:00);
- the newest of each of the 7 most recent days that have a backup;
- the newest of each of the 4 most recent ISO weeks that have a backup;
- the newest of each of the 12 most recent months that have a backup;

and deletes the rest. Counting days "that have a backup" rather than calendar days means a
closed office (a holiday week) does not age its last backups out.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
from collections.abc import Callable, Hashable
from pathlib import Path

from crmdesk.models.cipher import key_file

PREFIX = "crmdesk-"
SUFFIX = ".sqlite3"
DUMP_SUFFIX = ".dump"
STAMP = "%Y%m%d-%H%M%S"
KEEP_NEWEST = 3
KEEP_DAILY = 7
KEEP_WEEKLY = 4
KEEP_MONTHLY = 12
DUE_AFTER = dt.timedelta(days=1)
_REGULAR = re.compile(r"^crmdesk-(\d{8}-\d{6})(?:-(\d+))?\.(?:sqlite3|dump)$")


def _taken(path: Path) -> bool:
    """True when a backup of either kind, finished or being written, has this name's stem."""
    return any(candidate.exists() or candidate.with_name(candidate.name + ".part").exists()
               for candidate in (path.with_suffix(SUFFIX), path.with_suffix(DUMP_SUFFIX)))


def backup_name(at: dt.datetime, folder: Path, suffix: str = SUFFIX) -> Path:
    """A free path in ``folder`` for a regular backup made at ``at`` (a pg_dump file: ``.dump``)."""
    stem = f"{PREFIX}{at.strftime(STAMP)}"
    path = folder / f"{stem}{suffix}"
    number = 1
    while _taken(path):
        number += 1
        path = folder / f"{stem}-{number}{suffix}"
    return path


def before_restore_name(at: dt.datetime, folder: Path, before: str = "restore") -> Path:
    """A free path in ``folder`` for the copy of the archive kept before a restore (or before
    another change named by ``before``, such as "encryption")."""
    stem = f"{PREFIX}before-{before}-{at.strftime(STAMP)}"
    path, number = folder / f"{stem}{SUFFIX}", 1
    while path.exists():
        number += 1
        path = folder / f"{stem}-{number}{SUFFIX}"
    return path


def made_at(path: Path) -> tuple[dt.datetime, int] | None:
    """When a regular backup was made (and its same-second number), from its name; else None."""
    match = _REGULAR.match(path.name)
    if not match:
        return None
    try:
        at = dt.datetime.strptime(match.group(1), STAMP)
    except ValueError:
        return None
    return at, int(match.group(2) or 1)


def regular_backups(folder: Path) -> list[Path]:
    """The regular backups in ``folder``, newest first."""
    if not folder.is_dir():
        return []
    found = [(stamp, path) for path in folder.iterdir()
             if path.is_file() and (stamp := made_at(path)) is not None]
    return [path for _stamp, path in sorted(found, reverse=True)]


def _newest_per_period(newest_first: list[Path], period: Callable[[dt.datetime], Hashable],
                       count: int) -> set[Path]:
    kept: set[Path] = set()
    seen: set[Hashable] = set()
    for path in newest_first:
        at = made_at(path)[0]  # type: ignore[index]
        key = period(at)
        if key in seen:
            continue
        if len(seen) == count:
            break
        seen.add(key)
        kept.add(path)
    return kept


def to_keep(backups: list[Path]) -> set[Path]:
    """Which of these regular backups (newest first) the rotation rule keeps."""
    kept = set(backups[:KEEP_NEWEST])
    kept |= _newest_per_period(backups, lambda at: at.date(), KEEP_DAILY)
    kept |= _newest_per_period(backups, lambda at: at.isocalendar()[:2], KEEP_WEEKLY)
    kept |= _newest_per_period(backups, lambda at: (at.year, at.month), KEEP_MONTHLY)
    return kept


def rotate(folder: Path) -> list[Path]:
    """Delete the regular backups in ``folder`` that the rule does not keep; return them.

    Call it only after the newest backup has been verified: it counts as one of the kept.
    """
    backups = regular_backups(folder)
    kept = to_keep(backups)
    removed = [path for path in backups if path not in kept]
    for path in removed:
        path.unlink(missing_ok=True)
        # An encrypted backup's key file goes with it (see services.key_slots).
        key_file(path).unlink(missing_ok=True)
    return removed


def sync_to_disk(path: Path) -> None:
    """Make sure a written file, or a folder's new entry, is on the disk and not only cached."""
    with contextlib.suppress(OSError):  # directories cannot be opened for syncing on Windows
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def backup_due(folder: Path, now: dt.datetime | None = None) -> bool:
    """True when ``folder`` holds no regular backup made in the 24 hours before ``now``.

    A backup dated in the future (the clock was put back) does not count.
    """
    now = now or dt.datetime.now()
    for path in regular_backups(folder):
        at = made_at(path)[0]  # type: ignore[index]
        if now - DUE_AFTER < at <= now:
            return False
    return True

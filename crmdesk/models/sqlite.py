"""The embedded SQLite archive, patient with other desks that are saving.

Writers start with ``BEGIN IMMEDIATE``, so the write lock is taken before anything is read or
changed; when another desk holds it longer than SQLite's own busy timeout, nothing has happened
yet and the same BEGIN can simply be tried again. It is, with growing pauses, for up to
``BUSY_PATIENCE_S``; meanwhile the status bar says another desk is saving. Only after that is the
user told the archive is busy (never that it is damaged).
"""
from __future__ import annotations

import time

import peewee

from crmdesk.models.connection_events import tell

BUSY_PATIENCE_S = 30.0
FIRST_PAUSE_S = 0.05
LONGEST_PAUSE_S = 2.0


def is_busy(exc: BaseException) -> bool:
    """Whether a SQLite error means another connection holds the lock."""
    text = str(exc).lower()
    return "database is locked" in text or "database is busy" in text


class ArchiveSqliteDatabase(peewee.SqliteDatabase):
    """A SQLite database whose write transactions wait their turn instead of failing."""

    def begin(self, lock_type: str | None = None) -> None:
        deadline = time.monotonic() + BUSY_PATIENCE_S
        pause, waiting = FIRST_PAUSE_S, False
        try:
            while True:
                try:
                    super().begin(lock_type)
                    return
                except peewee.OperationalError as exc:
                    if not is_busy(exc) or time.monotonic() + pause > deadline:
                        raise
                if not waiting:
                    waiting = True
                    tell("busy")
                time.sleep(pause)
                pause = min(pause * 2, LONGEST_PAUSE_S)
        finally:
            if waiting:
                tell("free")

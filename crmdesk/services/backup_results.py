"""What backups, restores and checks hand back, and the errors they raise, on either backend."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from crmdesk.errors import CrmError


class BackupError(CrmError):
    """A backup, restore or check could not be done; the message says why and what to do."""


class BackupRefused(BackupError):
    """A file failed verification; ``problems`` lists what is wrong with it."""

    def __init__(self, message: str, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join([message, *problems]))


@dataclass(frozen=True)
class BackupResult:
    """A verified backup: where it is, its size, how long it took, what rotation deleted."""

    path: Path
    size: int
    seconds: float
    removed: tuple[Path, ...] = ()


@dataclass(frozen=True)
class RestoreResult:
    """A finished restore: the file restored and the copy of the archive as it was.

    ``kept`` is None on PostgreSQL, where a backup is restored only into an empty database
    and so there is nothing to keep.
    """

    source: Path
    kept: Path | None
    schema: int
    # Archives destroyed since the backup was made, which the restore destroyed again.
    destroyed_again: tuple[str, ...] = ()
    # Accounts whose password no longer opens the encrypted archive until their next login
    # at a desk where it is open, or until an administrator sets it (see restore_keys).
    waiting: tuple[str, ...] = ()

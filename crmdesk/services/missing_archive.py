"""A data folder that has had an archive never silently gets a new, empty one.

Checked before every start on the embedded archive, so it imports nothing heavy: a missing
archive file in a folder with backups or logs means the file was moved or deleted, or the
folder is on a drive that is not plugged in; a new archive is made only in a fresh folder.
"""
from __future__ import annotations

from pathlib import Path

from crmdesk import paths
from crmdesk.errors import ArchiveMissingError
from crmdesk.i18n import _

# What a data folder holds once an archive has lived in it.
HISTORY = ("backups", "logs")


def had_archive(folder: Path) -> bool:
    """Whether ``folder`` shows signs of an archive having lived there (backups, logs)."""
    return any((folder / name).is_dir() and any((folder / name).iterdir()) for name in HISTORY)


def refuse_missing(folder: Path) -> None:
    """Refuse to create a new archive in a folder that has had one.

    Raises:
        ArchiveMissingError: the archive file is missing but the folder has backups or logs.
    """
    if not paths.archive_path(folder).exists() and had_archive(folder):
        raise ArchiveMissingError(_(
            "There is no archive in {folder}, although the folder holds the backups or logs of "
            "one: the archive file was moved or deleted, or the data folder is on a drive that "
            "is not plugged in. Start crmdesk with the right --data-dir, or put a backup back "
            "with crmdesk restore FILE. No new, empty archive was created.").format(
                folder=folder))

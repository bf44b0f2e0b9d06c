"""Where crmdesk keeps its files: the data folder, the archive file, logs and backups.

The data folder is chosen, in order, by ``--data-dir``, the ``CRMDESK_DATA_DIR`` environment
variable, and the platform's per-user data folder (platformdirs).
"""
from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "crmdesk"
ARCHIVE_FILE = "archive.sqlite3"

PACKAGE_DIR = Path(__file__).resolve().parent
RESOURCES_DIR = PACKAGE_DIR.parent / "resources"
LOCALE_DIR = PACKAGE_DIR / "locale"
FONT_FILE = RESOURCES_DIR / "fonts" / "wqy-microhei.ttc"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """Return the data folder, creating it when missing."""
    chosen = override or os.environ.get("CRMDESK_DATA_DIR")
    folder = Path(chosen) if chosen else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def archive_path(folder: Path) -> Path:
    """The embedded SQLite archive inside a data folder."""
    return folder / ARCHIVE_FILE


def log_dir(folder: Path) -> Path:
    """The log folder inside a data folder, created when missing."""
    logs = folder / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    return logs


def backup_dir(folder: Path) -> Path:
    """The backup folder inside a data folder, created when missing."""
    backups = folder / "backups"
    backups.mkdir(parents=True, exist_ok=True)
    return backups

"""Where crmdesk keeps its files: the data folder, the archive file, logs and backups.

The data folder is chosen, in order, by ``--data-dir``, the ``CRMDESK_DATA_DIR`` environment
variable, and the platform's per-user data folder (platformdirs).
"""
from __future__ import annotations

import os
import re
from pathlib import Path, PureWindowsPath

import platformdirs

APP_NAME = "crmdesk"
ARCHIVE_FILE = "archive.sqlite3"

PACKAGE_DIR = Path(__file__).resolve().parent
RESOURCES_DIR = PACKAGE_DIR.parent / "resources"
LOCALE_DIR = PACKAGE_DIR / "locale"
FONT_FILE = RESOURCES_DIR / "fonts" / "wqy-microhei.ttc"

_chosen: Path | None = None


def make_folder(folder: Path) -> None:
    """Create ``folder`` (and its parents) unless it exists.

    Raises:
        ArchiveLocationError: a file stands where the folder should be, the name is too long
            or otherwise impossible, or the folder may not be created.
    """
    from crmdesk.errors import ArchiveLocationError
    from crmdesk.i18n import _

    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError as exc:
        raise ArchiveLocationError(_("{path} is a file, not a folder; move it away or choose "
                                     "another folder").format(path=_short(folder))) from exc
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise ArchiveLocationError(_("cannot create the folder {path} ({reason})").format(
            path=_short(folder), reason=reason)) from exc


def _short(path: Path) -> str:
    """A path as a one-line message shows it: a name of thousands of characters is cut."""
    text = "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in str(path))
    return text if len(text) <= 120 else text[:60] + "…" + text[-40:]


# GetDriveTypeW's answer for a drive letter mapped to a network share ("net use Z: \\server\crm").
DRIVE_REMOTE = 4


def windows_drive_type(root: str) -> int | None:
    """Windows' type of the drive ``root`` (such as ``Z:\\``); None on other systems."""
    if os.name != "nt":
        return None
    import ctypes

    return int(ctypes.windll.kernel32.GetDriveTypeW(root))  # type: ignore[attr-defined]


def on_network_share(path: Path) -> bool:
    """True for a path on a network share: a UNC path (``\\\\server\\share``, ``//server/share``)
    or a path on a drive letter Windows has mapped to a share."""
    text = os.path.abspath(path) if os.name == "nt" else str(path)
    if text.startswith(("\\\\", "//")):
        return True
    drive = PureWindowsPath(text).drive
    return (re.fullmatch(r"[A-Za-z]:", drive) is not None
            and windows_drive_type(drive + "\\") == DRIVE_REMOTE)


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """Return the data folder, creating it when missing; it becomes this run's data folder."""
    global _chosen
    chosen = override or os.environ.get("CRMDESK_DATA_DIR")
    folder = Path(chosen) if chosen else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    make_folder(folder)
    _chosen = folder
    return folder


def current_data_dir() -> Path:
    """The data folder this run opened its archive from (the last ``data_dir`` answer).

    A PostgreSQL archive has no file to stand beside, yet its logs and backups still go to
    the data folder chosen at start (``--data-dir``, ``CRMDESK_DATA_DIR`` or the default).
    """
    return _chosen if _chosen is not None else data_dir()


def archive_path(folder: Path) -> Path:
    """The embedded SQLite archive inside a data folder."""
    return folder / ARCHIVE_FILE


def log_dir(folder: Path) -> Path:
    """The log folder inside a data folder, created when missing."""
    logs = folder / "logs"
    make_folder(logs)
    return logs


def backup_dir(folder: Path) -> Path:
    """The backup folder inside a data folder, created when missing."""
    backups = folder / "backups"
    make_folder(backups)
    return backups

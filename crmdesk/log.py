"""Logging to a rotating file in the data folder, so problems at a desk can be looked into."""
from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from crmdesk.paths import log_dir

LOG_FILE = "crmdesk.log"
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def setup_logging(data_folder: Path, debug: bool = False) -> Path:
    """Send crmdesk's log to ``<data folder>/logs/crmdesk.log`` (5 files of 2 MB) and return it.

    With ``debug`` the SQL that peewee runs is logged too.

    Raises:
        ArchiveLocationError: the log folder or file cannot be created or written.
    """
    path = log_dir(data_folder) / LOG_FILE
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, logging.handlers.RotatingFileHandler)]:
        if Path(old.baseFilename) == path.resolve():
            break
        root.removeHandler(old)  # the archive moved to another data folder: follow it
        old.close()
    else:
        try:
            handler = logging.handlers.RotatingFileHandler(path, maxBytes=2_000_000,
                                                           backupCount=5, encoding="utf-8")
        except OSError as exc:  # e.g. a folder named crmdesk.log, or a read-only data folder
            from crmdesk.errors import ArchiveLocationError
            from crmdesk.i18n import _

            raise ArchiveLocationError(_("cannot write the log {path} ({reason})").format(
                path=path, reason=exc.strerror or exc)) from exc
        handler.setFormatter(logging.Formatter(FORMAT))
        root.addHandler(handler)
    root.setLevel(logging.DEBUG if debug else logging.INFO)
    logging.getLogger("peewee").setLevel(logging.DEBUG if debug else logging.WARNING)
    return path

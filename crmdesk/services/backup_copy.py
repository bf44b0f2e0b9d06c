"""The child process that copies the archive's file for a backup (see ``backup_snapshot``).

    python -I -S backup_copy.py SOURCE TARGET

Run as a script, importing nothing of crmdesk: the process making the backup must not open the
archive's file itself (closing it would release SQLite's locks). Every byte is read and written
anew, through the page cache on Linux (``sendfile``); ``cp`` and ``copy_file_range`` may clone
the archive's blocks instead, a copy lost together with them.
"""
from __future__ import annotations

import os
import shutil
import sys

CHUNK = 1 << 20
SENDFILE_CHUNK = 1 << 30


def copy(source: str, target: str) -> None:
    """Write the bytes of ``source`` over ``target`` (its permissions kept)."""
    with open(source, "rb") as original, open(target, "wb") as copied:
        if sys.platform.startswith("linux"):
            while os.sendfile(copied.fileno(), original.fileno(), None, SENDFILE_CHUNK):
                pass
        else:
            shutil.copyfileobj(original, copied, CHUNK)


if __name__ == "__main__":
    copy(sys.argv[1], sys.argv[2])

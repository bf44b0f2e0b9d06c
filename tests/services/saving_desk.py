"""A desk in a process of its own that saves cards until it is stopped, for the backup tests.

Run as ``python saving_desk.py ARCHIVE USERNAME``; an encrypted archive's key comes as one line
of hexadecimal digits on stdin (an empty line for a plain archive). It prints "saved <archive
no>" once each save has returned (see ``crash_writer.save_until_killed``).
"""
from __future__ import annotations

import sys
from pathlib import Path

from crmdesk.models.cipher import remember_key
from tests.services.crash_writer import save_until_killed

if __name__ == "__main__":
    archive = Path(sys.argv[1])
    key = sys.stdin.readline().strip()
    if key:
        remember_key(archive, bytes.fromhex(key))
    save_until_killed(archive, sys.argv[2])

"""A backup of an archive, plain or encrypted, against a plain copy of its file, as JSON.

    python benchmarks/bench_backup.py --archive PATH [--key KEYFILE] [--repeat 3] [--through-sqlite]
        [--out FILE]

Times ``services.backup.back_up_to_file`` over the backup of the run before, as
benchmarks/run.py does (``run.measure_backup``), each run after a copy of the archive file (the
raw floor); an encrypted archive needs its 32-byte key file. Beside the whole backup: its parts,
the snapshot (the file and its log copied, folded into one file), the verification (quick_check,
foreign_key_check, schema) and writing it through to the disk, and the load average before and
after. The report is printed (and written to ``--out``); it names the archive by its file name.
"""
from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import figure, ms_since
from run import load, measure_backup


def timing(into: list[float], work: Callable) -> Callable:
    """``work``, noting the milliseconds of each call in ``into``."""
    @functools.wraps(work)
    def timed(*args: object, **kwargs: object) -> object:
        start = time.perf_counter()
        try:
            return work(*args, **kwargs)
        finally:
            into.append(ms_since(start))
    return timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archive", type=Path, required=True, metavar="PATH")
    parser.add_argument("--key", type=Path, metavar="KEYFILE",
                        help="the encrypted archive's key (32 bytes)")
    parser.add_argument("--repeat", type=int, default=3, metavar="N")
    parser.add_argument("--through-sqlite", action="store_true",
                        help="copy pages through SQLite's backup API (as on Windows)")
    parser.add_argument("--out", type=Path, metavar="FILE", help="also write the report here")
    args = parser.parse_args()

    from crmdesk.models import Customer, Staff, cipher
    from crmdesk.models.db import close_database, open_database
    from crmdesk.services import backup, backup_snapshot
    from crmdesk.services.context import Actor

    archive = args.archive.resolve()
    if args.key:
        cipher.remember_key(archive, args.key.read_bytes())
    open_database(archive)
    manager = SimpleNamespace(actor=Actor.of(Staff.get(Staff.username == "manager")))
    snapshot_ms: list[float] = []
    verify_ms: list[float] = []
    sync_ms: list[float] = []
    backup.snapshot = timing(snapshot_ms, backup.snapshot)
    backup.inspect_file = timing(verify_ms, backup.inspect_file)
    backup.sync_to_disk = timing(sync_ms, backup.sync_to_disk)
    if args.through_sqlite:
        backup_snapshot.copies_in_child = lambda: False
    before = load()
    result = measure_backup(archive, manager, args.repeat)
    report = {
        "started": dt.datetime.now().isoformat(timespec="seconds"),
        "archive": archive.name, "encrypted": args.key is not None,
        "copied_by": "SQLite's backup API" if args.through_sqlite else "a child process",
        "customers": Customer.select().count(), "cpus": os.cpu_count(),
        "load_avg_1m": {"before": before, "after": load()},
        "backup": result,
        "snapshot": figure(snapshot_ms, None),
        "verification": figure(verify_ms, None),
        "sync_to_disk": figure(sync_ms[::2], None, what="the file written (then its folder)"),
    }
    close_database()
    text = json.dumps(report, indent=1, ensure_ascii=False)
    print(text)
    if args.out:
        args.out.write_text(text + "\n")


if __name__ == "__main__":
    main()

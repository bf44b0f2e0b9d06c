"""One dry run of an import in a process of its own, to measure its peak memory.

Run as ``python import_memory.py FILE``. It opens a new archive in a temporary folder with one
manager, previews FILE as that manager, and prints one JSON object: "refused" (the message) or
"rows" and "errors" (the rows read and the rows rejected), and "peak_mb", the process's peak
resident memory in MB, interpreter and crmdesk included.

The peak is the high-water mark of this program's own memory (VmHWM on Linux): Linux carries
``ru_maxrss`` over from the process that started this one, so under a test run that has grown
large it would report the test run's size instead.
"""
from __future__ import annotations

import json
import resource
import sys
import tempfile
from pathlib import Path

from crmdesk import i18n
from crmdesk.errors import CrmError
from crmdesk.models import Staff
from crmdesk.models.db import open_database
from crmdesk.services.context import Actor
from crmdesk.services.imports.dry_run import preview_import


def peak_mb() -> int:
    """This program's peak resident memory in MB."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) // 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def dry_run(path: Path) -> dict[str, object]:
    """Preview ``path`` in a new archive; what happened and the peak memory."""
    i18n.set_language("en")
    with tempfile.TemporaryDirectory() as folder:
        open_database(Path(folder) / "archive.sqlite3")
        manager = Actor.of(Staff.create(name="赵经理", username="manager", roles="manager,sales"))
        try:
            preview = preview_import(path, manager)
        except CrmError as exc:
            outcome: dict[str, object] = {"refused": str(exc)}
        else:
            outcome = {"rows": len(preview.rows), "errors": preview.counts().error,
                       "first_problem": next((r.reasons for r in preview.rows if r.problems),
                                             None)}
    outcome["peak_mb"] = peak_mb()
    return outcome


if __name__ == "__main__":
    print(json.dumps(dry_run(Path(sys.argv[1])), ensure_ascii=False))

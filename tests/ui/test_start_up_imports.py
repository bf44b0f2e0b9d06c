"""The login dialog shows before the heavy libraries load: they load when first needed.

Each start runs in a child process (this process has long loaded everything): crmdesk is
started on a new archive in a temporary folder, and the dialog's ``exec`` reports which
libraries are loaded the moment it would wait for the user's typing.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Workbooks, PDF, Chinese pinyin, the key file's cryptography, charts: none is needed to log in.
HEAVY = ("openpyxl", "xlsxwriter", "reportlab", "pypinyin", "cryptography", "PySide6.QtCharts")

CHILD = """
import json, os, sys
from crmdesk.ui.dialogs import login

def report(self):
    print("LOADED " + json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in {heavy}
                                        or m in {heavy})), flush=True)
    os._exit(0)

login.LoginDialog.exec = report
login.FirstAdminDialog.exec = report
from crmdesk import cli
cli.main(sys.argv[1:])
"""


def _loaded_at_login(*arguments: str, tmp_path: Path) -> list[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    env.pop("CRMDESK_USER", None)
    done = subprocess.run(
        [sys.executable, "-c", CHILD.format(heavy=repr(set(HEAVY))),
         "--data-dir", str(tmp_path / "data"), *arguments],
        capture_output=True, text=True, timeout=120, env=env, cwd=tmp_path)
    lines = [line for line in done.stdout.splitlines() if line.startswith("LOADED ")]
    assert lines, done.stderr[-3000:]
    return json.loads(lines[-1][len("LOADED "):])


def test_the_login_dialog_shows_before_any_heavy_library_loads(tmp_path):
    assert _loaded_at_login(tmp_path=tmp_path) == []


def test_an_archive_named_on_the_command_line_loads_nothing_heavy_either(tmp_path):
    archive = tmp_path / "office" / "archive.sqlite3"
    archive.parent.mkdir()
    assert _loaded_at_login("--database", f"sqlite:///{archive}", tmp_path=tmp_path) == []

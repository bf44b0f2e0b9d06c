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


# Logs in as soon as the dialog waits for typing, then reports once the window has shown its
# first screen (the list's first rows, the home page's tiles) and every reading of the start
# has finished.
FIRST_SCREEN = """
import json, os, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from crmdesk.ui import desk_session
from crmdesk.ui.dialogs import login

def log_in(self):
    self.username.setText("manager")
    self.password.setText({password!r})
    self.submit()
    return self.result()

def report(window):
    window.tasks.wait()
    QApplication.processEvents()
    print("LOADED " + json.dumps(sorted(m for m in {heavy} if m in sys.modules)), flush=True)
    os._exit(0)

start = desk_session.DeskSession.start

def started(self, actor):
    window = start(self, actor)
    window.customers.first_shown.connect(lambda *_: QTimer.singleShot(0, lambda: report(window)))
    return window

login.LoginDialog.exec = log_in
desk_session.DeskSession.start = started
from crmdesk import cli
cli.main(sys.argv[1:])
"""
# What the first screen of a manager needs: no workbook, PDF or chart library.
NOT_FOR_THE_FIRST_SCREEN = ("openpyxl", "xlsxwriter", "reportlab", "PySide6.QtCharts")


def test_the_first_screen_after_logging_in_loads_no_workbook_pdf_or_chart_library(
        archive, tmp_path):
    from crmdesk.services.demo import build_demo, set_demo_passwords

    build_demo(20)
    set_demo_passwords("first-screen-1", None)
    url = archive if isinstance(archive, str) else f"sqlite:///{archive}"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    env.pop("CRMDESK_USER", None)
    child = FIRST_SCREEN.format(password="first-screen-1", heavy=repr(set(
        NOT_FOR_THE_FIRST_SCREEN)))
    done = subprocess.run(
        [sys.executable, "-c", child, "--data-dir", str(tmp_path / "data"), "--database", url],
        capture_output=True, text=True, timeout=120, env=env, cwd=tmp_path)
    lines = [line for line in done.stdout.splitlines() if line.startswith("LOADED ")]
    assert lines, done.stderr[-3000:]
    assert json.loads(lines[-1][len("LOADED "):]) == []


def test_a_window_start_reads_its_options_without_building_every_command():
    from crmdesk.cli import _window_start

    args = _window_start(["--data-dir", "office", "--lang", "en", "--user", "lina"])
    assert (args.data_dir, args.lang, args.user, args.database, args.debug) == (
        "office", "en", "lina", None, False)
    # A command, help, the version or a mistake go to the whole parser and its messages.
    for argv in (["demo"], ["--data-dir", "office", "customers"], ["-h"], ["--version"],
                 ["--lang", "fr"], ["--data-dir"], ["--unknown"]):
        assert _window_start(argv) is None, argv

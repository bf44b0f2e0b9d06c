"""Start-up as a user sees it: process start to the login dialog ready for typing, and to the
first screen after logging in, cold and warm, printed as one JSON object.

    python benchmarks/bench_startup.py --archive PATH --user manager --password PW [--repeat N]

Each run starts ``crmdesk --database sqlite:///ARCHIVE`` in a child process (offscreen Qt). The
login dialog counts as ready when it is first painted (it has the keyboard focus then); the
child then fills in the user name and password at once (typing is not start-up time) and the
first screen counts as shown when the main window is painted and the customer list has painted
its first screen of rows. *Cold* is the first run after a build: Python starts with an empty
bytecode cache of its own (every module compiled from source) on a newly opened archive; the
system's file cache cannot be emptied on a shared machine, so disk reads are not in it. *Warm*
runs repeat the start with the cache filled. The archive is opened, not changed, apart from
the login's own audit entries.
"""
from __future__ import annotations

import time

STARTED = time.time()  # before any other import: the child measures from here

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

TARGET_MS = {"warm": 1000, "cold": 2500}


def child(archive: Path, data_dir: Path, user: str, password: str) -> None:
    """(child process) Start crmdesk, log in as soon as the dialog is ready, leave at the list."""
    import faulthandler

    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow

    from crmdesk import cli
    from crmdesk.ui.dialogs.login import LoginDialog

    faulthandler.dump_traceback_later(120, exit=True)
    marks: dict = {"started": STARTED}
    app = QApplication(sys.argv[:1])
    heavy = ("openpyxl", "xlsxwriter", "reportlab", "pypinyin", "cryptography",
             "PySide6.QtCharts")

    def log_in(dialog: LoginDialog) -> None:
        marks["loaded_at_login"] = sorted(m for m in heavy if m in sys.modules)
        dialog.username.setText(user)
        dialog.password.setText(password)
        dialog.submit()

    def list_ready() -> None:
        window = next(w for w in app.topLevelWidgets() if isinstance(w, QMainWindow))
        window.customers.view.viewport().repaint()
        marks["list_ready"] = time.time()
        marks["loaded_at_first_screen"] = sorted(m for m in heavy if m in sys.modules)
        print("BENCH " + json.dumps(marks), flush=True)
        os._exit(0)

    class Watch(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            kind = event.type()
            if isinstance(obj, LoginDialog) and kind == QEvent.Type.Paint \
                    and "login_ready" not in marks:
                marks["login_ready"] = time.time()
                QTimer.singleShot(0, lambda d=obj: log_in(d))
            elif isinstance(obj, QMainWindow) and kind == QEvent.Type.Paint:
                marks.setdefault("window", time.time())
            elif isinstance(obj, QMainWindow) and kind == QEvent.Type.Show \
                    and not marks.get("list_watched"):
                obj.customers.searched.connect(list_ready)
                marks["list_watched"] = True
            return False

    watch = Watch()
    app.installEventFilter(watch)
    cli.main(["--data-dir", str(data_dir), "--database", f"sqlite:///{archive}"])
    sys.exit("the window closed before the list was shown")


def one_start(args: argparse.Namespace, data_dir: Path, env: dict) -> dict:
    """Spawn one child; milliseconds from spawn to each mark."""
    spawned = time.time()
    done = subprocess.run([sys.executable, __file__, "--child", "--archive", str(args.archive),
                           "--data-dir", str(data_dir), "--user", args.user,
                           "--password", args.password], capture_output=True, text=True,
                          timeout=180, env=env)
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith("BENCH ")]
    if done.returncode or not lines:
        sys.exit(f"bench_startup: the child failed:\n{done.stdout}\n{done.stderr[-3000:]}")
    marks = json.loads(lines[-1][len("BENCH "):])
    return {"login_ready_ms": round((marks["login_ready"] - spawned) * 1000, 1),
            "window_ms": round((marks["window"] - spawned) * 1000, 1),
            "first_screen_ms": round((marks["list_ready"] - spawned) * 1000, 1),
            "interpreter_ms": round((marks["started"] - spawned) * 1000, 1),
            "loaded_at_login": marks["loaded_at_login"],
            "loaded_at_first_screen": marks["loaded_at_first_screen"],
            "load_avg_1m": round(os.getloadavg()[0], 2)}


def summary(runs: list[dict], key: str, target: float) -> dict:
    """Median and p90 of one mark over the runs, with the target."""
    from bench import stats

    result = stats([r[key] for r in runs])
    result.update(target_ms=target, **{"pass": result["median_ms"] <= target})
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archive", type=Path, required=True)
    parser.add_argument("--user", default="manager")
    parser.add_argument("--password", required=True)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--cold", type=int, default=3, help="cold runs (each a fresh cache)")
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.archive.resolve(), args.data_dir, args.user, args.password)
        return
    args.archive = args.archive.resolve()
    with tempfile.TemporaryDirectory() as work:
        data_dir = Path(work) / "data"
        cold = []
        for i in range(args.cold):
            env = dict(os.environ, PYTHONPYCACHEPREFIX=str(Path(work) / f"pycache-{i}"))
            cold.append(one_start(args, data_dir, env))
        warm = [one_start(args, data_dir, dict(os.environ)) for _ in range(args.repeat + 1)][1:]
    report = {
        "archive": str(args.archive), "cold_runs": cold, "warm_runs": warm,
        "cold": "first start after a build: empty bytecode cache, archive newly opened; the "
                "system's file cache stays warm",
        "figures": {f"{kind}_{mark}": summary(runs, f"{mark}_ms", TARGET_MS[kind])
                    for kind, runs in (("cold", cold), ("warm", warm))
                    for mark in ("login_ready", "first_screen")},
    }
    for kind, runs in (("cold", cold), ("warm", warm)):
        report["figures"][f"{kind}_window"] = summary(runs, "window_ms", TARGET_MS[kind])
    print(json.dumps(report, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()

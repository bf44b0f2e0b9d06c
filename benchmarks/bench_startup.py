"""Start-up as a user sees it: process start to the login dialog ready for typing, and from
logging in to the first screen, cold and warm, beside a bare Qt start, printed as one JSON object.

    python benchmarks/bench_startup.py --archive PATH --user manager --password PW [--repeat N]

Each run starts ``crmdesk --database sqlite:///ARCHIVE`` in a child process (offscreen Qt). The
login dialog counts as ready when it is first painted (it has the keyboard focus then); the
child then fills in the user name and password at once (typing is not start-up time) and
submits them; ``--typing-ms`` lets that much time pass first, as a person typing does (the
window's modules load meanwhile). The first screen counts as shown when the main window is
painted, its home page (the first tab) has shown its tiles and the customer list has painted
its first screen of rows; the list's count, which follows, is timed apart. Two spans have
the targets: spawn to the login dialog, and submitting the login to the first screen.

*Cold* is the first start after a build: Python's bytecode cache is empty (every module,
crmdesk's and the libraries', is compiled from source and written to a cache of the run's
own) and the archive is newly opened; the system's file cache cannot be emptied on a shared
machine, so disk reads are not in it. *Warm* runs repeat the start with that cache filled (one
untimed start fills it). The bytecode cache lives in a temporary folder (PYTHONPYCACHEPREFIX),
so the runs neither depend on nor write the project's own ``__pycache__`` folders.

The floor beside each figure: a bare PySide6 process showing a dialog with a line edit until it
is painted (the same cold or warm cache), and the password check itself (argon2id at the
archive's cost), which every login pays. The archive is opened, not changed, apart from the
login's own audit entries.
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
HEAVY = ("openpyxl", "xlsxwriter", "reportlab", "pypinyin", "cryptography", "PySide6.QtCharts")

# The floor: the least a Qt start to a dialog ready for typing costs on this machine.
BARE_DIALOG = """
import time
started = time.time()
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QDialog, QFormLayout, QLineEdit
app = QApplication([])
dialog = QDialog()
QFormLayout(dialog).addRow("name", QLineEdit(dialog))

class Painted(QObject):
    def eventFilter(self, obj, event):
        if obj is dialog and event.type() == QEvent.Type.Paint:
            print("BENCH %.6f" % started, flush=True)
            app.exit()
        return False

painted = Painted()
app.installEventFilter(painted)
dialog.show()
app.exec()
"""


def child(archive: Path, data_dir: Path, user: str, password: str, typing_ms: int) -> None:
    """(child process) Start crmdesk, log in as soon as the dialog is ready, leave once the
    first screen and the list's count are shown."""
    import faulthandler

    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow

    from crmdesk import cli
    from crmdesk.ui.dialogs.login import LoginDialog

    faulthandler.dump_traceback_later(120, exit=True)
    marks: dict = {"started": STARTED}
    app = QApplication(sys.argv[:1])
    waiting = {"list_first", "list_count", "home"}

    def loaded() -> list[str]:
        return sorted(m for m in HEAVY if m in sys.modules)

    def reached(mark: str) -> None:
        marks.setdefault(mark, time.time())
        waiting.discard(mark)
        if not waiting and "window" in marks:
            marks["loaded_at_first_screen"] = loaded()
            print("BENCH " + json.dumps(marks), flush=True)
            os._exit(0)

    def log_in(dialog: LoginDialog) -> None:
        marks["loaded_at_login"] = loaded()
        dialog.username.setText(user)
        dialog.password.setText(password)
        marks["submitted"] = time.time()
        dialog.submit()

    def watch_window(window: QMainWindow) -> None:
        from crmdesk.ui.pages.home.board import HomeBoard

        def list_painted(*_shown: object) -> None:
            window.customers.view.viewport().repaint()
            reached("list_first")

        window.customers.first_shown.connect(list_painted)
        window.customers.searched.connect(lambda *_: reached("list_count"))
        home = window.pages.widget(0)
        if not isinstance(home, HomeBoard):
            reached("home")
            return
        show_tiles = home.show_tiles

        def tiles_shown(tiles: dict) -> None:
            show_tiles(tiles)
            home.repaint()
            reached("home")

        home.show_tiles = tiles_shown

    class Watch(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            kind = event.type()
            if isinstance(obj, LoginDialog) and kind == QEvent.Type.Paint \
                    and "login_ready" not in marks:
                marks["login_ready"] = time.time()
                QTimer.singleShot(typing_ms, lambda d=obj: log_in(d))
            elif isinstance(obj, QMainWindow) and kind == QEvent.Type.Paint:
                marks.setdefault("window", time.time())
            elif isinstance(obj, QMainWindow) and kind == QEvent.Type.Show \
                    and not marks.get("list_watched"):
                watch_window(obj)
                marks["list_watched"] = True
            return False

    watch = Watch()
    app.installEventFilter(watch)
    cli.main(["--data-dir", str(data_dir), "--database", f"sqlite:///{archive}"])
    sys.exit("the window closed before the list was shown")


def _ms(marks: dict, mark: str, since: float) -> float:
    return round((marks[mark] - since) * 1000, 1)


def one_start(args: argparse.Namespace, data_dir: Path, env: dict) -> dict:
    """Spawn one child; milliseconds from spawn to each mark, and from the login on."""
    spawned = time.time()
    done = subprocess.run([sys.executable, __file__, "--child", "--archive", str(args.archive),
                           "--data-dir", str(data_dir), "--user", args.user,
                           "--password", args.password, "--typing-ms", str(args.typing_ms)],
                          capture_output=True, text=True,
                          timeout=180, env=env)
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith("BENCH ")]
    if done.returncode or not lines:
        sys.exit(f"bench_startup: the child failed:\n{done.stdout}\n{done.stderr[-3000:]}")
    marks = json.loads(lines[-1][len("BENCH "):])
    first_screen = max(marks[m] for m in ("window", "list_first", "home"))
    marks["first_screen"] = first_screen
    return {"login_ready_ms": _ms(marks, "login_ready", spawned),
            "after_login_ms": _ms(marks, "first_screen", marks["submitted"]),
            "first_screen_ms": _ms(marks, "first_screen", spawned),
            "window_after_login_ms": _ms(marks, "window", marks["submitted"]),
            "home_after_login_ms": _ms(marks, "home", marks["submitted"]),
            "list_first_after_login_ms": _ms(marks, "list_first", marks["submitted"]),
            "list_count_after_login_ms": _ms(marks, "list_count", marks["submitted"]),
            "interpreter_ms": _ms(marks, "started", spawned),
            "loaded_at_login": marks["loaded_at_login"],
            "loaded_at_first_screen": marks["loaded_at_first_screen"],
            "load_avg_1m": round(os.getloadavg()[0], 2)}


def bare_dialog(env: dict) -> float:
    """Milliseconds from spawn to a bare Qt dialog painted (the floor of the login figure)."""
    spawned = time.time()
    done = subprocess.run([sys.executable, "-c", BARE_DIALOG], capture_output=True, text=True,
                          timeout=60, env=env)
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith("BENCH ")]
    if done.returncode or not lines:
        sys.exit(f"bench_startup: the bare dialog failed:\n{done.stderr[-3000:]}")
    return round((time.time() - spawned) * 1000, 1)


def password_check_ms(repeat: int) -> list[float]:
    """Milliseconds of one argon2id check at the archive's cost (part of every login)."""
    from argon2 import PasswordHasher

    from crmdesk.services import accounts

    hasher = PasswordHasher.from_parameters(accounts.PROFILE)
    hashed = accounts.hash_password("a-password-1")
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        hasher.verify(hashed, "a-password-1")
        samples.append(round((time.perf_counter() - started) * 1000, 1))
    return samples


def environment(pycache: Path) -> dict:
    """The children's environment: bytecode cached in ``pycache`` (and written there)."""
    env = dict(os.environ, PYTHONPYCACHEPREFIX=str(pycache))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def summary(samples: list[float], target: float | None, floor: list[float] | None = None) -> dict:
    """Median and p90 of one figure over the runs, with its floor, ratio and target."""
    from bench import stats

    result = stats(samples)
    if floor:
        result["floor_ms"] = stats(floor)["median_ms"]
        result["ratio"] = round(result["median_ms"] / result["floor_ms"], 2)
    if target is not None:
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
    parser.add_argument("--typing-ms", type=int, default=0,
                        help="time the login dialog is left for typing before submitting")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.archive.resolve(), args.data_dir, args.user, args.password, args.typing_ms)
        return
    args.archive = args.archive.resolve()
    load_before = os.getloadavg()
    runs: dict[str, list[dict]] = {"cold": [], "warm": []}
    floors: dict[str, list[float]] = {"cold": [], "warm": []}
    with tempfile.TemporaryDirectory() as work:
        data_dir = Path(work) / "data"
        for i in range(args.cold):  # the app and the bare dialog alternate, each cache new
            runs["cold"].append(one_start(args, data_dir, environment(Path(work) / f"c{i}")))
            floors["cold"].append(bare_dialog(environment(Path(work) / f"f{i}")))
        warm, warm_floor = environment(Path(work) / "warm"), environment(Path(work) / "wf")
        one_start(args, data_dir, warm)  # fills the cache: not timed
        bare_dialog(warm_floor)
        for _ in range(args.repeat):
            runs["warm"].append(one_start(args, data_dir, warm))
            floors["warm"].append(bare_dialog(warm_floor))
    password = password_check_ms(args.repeat)
    figures = {}
    for kind in ("cold", "warm"):
        samples = runs[kind]
        figures[f"{kind}_login_ready"] = summary([r["login_ready_ms"] for r in samples],
                                                 TARGET_MS[kind], floors[kind])
        figures[f"{kind}_after_login"] = summary([r["after_login_ms"] for r in samples],
                                                 TARGET_MS[kind], password)
        figures[f"{kind}_first_screen_from_spawn"] = summary(
            [r["first_screen_ms"] for r in samples], None)
        for part in ("window", "home", "list_first", "list_count"):
            figures[f"{kind}_{part}_after_login"] = summary(
                [r[f"{part}_after_login_ms"] for r in samples], None)
    report = {
        "archive": args.archive.name, "typing_ms": args.typing_ms,
        "cold_runs": runs["cold"], "warm_runs": runs["warm"],
        "bare_dialog_runs": floors, "password_check_runs": password,
        "cold": "first start after a build: empty bytecode cache (every module compiled from "
                "source), archive newly opened; the system's file cache stays warm",
        "warm": "bytecode cache filled by one untimed start",
        "first_screen": "main window painted, home page tiles shown and the customer list's "
                        "first screen painted; after_login counts from submitting the login",
        "floors": "login_ready: a bare PySide6 dialog painted; after_login: one argon2id "
                  "password check",
        "load_avg": {"before": [round(x, 2) for x in load_before],
                     "after": [round(x, 2) for x in os.getloadavg()]},
        "figures": figures,
    }
    print(json.dumps(report, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()

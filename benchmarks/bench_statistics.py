"""Speed of the manager's statistics at scale, beside the SQL floor, printed as JSON.

    python benchmarks/bench_statistics.py ARCHIVE [ARCHIVE ...] [--repeat 7] [--as-of D]
                                          [--salesperson lina] [--reports NAME ...]
                                          [--periods day month year] [--telesales-scheme]

Each ARCHIVE is a demo archive file (``crmdesk --data-dir DIR demo --customers N`` makes
DIR/archive.sqlite3: a 20,000 and a 200,000 one); an encrypted archive is unlocked with the
demo manager's password from ``CRMDESK_PASSWORD``. Reading a report puts it on the audit
trail, so use a copy you do not mind growing.

For every report, for the day, the month and the year holding ``--as-of`` (default the day of
the archive's latest contact), as the demo manager (the whole office) and as a salesperson
(``--salesperson``, their own figures): ``statistics.run`` timed ``--repeat`` times after one
untimed warm-up, median and p90 of the wall clock and the median of this process's processor
time (which a busy shared machine does not inflate), and beside them the floor: the report's
own SELECT statements (its GROUP BY queries) replayed through the database driver, with no
peewee and no Python summing; ``ratio_app_raw`` is the app over that floor. For the manager's
year it also times a click on the report's first total (``statistics.drill``, which reads the
records then). The 1-minute load average is recorded before each figure: on a shared machine
read the medians beside it. The target is the issue's: any report over a year at 200,000
customers within 500 ms.

A report the archive does not offer (the telesales statistics without the telesales level
scheme) is left out, unless ``--telesales-scheme`` first applies that scheme to the archive
(as the demo manager, audited: a copy, again).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench import compare, figure, note, statements_of, time_runs  # noqa: E402

from crmdesk.models import Communication, Customer, Staff  # noqa: E402
from crmdesk.models.db import close_database, database, open_database  # noqa: E402
from crmdesk.services import archive_keys, levels  # noqa: E402
from crmdesk.services import statistics as reports  # noqa: E402
from crmdesk.services.context import Actor  # noqa: E402
from crmdesk.services.statistics import available_reports  # noqa: E402
from crmdesk.services.statistics.periods import Period, period_of  # noqa: E402

TARGET_MS = 500
PERIODS = ("day", "month", "year")
MANAGER = "manager"


def load() -> float:
    """The 1-minute load average now."""
    return round(os.getloadavg()[0], 2)


def floor_of(call: Callable[[], object]) -> Callable[[], None]:
    """The SELECT statements ``call`` runs, to be replayed through the driver's own cursor."""
    selects = [(sql, params) for sql, params in statements_of(call)
               if sql.lstrip().upper().startswith(("SELECT", "WITH"))]

    def replay() -> None:
        cursor = database.cursor()
        for sql, params in selects:
            cursor.execute(sql, params)
            cursor.fetchall()

    return replay


class ProcessorTime:
    """Wraps a call to note this process's processor time of each run: a shared, busy machine
    inflates the wall clock but not that (SQLite's work counts, it runs in this process)."""

    def __init__(self, call: Callable[[], object]) -> None:
        self.call, self.samples = call, []

    def __call__(self) -> None:
        start = time.process_time()
        self.call()
        self.samples.append((time.process_time() - start) * 1000)

    def median_ms(self) -> float:
        """The median of the timed runs (``compare`` runs each twice: warm-up, then timed)."""
        return round(statistics.median(self.samples[1::2]), 1)


def first_total(report: reports.Report) -> reports.Figure | None:
    """The first count of the report's first section's last row (its total, if it has one)."""
    for cell in report.sections[0].rows[-1] if report.sections[0].rows else ():
        if cell.drill is not None:
            return cell
    return None


def measure_report(name: str, kind: str, period: Period, actor: Actor, repeat: int,
                   with_drill: bool) -> dict:
    """One report for one period as one reader: the app beside its SQL floor."""
    run = lambda: reports.run(name, period, actor)  # noqa: E731
    report = run()
    about = {"report": name, "period": kind, "from": period.start.isoformat(),
             "to": period.end.isoformat(), "load_1min": load(),
             "statements": len(statements_of(run))}
    app, raw = ProcessorTime(run), ProcessorTime(floor_of(run))
    app_ms, raw_ms = compare(app, raw, repeat)
    result = figure(app_ms, TARGET_MS, raw_ms, **about)
    result["cpu_median_ms"], result["raw_cpu_median_ms"] = app.median_ms(), raw.median_ms()
    total = first_total(report)
    if with_drill and total is not None:
        listed = len(reports.drill(total, actor))
        result["drill"] = figure(time_runs(lambda: reports.drill(total, actor), repeat),
                                 None, rows=listed, load_1min=load())
    return result


def unlock_if_encrypted(path: Path) -> None:
    """Unlock an encrypted archive with the demo manager's password (CRMDESK_PASSWORD)."""
    if not path.with_name(path.name + ".keys").exists():
        return
    password = os.environ.get("CRMDESK_PASSWORD")
    if not password:
        sys.exit(f"bench: {path} is encrypted; set CRMDESK_PASSWORD to the manager's password")
    archive_keys.unlock(path, MANAGER, password)


def measure_archive(path: Path, as_of: dt.date | None, salesperson: str, repeat: int,
                    reports: list[str], periods: list[str], telesales_scheme: bool) -> dict:
    """Every report and period on one archive, as the manager and as the salesperson."""
    unlock_if_encrypted(path)
    open_database(path)
    try:
        if telesales_scheme:
            levels.apply_preset("telesales", Actor.of(Staff.get(Staff.username == MANAGER)))
        offered = {kind.name for kind in available_reports()}
        reports = [name for name in reports if name in offered]
        customers = Customer.select().count()
        latest = Communication.select(Communication.contacted_at).order_by(
            Communication.contacted_at.desc()).limit(1).scalar()
        day = as_of or (latest.date() if latest else dt.date.today())
        readers = {role: Actor.of(Staff.get(Staff.username == username))
                   for role, username in (("manager", MANAGER), ("salesperson", salesperson))}
        note(f"{path}: {customers} customers, as of {day}")
        figures = []
        for name in reports:
            for kind in periods:
                for role, actor in readers.items():
                    result = measure_report(name, kind, period_of(kind, day), actor, repeat,
                                            with_drill=role == "manager" and kind == "year")
                    result["reader"] = role
                    figures.append(result)
                    note(f"{name:10s} {kind:5s} {role:11s} {result['median_ms']:8.1f} ms "
                         f"(floor {result['raw_median_ms']:.1f}; processor "
                         f"{result['cpu_median_ms']:.1f}, floor {result['raw_cpu_median_ms']:.1f}; "
                         f"load {result['load_1min']})")
        return {"archive": str(path), "customers": customers,
                "communications": Communication.select().count(), "as_of": day.isoformat(),
                "backend": type(database.obj).__name__, "figures": figures}
    finally:
        close_database()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("archives", nargs="+", type=Path, metavar="ARCHIVE")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--as-of", type=dt.date.fromisoformat)
    parser.add_argument("--salesperson", default="lina",
                        help="the demo salesperson reading their own figures (default lina)")
    parser.add_argument("--reports", nargs="+", choices=list(reports.REPORTS),
                        default=list(reports.REPORTS))
    parser.add_argument("--periods", nargs="+", choices=PERIODS, default=list(PERIODS))
    parser.add_argument("--telesales-scheme", action="store_true",
                        help="apply the telesales level scheme first (changes the archive)")
    args = parser.parse_args(argv)
    for path in args.archives:
        if not path.is_file():
            parser.error(f"no archive file at {path}")
    results = [measure_archive(path, args.as_of, args.salesperson, args.repeat, args.reports,
                               args.periods, args.telesales_scheme)
               for path in args.archives]
    slowest = max((f for r in results for f in r["figures"]), key=lambda f: f["median_ms"])
    print(json.dumps({"target_ms": TARGET_MS, "cpu_count": os.cpu_count(),
                      "archives": results,
                      "slowest": {k: slowest[k] for k in ("report", "period", "reader",
                                                         "median_ms", "p90_ms")}},
                     ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

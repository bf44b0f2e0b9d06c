"""Every path of the speed targets, as a manager and as a salesperson, in one JSON report.

    python benchmarks/run.py --customers 200000 [--archive PATH] [--repeat N] [--io] [--parts LIST]
                             [--postgresql URL]

The archive (default benchmarks/out/archive-<N>.sqlite3, git-ignored) is built with the demo data
unless the file already holds N customers (bench.ensure_archive). Each figure is timed as the
demo manager (sees every archive but others' 绝密 ones) and as a salesperson (李娜: the same
search, her own follow-ups), and carries its median and p90, the raw SQL floor (hand-written
SQL giving the same answer through the plain sqlite3 module, timed in alternating runs), the
ratio of the two, the target and pass/fail:

- search as typed, keystroke by keystroke ("1", "13", "138"; "z", "zw"; "张", "张伟"; "新";
  archive numbers) and finished words: the first screen of ids and its rows (what the list
  shows), and the whole id list (the count and scroll bar that follow). *Cold* runs start on a
  fresh database connection (SQLite's page cache empty; the system's file cache stays warm),
  *warm* ones repeat the query. Each query's ids are compared with the raw SQL's;
- the overdue list's first screen, its count and the dashboard counts;
- opening a card: the service, every read the card window makes, and the card window itself
  opening the card until it is painted (all tabs filled, the ownership panel, deals,
  appointments, complaints and value read), with statements counted;
- a backup of the archive, against a plain copy of the file;
- with ``--io``: import and export on copies of the same archive (benchmarks/bench_import.py
  in its own processes);
- with ``--postgresql URL``: the shared archive on that PostgreSQL server, holding the same demo
  customers (built there when missing): search as typed and the follow-up lists as the manager,
  each beside its raw SQL floor on the server and the same figure on this SQLite archive, with
  the ids compared (benchmarks/bench_postgresql.py in its own process).

- the home page, whole and tile by tile, target 50 ms (benchmarks/home_page.py);
- the customer list's first paint: a click on a column header (archive number, level both
  ways) until the first screen is painted (benchmarks/list_paint.py).

Painted figures other than the card window and the list (start-up to the login dialog) are
not timed here yet. The machine's load average is recorded before and after every
part: on a shared machine, compare ratios rather than single figures.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import (
    OUT,
    ROOT,
    Raw,
    busy_customer,
    compare,
    ensure_archive,
    figure,
    ms_since,
    note,
    statements_of,
)
from home_page import measure_home
from list_paint import measure_list_paint

DEFAULT_REPEAT = 9
SALESPERSON = "lina"
# What is typed into the search box, one keystroke after another, and finished words.
KEYSTROKES = {
    "digits": ("1", "13", "138"),
    "pinyin_initials": ("z", "zw"),
    "name": ("张", "张伟"),
    "company_char": ("新",),
    "archive_no": ("KH2026", "KH20260001", "KH2026000123"),
}
FINISHED = {"full_pinyin": "zhangwei", "company_word": "新纪元", "mobile_last_4": "1234"}
TARGET_MS = {"keystroke": 30, "keystroke_p90": 60, "overdue_first_screen": 30,
             "overdue_counts": 50, "card_open": 30, "backup": 5000}
MAX_CARD_STATEMENTS = 8


def load() -> float:
    """The 1-minute load average now."""
    return round(os.getloadavg()[0], 2)


def with_p90_target(result: dict, p90_target: float) -> dict:
    """Add the p90 target to a figure and fold it into its pass flag."""
    result["target_p90_ms"] = p90_target
    result["pass"] = bool(result.get("pass")) and result["p90_ms"] <= p90_target
    return result


class Session:
    """One person at a desk: the actor and the raw SQL floor that sees what they see."""

    def __init__(self, path: Path, username: str) -> None:
        from crmdesk.models import Staff
        from crmdesk.services.context import Actor

        self.username = username
        self.actor = Actor.of(Staff.get(Staff.username == username))
        self.raw = Raw(path, self.actor.staff_id)


# -- search ------------------------------------------------------------------------------------


def measure_query(session: Session, text: str, repeat: int) -> dict:
    """One query: first screen cold and warm, the whole id list, all beside raw SQL."""
    from crmdesk.models.db import database
    from crmdesk.services.search import FIRST_SCREEN, ListQuery, find_ids, first_screen, list_rows

    actor, raw, query = session.actor, session.raw, ListQuery(text=text)

    def screen() -> list[int]:
        ids = first_screen(query, actor)
        list_rows(ids, actor)
        return ids

    def raw_screen() -> list[int]:
        ids = raw.search(text, limit=FIRST_SCREEN)
        raw.rows(ids)
        return ids

    all_ids = find_ids(query, actor)
    raw_ids = raw.search(text)
    cold_ms, raw_cold_ms = compare(screen, raw_screen, repeat, setup=database.close)
    warm_ms, raw_warm_ms = compare(screen, raw_screen, repeat)
    total_ms, raw_total_ms = compare(lambda: find_ids(query, actor), lambda: raw.search(text),
                                     repeat)
    same = {"all_ids_same_as_raw": all_ids == raw_ids,
            "first_screen_same_as_raw": first_screen(query, actor) == raw_ids[:FIRST_SCREEN]}
    return {
        "query": text, "matches": len(all_ids), **same,
        "first_screen_cold": with_p90_target(
            figure(cold_ms, TARGET_MS["keystroke"], raw_cold_ms), TARGET_MS["keystroke_p90"]),
        "first_screen_warm": with_p90_target(
            figure(warm_ms, TARGET_MS["keystroke"], raw_warm_ms), TARGET_MS["keystroke_p90"]),
        "all_ids": figure(total_ms, None, raw_total_ms),
    }


def measure_search(session: Session, repeat: int) -> dict:
    """Every keystroke of every sequence, then the finished words."""
    results = {}
    for name, strokes in KEYSTROKES.items():
        results[name] = [measure_query(session, text, repeat) for text in strokes]
    for name, text in FINISHED.items():
        results[name] = [measure_query(session, text, repeat)]
    return results


# -- follow-ups --------------------------------------------------------------------------------


def as_of_day(raw: Raw) -> dt.date:
    """The day of the archive's latest contact: the demo's 'today', whenever it is measured."""
    latest = raw.con.execute("SELECT max(last_contact_at) FROM customer").fetchone()[0]
    return dt.date.fromisoformat(latest[:10]) if latest else dt.date.today()


class RawFollowUp:
    """The overdue list and the dashboard counts in hand-written SQL for one person."""

    def __init__(self, session: Session, as_of: dt.date, own_only: bool) -> None:
        levels = [row[0] for row in session.raw.con.execute(
            "SELECT id FROM level WHERE interval_days IS NOT NULL ORDER BY sort_order, id")]
        self.con, self.as_of = session.raw.con, as_of
        followed = ("status NOT IN ('lost', 'invalid') AND next_follow_up IS NOT NULL "
                    f"AND +level_id IN ({','.join(map(str, levels))}) AND {session.raw.visible}")
        if own_only:
            followed += f" AND owner_id = {int(session.actor.staff_id)}"
        self.followed = followed
        self.rank = "CASE level_id " + " ".join(
            f"WHEN {lv} THEN {i}" for i, lv in enumerate(levels)) + f" ELSE {len(levels)} END"

    def first_screen_ids(self, limit: int) -> list[int]:
        return [r[0] for r in self.con.execute(
            f"SELECT id FROM customer WHERE {self.followed} AND next_follow_up < ? "
            f"ORDER BY next_follow_up, {self.rank}, id LIMIT {limit}", (self.as_of.isoformat(),))]

    def first_screen(self, limit: int) -> list:
        ids = self.first_screen_ids(limit)
        return self.con.execute(
            "SELECT c.id, c.archive_no, c.name, c.mobile, c.level_id, c.owner_id, c.source, "
            "c.next_follow_up, m.contacted_at, m.method, m.conclusion FROM customer c "
            "LEFT JOIN communication m ON m.id = (SELECT id FROM communication "
            "WHERE customer_id = c.id ORDER BY contacted_at DESC, seq DESC LIMIT 1) "
            f"WHERE c.id IN ({','.join(map(str, ids)) or 'NULL'})").fetchall()

    def count(self, extra: str, *params: str) -> int:
        return self.con.execute(f"SELECT count(*) FROM customer WHERE {self.followed} AND {extra}",
                                params).fetchone()[0]

    def counts(self) -> tuple[int, ...]:
        day, week = self.as_of.isoformat(), (self.as_of + dt.timedelta(days=7)).isoformat()
        return (self.count("next_follow_up < ?", day), self.count("next_follow_up = ?", day),
                self.count("next_follow_up >= ? AND next_follow_up < ?", day, week),
                self.count("last_contact_at IS NULL"))


def measure_followup(session: Session, as_of: dt.date, repeat: int) -> dict:
    """The overdue page's first screen, its count, and the dashboard's four counts."""
    from crmdesk.services import followup

    actor = session.actor
    raw = RawFollowUp(session, as_of, followup.own_customers_only(actor) is not None)
    found = followup.counts(as_of, actor)
    app_counts = (found.overdue, found.due_today, found.due_this_week, found.never_contacted)
    screen = [r.customer_id for r in followup.overdue(as_of, actor=actor)]
    results = {"as_of": as_of.isoformat(), "overdue": found.overdue,
               "counts_same_as_raw": app_counts == raw.counts(),
               "first_screen_same_as_raw":
                   screen == raw.first_screen_ids(followup.FIRST_SCREEN)}
    timed = {
        "overdue_first_screen": (lambda: followup.overdue(as_of, actor=actor),
                                 lambda: raw.first_screen(followup.FIRST_SCREEN)),
        "overdue_count": (lambda: followup.overdue_count(as_of, actor=actor),
                          lambda: raw.count("next_follow_up < ?", as_of.isoformat())),
        "dashboard_counts": (lambda: followup.counts(as_of, actor), raw.counts),
    }
    targets = {"overdue_first_screen": TARGET_MS["overdue_first_screen"],
               "overdue_count": TARGET_MS["overdue_counts"],
               "dashboard_counts": TARGET_MS["overdue_counts"]}
    for name, (app, plain) in timed.items():
        app_ms, raw_ms = compare(app, plain, repeat)
        results[name] = figure(app_ms, targets[name], raw_ms,
                               statements=len(statements_of(app)))
    return results


# -- the card ----------------------------------------------------------------------------------


def own_busy_customer(session: Session) -> int:
    """The salesperson's own customer with the longest log."""
    return session.raw.con.execute(
        "SELECT c.id FROM customer c JOIN communication m ON m.customer_id = c.id "
        "WHERE c.owner_id = ? GROUP BY c.id ORDER BY count(*) DESC, c.id LIMIT 1",
        (session.actor.staff_id,)).fetchone()[0]


def card_as_window_reads_it(customer_id: int, actor: object) -> None:
    """Every read the card window makes to show a card (all tabs and the ownership panel)."""
    from crmdesk.services.card_view import open_card_view
    from crmdesk.services.customers import archive_number

    view = open_card_view(customer_id, actor)
    archive_number(view.card.values.get("referrer"))


class CardWindow:
    """The card editor on the offscreen platform, its operations run inline: ``open`` returns
    once every read of the opening has been shown and the card painted."""

    def __init__(self, actor: object) -> None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from PySide6.QtWidgets import QApplication

        from crmdesk.ui.app import install_font
        from crmdesk.ui.card.editor import CardEditor
        from crmdesk.ui.operations import Operations

        self.app = QApplication.instance() or QApplication(sys.argv[:1])
        install_font(self.app)
        operations = Operations()
        operations.inline = True
        self.editor = CardEditor(actor, operations)
        self.editor.resize(1000, 800)
        self.editor.show()
        self.app.processEvents()

    def open(self, customer_id: int) -> None:
        self.editor.load(customer_id)
        self.editor.repaint()


def measure_card(session: Session, customer_id: int, repeat: int) -> dict:
    """Open a card: the service alone and with every read of the card window, statements
    counted; the painting is not included."""
    from crmdesk.services.customers import get_card, open_card

    actor, raw = session.actor, session.raw
    card = get_card(customer_id)
    about = {"customer_id": customer_id, "log_lines": len(card.communications),
             "decision_people": len(card.decision_people), "purchases": len(card.purchases)}
    results = {}
    for name, app in (("open_card", lambda: open_card(customer_id, actor)),
                      ("as_window_reads_it", lambda: card_as_window_reads_it(customer_id, actor))):
        statements = len(statements_of(app))
        app_ms, raw_ms = compare(app, lambda: raw.open_card(customer_id), repeat)
        results[name] = figure(app_ms, TARGET_MS["card_open"], raw_ms, **about,
                               statements=statements, max_statements=MAX_CARD_STATEMENTS,
                               statements_pass=statements <= MAX_CARD_STATEMENTS)
    window = CardWindow(actor)
    statements = len(statements_of(lambda: window.open(customer_id)))
    app_ms, raw_ms = compare(lambda: window.open(customer_id), lambda: raw.open_card(customer_id),
                             repeat)
    results["window_painted"] = figure(
        app_ms, TARGET_MS["card_open"], raw_ms, **about, statements=statements,
        max_statements=MAX_CARD_STATEMENTS, statements_pass=statements <= MAX_CARD_STATEMENTS,
        what="CardEditor.load with every read of the opening shown, then painted")
    return results


# -- backup, import and export -----------------------------------------------------------------


def timed_once(work: Callable[[], object]) -> float:
    """Milliseconds of one run of ``work``."""
    start = time.perf_counter()
    work()
    return ms_since(start)


def measure_backup(path: Path, session: Session, repeat: int) -> dict:
    """A backup through the service (snapshot and verification) against a plain file copy."""
    from crmdesk.services.backup import back_up_to_file

    app_ms: list[float] = []
    raw_ms: list[float] = []
    with tempfile.TemporaryDirectory(dir=path.parent) as work:
        target, copy = Path(work) / "backup.sqlite3", Path(work) / "copy.sqlite3"
        # Without compare()'s untimed warm-up run each: a backup takes seconds, and the copy
        # before it already brings the file into the cache.
        for _ in range(repeat):
            raw_ms += [timed_once(lambda: shutil.copyfile(path, copy))]
            app_ms += [timed_once(lambda: back_up_to_file(session.actor, target))]
    return figure(app_ms, TARGET_MS["backup"], raw_ms,
                  archive_mib=round(path.stat().st_size / 2**20, 1),
                  what="services.backup.back_up_to_file; raw: copying the file")


def measure_io(path: Path) -> dict:
    """Import 50,000 rows into copies of the archive at ``path`` and export all of its
    customers, every column (bench_import.py, with its raw floors)."""
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_import.py"),
                           "--rows", "50000", "--archive-file", str(path), "--repeat", "1",
                           "--export"], capture_output=True, text=True)
    if done.returncode:
        return {"failed": done.stderr[-2000:]}
    return json.loads(done.stdout)


def measure_postgresql(path: Path, customers: int, url: str, repeat: int) -> dict:
    """The same demo customers on the PostgreSQL archive at ``url`` beside the SQLite one at
    ``path`` (bench_postgresql.py, with its raw floors on the server)."""
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_postgresql.py"),
                           "--customers", str(customers), "--database", url, "--archive",
                           str(path), "--repeat", str(repeat)], capture_output=True, text=True)
    if done.returncode:
        return {"failed": done.stderr[-2000:]}
    return json.loads(done.stdout)


# -- putting it together -----------------------------------------------------------------------


def timed_part(loads: dict, name: str, work: Callable[[], object]) -> object:
    """Run one part of the report, noting the load average before and after it."""
    note(f"{name} (load {load()}) ...")
    before = load()
    result = work()
    loads[name] = {"before": before, "after": load()}
    return result


PARTS = ("search", "followup", "card", "list", "home", "backup")


def run(path: Path, customers: int, repeat: int, with_io: bool,
        parts: tuple[str, ...] = PARTS, postgresql: str | None = None) -> dict:
    """Every measurement (of ``parts``), in one JSON-ready dict."""
    from crmdesk.models.db import open_database

    loads: dict = {}
    build = ensure_archive(path, customers)
    open_database(path)
    people = {"manager": Session(path, "manager"), "salesperson": Session(path, SALESPERSON)}
    as_of = as_of_day(people["manager"].raw)
    cards = {"manager": busy_customer(people["manager"].actor),
             "salesperson": own_busy_customer(people["salesperson"])}
    report: dict = {"customers": customers, "archive": str(path), "repeat": repeat,
                    "started": dt.datetime.now().isoformat(timespec="seconds"),
                    "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                                "sqlite": sqlite3.sqlite_version},
                    "build": build, "load_avg_1m": loads,
                    "not_measured": "start-up to the login dialog and to the first screen"}
    for who, session in people.items():
        measures: dict[str, Callable[[], object]] = {
            "search": lambda s=session: measure_search(s, repeat),
            "followup": lambda s=session: measure_followup(s, as_of, repeat),
            "card": lambda s=session, w=who: measure_card(s, cards[w], repeat),
            "list": lambda s=session: measure_list_paint(s.actor, s.raw, repeat),
            "home": lambda s=session: measure_home(s, as_of, repeat),
        }
        report[who] = {part: timed_part(loads, f"{who} {part}", measure)
                       for part, measure in measures.items() if part in parts}
    if "backup" in parts:
        report["backup"] = timed_part(loads, "backup", lambda: measure_backup(
            path, people["manager"], max(2, repeat // 3)))
    if with_io:
        report["import_export"] = timed_part(loads, "import and export",
                                             lambda: measure_io(path))
    if postgresql:
        report["postgresql"] = timed_part(loads, "postgresql", lambda: measure_postgresql(
            path, customers, postgresql, repeat))
    report["missed"] = sorted(missed(report))
    return report


def missed(node: object, trail: str = "") -> list[str]:
    """Where in the report a figure failed its target or a result differed from raw SQL."""
    found = []
    if isinstance(node, dict):
        if node.get("pass") is False or node.get("statements_pass") is False:
            found.append(trail)
        for key, value in node.items():
            if key.endswith("same_as_raw") and value is False:
                found.append(f"{trail}.{key}")
            found += missed(value, f"{trail}.{key}" if trail else key)
    elif isinstance(node, list):
        for item in node:
            label = item.get("query", "") if isinstance(item, dict) else ""
            found += missed(item, f"{trail}[{label}]")
    return found


def table(report: dict) -> list[str]:
    """The report as Markdown rows: path, person, median, p90, raw floor, ratio, target, pass."""
    lines = ["| path | who | median ms | p90 ms | raw ms | ratio | target | pass |",
             "|---|---|---|---|---|---|---|---|"]

    def row(path: str, who: str, f: dict) -> None:
        target = f.get("target_ms", "")
        passed = {True: "yes", False: "NO"}.get(f.get("pass"), "")
        lines.append(f"| {path} | {who} | {f['median_ms']} | {f['p90_ms']} | "
                     f"{f.get('raw_median_ms', '')} | {f.get('ratio_app_raw', '')} | {target} | "
                     f"{passed} |")

    for who in ("manager", "salesperson"):
        for runs in report[who].get("search", {}).values():
            for q in runs:
                same = "" if q["all_ids_same_as_raw"] and q["first_screen_same_as_raw"] \
                    else " (ids differ from raw!)"
                for part in ("first_screen_cold", "first_screen_warm", "all_ids"):
                    row(f"search \"{q['query']}\" {part} ({q['matches']} found){same}", who,
                        q[part])
        for name in ("overdue_first_screen", "overdue_count", "dashboard_counts"):
            if "followup" in report[who]:
                row(name, who, report[who]["followup"][name])
        for name, f in report[who].get("card", {}).items():
            row(f"card {name} ({f['statements']} statements)", who, f)
        for name, f in report[who].get("list", {}).items():
            row(name, who, f)
        for name, f in report[who].get("home", {}).items():
            if isinstance(f, dict):
                row(f"home {name}", who, f)
    if "backup" in report:
        row("backup", "manager", report["backup"])
    for name, f in report.get("postgresql", {}).get("figures", {}).items():
        query = f" \"{f['query']}\" ({f['matches']} found)" if f.get("query") else ""
        if "first_screen" in f:
            row(f"PostgreSQL {name}{query} first screen", "manager", f["first_screen"])
            query += " whole list"
        row(f"PostgreSQL {name}{query}", "manager", f)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=200_000, metavar="N")
    parser.add_argument("--archive", type=Path, metavar="PATH",
                        help="archive file to reuse or build (default "
                             "benchmarks/out/archive-<N>.sqlite3)")
    parser.add_argument("--repeat", type=int, default=DEFAULT_REPEAT, metavar="N",
                        help=f"timed runs per figure (default {DEFAULT_REPEAT})")
    parser.add_argument("--io", action="store_true",
                        help="also time import and export (minutes at 200,000 customers)")
    parser.add_argument("--parts", default=",".join(PARTS), metavar="LIST",
                        help=f"the parts to time, comma-separated (default: {','.join(PARTS)})")
    parser.add_argument("--postgresql", metavar="URL",
                        help="also time the same paths on this PostgreSQL archive (built with "
                             "the demo customers when missing)")
    parser.add_argument("--label", default="", help="added to the results file's name")
    parser.add_argument("--table", type=Path, metavar="RESULTS",
                        help="print an earlier run's results as a Markdown table, and stop")
    args = parser.parse_args()
    if args.table:
        print("\n".join(table(json.loads(args.table.read_text()))))
        return
    path = (args.archive or OUT / f"archive-{args.customers}.sqlite3").resolve()
    parts = tuple(p for p in args.parts.split(",") if p)
    unknown = set(parts) - set(PARTS)
    if unknown:
        parser.error(f"no such part: {', '.join(sorted(unknown))}")
    report = run(path, args.customers, max(args.repeat, 2), args.io, parts, args.postgresql)
    OUT.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = OUT / f"run-{args.customers}{'-' + args.label if args.label else ''}-{stamp}.json"
    target.write_text(json.dumps(report, ensure_ascii=False, indent=1))
    note(f"written to {target}")
    print("\n".join(table(report)), file=sys.stderr)
    print(json.dumps({"results": str(target), "missed": report["missed"]}, ensure_ascii=False,
                     indent=1))


if __name__ == "__main__":
    main()

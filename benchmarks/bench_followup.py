"""Speed of the follow-up lists at scale: the overdue page's first screen, the dashboard counts,
due today, and the reminders, each as the median of several runs, printed as JSON.

    python benchmarks/bench_followup.py [ARCHIVE] [--customers N] [--as-of DATE] [--repeat R]
                                        [--user manager]

Every call acts as a logged-in member of staff (``--user``, default the demo manager; the
salesperson ``lina`` sees only her own customers), so the visibility rule is applied as at a
desk. benchmarks/run.py times the overdue list and the counts for a manager and a salesperson
together with every other path.

ARCHIVE is reused when it exists (it is upgraded like any archive) and built with N demo
customers (default 200,000, about ten contacts each) when it does not; without ARCHIVE a
temporary one is built. Every SQL statement a service call runs is also replayed through the
plain sqlite3 module, so ``peewee_ratio`` shows what the service layer costs on top of SQLite.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import statements_of

from crmdesk.models import Customer
from crmdesk.models.db import close_database, open_database
from crmdesk.services import followup, reminders
from crmdesk.services.context import Actor
from crmdesk.services.demo import build_demo
from crmdesk.services.followup import FollowUpFilter
from crmdesk.services.staff import find_staff

TARGET_MS = 50


def _median_ms(call: Callable[[], object], repeat: int) -> float:
    call()  # warm the cache once, as a desk that has been open a while
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 3)


def _adapt(value: object) -> object:
    return value.isoformat(" ") if isinstance(value, dt.datetime) else (
        value.isoformat() if isinstance(value, dt.date) else value)


def measure(name: str, call: Callable[[], object], raw: sqlite3.Connection | None,
            repeat: int) -> dict:
    """Median of the service call and, on SQLite, of its statements replayed raw."""
    result = {"name": name, "ms": _median_ms(call, repeat)}
    if raw is not None:
        statements = [(sql, tuple(_adapt(p) for p in params))
                      for sql, params in statements_of(call)]

        def replay() -> None:
            for sql, params in statements:
                raw.execute(sql, params).fetchall()

        result["raw_sqlite3_ms"] = _median_ms(replay, repeat)
        result["statements"] = len(statements)
        if result["raw_sqlite3_ms"]:
            result["peewee_ratio"] = round(result["ms"] / result["raw_sqlite3_ms"], 2)
    result["under_target"] = result["ms"] < TARGET_MS
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("archive", nargs="?", type=Path, help="archive file to reuse or build")
    parser.add_argument("--customers", type=int, default=200_000)
    parser.add_argument("--as-of", type=dt.date.fromisoformat,
                        help="the day to measure (default: the day of the latest contact)")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--user", default="manager",
                        help="the demo login acting (default manager; lina is a salesperson)")
    args = parser.parse_args(argv)
    folder = None
    if args.archive is None:
        folder = tempfile.TemporaryDirectory()
        args.archive = Path(folder.name) / "archive.sqlite3"
    existed = args.archive.exists()
    started = time.perf_counter()
    db = open_database(args.archive)
    upgrade_s = round(time.perf_counter() - started, 2)
    build_s = None
    if not existed:
        started = time.perf_counter()
        build_demo(args.customers, seed=args.seed, today=args.as_of)
        build_s = round(time.perf_counter() - started, 1)
    latest = Customer.select(Customer.last_contact_at).order_by(
        Customer.last_contact_at.desc(nulls="LAST")).limit(1).scalar()
    as_of = args.as_of or (latest.date() if latest else dt.date.today())
    raw = sqlite3.connect(str(args.archive)) if db.__class__.__name__.startswith("Sqlite") \
        else None
    acting = find_staff(args.user)
    if acting is None:
        parser.error(f"no member of staff {args.user!r} in {args.archive}")
    actor = Actor.of(acting)
    salesperson = find_staff("lina")
    owner = FollowUpFilter(owner_id=salesperson.id) if salesperson else FollowUpFilter()
    calls = {
        "overdue_first_screen": lambda: followup.overdue(as_of, actor=actor),
        "counts": lambda: followup.counts(as_of, actor),
        "due_today_first_screen": lambda: followup.due_today(as_of, actor),
        "due_this_week_first_screen": lambda: followup.due_this_week(as_of, actor),
        "overdue_one_owner_first_screen": lambda: followup.overdue(as_of, owner, actor),
        "overdue_count": lambda: followup.overdue_count(as_of, actor=actor),
        "overdue_by_owner": lambda: followup.overdue_by_owner(as_of, actor=actor),
        "overdue_page_at_50000": lambda: followup.overdue(as_of, actor=actor, offset=50_000),
        "birthdays_7_days": lambda: reminders.birthdays(as_of, actor=actor),
        "dormant_first_screen": lambda: reminders.dormant(as_of, actor=actor),
        "dormant_count": lambda: reminders.dormant_count(as_of, actor=actor),
        "incomplete_first_screen": lambda: reminders.incomplete_archives(actor),
        "incomplete_by_owner": lambda: reminders.incomplete_by_owner(actor),
    }
    results = [measure(name, call, raw, args.repeat) for name, call in calls.items()]
    counts = followup.counts(as_of, actor)
    report = {
        "archive": args.archive.name,
        "user": args.user,
        "customers": Customer.select().count(),
        "as_of": as_of.isoformat(),
        "open_and_upgrade_s": upgrade_s,
        "demo_build_s": build_s,
        "overdue": counts.overdue,
        "due_today": counts.due_today,
        "due_this_week": counts.due_this_week,
        "target_ms": TARGET_MS,
        "results": results,
    }
    print(json.dumps(report, ensure_ascii=False, indent=1))
    if raw is not None:
        raw.close()
    close_database()
    if folder is not None:
        folder.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Speed of the front desk on a large archive, printed as one JSON object of medians (ms).

    python benchmarks/bench_frontdesk.py [--archive PATH | --customers N] [--repeat N]

The archive is copied (SQLite's backup API) into a temporary folder and opened there, so the
source is never changed by the registrations this script makes. Without --archive it reuses
benchmarks/out/archive-<N>.sqlite3 when benchmarks/bench.py left one, else builds N demo
customers (default 200,000) in the temporary folder. Everything runs as the demo front desk.

Timed, each as the median of --repeat runs (default 25) after one untimed warm-up:
- the duplicate check as the phone is typed (3, 7 and 11 digits, +86 form), and on name +
  company: target 20 ms each at 200,000 customers;
- who receives the next visitor; registering a new visitor and a return visit;
- the day's register, a phone's history, a page of the public pool, one owner's due-to-lapse list.
"""
from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import platform
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "benchmarks" / "out"
CHECK_TARGET_MS = 20.0


def _copy(source: Path, target: Path) -> None:
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


def _median_ms(work: Callable[[], object], repeat: int) -> float:
    work()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 2)


def _open(args: argparse.Namespace, folder: Path) -> dict:
    from crmdesk.models import Customer
    from crmdesk.models.db import open_database

    archive = folder / "archive.sqlite3"
    source = Path(args.archive) if args.archive else OUT / f"archive-{args.customers}.sqlite3"
    built_s = None
    if source.exists():
        _copy(source, archive)
        open_database(archive)
    else:
        from crmdesk.services.demo import build_demo

        open_database(archive)
        started = time.perf_counter()
        build_demo(args.customers, seed=1)
        built_s = round(time.perf_counter() - started, 1)
    return {"source": source.name if source.exists() else "demo",
            "customers": Customer.select().count(), "demo_build_s": built_s}


def run(args: argparse.Namespace) -> dict:
    from crmdesk.models import Customer, Staff
    from crmdesk.services import frontdesk
    from crmdesk.services.context import Actor
    from crmdesk.services.duplicates import find_duplicates
    from crmdesk.services.pool import due_to_lapse, pool
    from crmdesk.services.visit_register import phone_history, visits_between

    with tempfile.TemporaryDirectory() as folder:
        result = _open(args, Path(folder))
        desk = Actor.of(Staff.get(Staff.username == "frontdesk"))
        sales = Actor.of(Staff.get(Staff.username == "sales"))
        known = Customer.select().where(Customer.mobile.is_null(False)).order_by(
            Customer.id).offset(result["customers"] // 2).get()
        mobile, company = known.mobile, known.employer or "华信科技有限公司"
        fresh = (f"188{n:08d}" for n in itertools.count(12_345_678, 7_919))
        repeat = args.repeat
        checks = {
            "check_3_digits": lambda: find_duplicates(mobile[:3], actor=desk),
            "check_7_digits": lambda: find_duplicates(mobile[:7], actor=desk),
            "check_11_digits": lambda: find_duplicates(mobile, actor=desk),
            "check_plus86_form": lambda: find_duplicates(
                f"+86 {mobile[:3]}-{mobile[3:7]}-{mobile[7:]}", actor=desk),
            "check_name_and_company": lambda: find_duplicates(
                "", name=known.name, company=company, actor=desk),
            "check_phone_name_company": lambda: find_duplicates(
                mobile, name=known.name, company=company, actor=desk),
        }
        figures = {name: _median_ms(work, repeat) for name, work in checks.items()}
        figures["propose_receiver"] = _median_ms(lambda: frontdesk.propose(known.id), repeat)
        figures["register_new_visitor"] = _median_ms(lambda: frontdesk.register_visit(
            frontdesk.VisitDraft("测试访客", next(fresh), "看车"), desk), repeat)
        figures["register_return_visit"] = _median_ms(lambda: frontdesk.register_visit(
            frontdesk.VisitDraft(known.name, mobile, "回访", customer_id=known.id), desk), repeat)
        today = dt.date.today()
        figures["register_of_the_day"] = _median_ms(lambda: visits_between(today, today, desk),
                                                    repeat)
        figures["phone_history"] = _median_ms(lambda: phone_history(mobile, desk), repeat)
        small = max(3, repeat // 5)
        figures["pool_first_page"] = _median_ms(lambda: pool(desk), small)
        figures["due_to_lapse_one_owner"] = _median_ms(
            lambda: due_to_lapse(sales.staff_id, sales), small)
        result["pool_total"] = pool(desk, limit=1).total
    result["median_ms"] = figures
    result["duplicate_check_target_ms"] = CHECK_TARGET_MS
    result["duplicate_check_pass"] = all(
        v < CHECK_TARGET_MS for k, v in figures.items() if k.startswith("check_"))
    result["repeat"] = repeat
    result["python"] = platform.python_version()
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archive", metavar="PATH", help="an archive to copy and measure")
    parser.add_argument("--customers", type=int, default=200_000, metavar="N")
    parser.add_argument("--repeat", type=int, default=25, metavar="N")
    print(json.dumps(run(parser.parse_args()), ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

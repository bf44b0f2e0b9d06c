"""Speed and memory of importing and exporting customers, printed as one JSON object.

    python benchmarks/bench_import.py [--rows 50000] [--archive 200000] [--repeat 3] [--export]

Builds (once; kept in benchmarks/out, git-ignored) a workbook of ``--rows`` rows x 10 columns
the way an office sheet looks (names, mobiles typed as numbers, phones with area codes, e-mail,
address, company, position, dates, source, notes; one row in fifty repeats an earlier mobile)
and an archive already holding ``--archive`` customers, 500 of whom the sheet repeats. Then,
``--repeat`` times, each in a fresh process on a fresh copy of the archive, it times:

- the guards and the reading alone (python-calamine);
- the dry run (``preview_import``: read, clean, match duplicates against the archive);
- the commit (``commit_import``: one transaction);

and reports the median of each and every run. Peak memory is the importing process's own peak
resident size (getrusage of the child: python-calamine's buffers count as well as Python's),
so building the sheet and the archive does not count; the worst run is reported.

With ``--export``: the customer export of the archive's customers (10 columns; XlsxWriter's
constant_memory mode), the median of ``--repeat`` runs, and for comparison a bare loop writing
the same cells with openpyxl's write-only mode.

The targets from the issue: against a 200,000-customer archive, 50,000 rows in under 5 s and
200,000 rows in under 20 s; the export of 200,000 customers in under 25 s; peak memory under
500 MB.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from openpyxl import Workbook  # noqa: E402

from crmdesk import i18n  # noqa: E402
from crmdesk.importers.readers import open_workbook  # noqa: E402
from crmdesk.models import Customer, Staff  # noqa: E402
from crmdesk.models.db import database, open_database  # noqa: E402
from crmdesk.models.search_keys import mobile_tail, pinyin_keys, search_text  # noqa: E402
from crmdesk.services.context import Actor  # noqa: E402
from crmdesk.services.imports.commit import commit_import  # noqa: E402
from crmdesk.services.imports.dry_run import preview_import  # noqa: E402

TARGET_IMPORT_S = {50_000: 5.0, 200_000: 20.0}
TARGET_EXPORT_S = 25.0
TARGET_PEAK_MB = 500
OUT = ROOT / "benchmarks" / "out"
HEADERS = ["客户名称", "手机", "固定电话", "电子邮箱", "地址", "工作单位", "职务", "首次接触日期",
           "客户来源", "备注"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰"
SOURCES = ("来访", "来电", "转介绍", "展会", "网络", "广告")
PREFIXES = ("138", "139", "137", "136", "135", "158", "159", "186", "187", "188")
AREAS = ("010", "021", "020", "0755", "0571", "025", "028", "027")


def peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def mobile(serial: int) -> int:
    return int(PREFIXES[serial % len(PREFIXES)] + f"{serial:08d}")


def build_sheet(path: Path, rows: int, rng: random.Random) -> None:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("客户")
    sheet.append(HEADERS)
    start = dt.date(2021, 1, 1)
    for i in range(rows):
        serial = rng.randrange(i) if i and i % 50 == 0 else i + 1_000_000
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
        area = rng.choice(AREAS)
        phone = f"{area}-{rng.randint(2, 8)}{rng.randint(0, 9_999_999):07d}"
        sheet.append([name, mobile(serial), phone, f"c{i}@example.com",
                      f"上海市长宁路{rng.randint(1, 999)}号", f"华信科技{i % 700}有限公司",
                      "采购经理", start + dt.timedelta(days=i % 1000), rng.choice(SOURCES),
                      "老客户介绍"])
    book.save(path)


def fill_archive(count: int, owner: int) -> None:
    """Customers already on file; the sheet's mobiles 1,000,000 to 1,000,499 are among them."""
    now = dt.datetime.now()
    with database.atomic():
        for start in range(0, count, 1000):
            chunk = []
            for i in range(start, min(start + 1000, count)):
                number = str(mobile(1_000_000 + i if i < 500 else 2_000_000 + i))
                full, initials = pinyin_keys(f"客户{i}")
                chunk.append({"archive_no": f"KH1999{i:07d}", "created_at": now,
                              "updated_at": now, "version": 1, "name": f"客户{i}",
                              "kind": "individual", "status": "prospect",
                              "confidentiality": "normal", "owner": owner, "mobile": number,
                              "name_pinyin": full, "name_initials": initials,
                              "mobile_tail": mobile_tail(number),
                              "search_text": search_text(f"客户{i}")})
            Customer.insert_many(chunk).execute()


def timed(work):
    started, cpu = time.perf_counter(), time.process_time()
    result = work()
    return result, round(time.perf_counter() - started, 2), round(time.process_time() - cpu, 2)


def export_figures(folder: Path, actor: Actor, repeat: int) -> dict:
    """The customer export (XlsxWriter, constant memory) and, for comparison, a bare loop
    writing the same columns with openpyxl's write-only mode; medians of ``repeat`` runs."""
    from openpyxl.cell import WriteOnlyCell

    from crmdesk.services.exports.export import ExportRequest, export

    columns = ["archive_no", "name", "mobile", "phone", "email", "address", "employer",
               "position", "first_contact_date", "source"]
    request = ExportRequest(columns=columns)
    # An export never replaces a file: each run writes a new one.
    runs = [timed(lambda run=run: export(folder / f"out{run}.xlsx", request, actor))
            for run in range(repeat)]
    count = runs[0][0]
    figures = {"customers": count, "export_xlsx_s": statistics.median(r[1] for r in runs),
               "export_xlsx_cpu_s": statistics.median(r[2] for r in runs),
               "export_runs_s": [r[1] for r in runs], "peak_rss_mb_after_export": peak_mb(),
               "target_export_s": TARGET_EXPORT_S}

    def with_openpyxl() -> int:
        book = Workbook(write_only=True)
        sheet = book.create_sheet("客户")
        sheet.append(columns)
        query = Customer.select(*(getattr(Customer, c) for c in columns)).tuples()
        number = 0
        for row in query.iterator():
            number += 1
            cells = []
            for value in row:
                cell = WriteOnlyCell(sheet, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"
                cells.append(cell)
            sheet.append(cells)
        book.save(folder / "out_openpyxl.xlsx")
        return number

    _count, seconds, cpu = timed(with_openpyxl)
    figures.update(openpyxl_write_only_loop_s=seconds, openpyxl_cpu_s=cpu)
    return figures


def prepared(rows: int, archive: int) -> tuple[Path, Path]:
    """The sheet and the archive of the given sizes, built unless benchmarks/out has them."""
    OUT.mkdir(parents=True, exist_ok=True)
    sheet = OUT / f"import-{rows}.xlsx"
    store = OUT / f"import-archive-{archive}.sqlite3"
    if not sheet.exists():
        build_sheet(sheet.with_suffix(".part"), rows, random.Random(6))
        sheet.with_suffix(".part").rename(sheet)
    if not store.exists():
        partial = store.with_suffix(".part")
        open_database(partial)
        staff = Staff.create(name="赵经理", username="manager", roles="manager,sales")
        fill_archive(archive, staff.id)
        database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        database.close()
        partial.rename(store)
    return sheet, store


def child(sheet: Path, store: Path) -> dict:
    """One import in this process: read alone, dry run, commit; with this process's peak."""
    open_database(store)
    actor = Actor.of(Staff.get(Staff.username == "manager"))

    def read_all() -> int:
        with open_workbook(sheet) as book:
            return sum(1 for _row in book.rows())

    preview, preview_s, preview_cpu = timed(lambda: preview_import(sheet, actor))
    result, commit_s, commit_cpu = timed(lambda: commit_import(preview, actor))
    counts = preview.counts()
    peak = peak_mb()
    _rows, read_s, _cpu = timed(read_all)  # after the import: its peak is the import's own
    database.close()
    return {"read_s": read_s, "dry_run_s": preview_s, "dry_run_cpu_s": preview_cpu,
            "commit_s": commit_s, "commit_cpu_s": commit_cpu,
            "total_s": round(preview_s + commit_s, 2),
            "counts": {"new": counts.new, "duplicate": counts.duplicate, "error": counts.error,
                       "created": result.created},
            "peak_rss_mb": peak}


def import_figures(sheet: Path, store: Path, repeat: int) -> dict:
    """``repeat`` imports, each in a fresh process on a fresh copy of the archive."""
    runs = []
    with tempfile.TemporaryDirectory() as work:
        for _run in range(repeat):
            copy = Path(work) / "archive.sqlite3"
            shutil.copyfile(store, copy)
            done = subprocess.run([sys.executable, __file__, "--child", str(sheet), str(copy)],
                                  check=True, capture_output=True, text=True)
            runs.append(json.loads(done.stdout))
            for suffix in ("", "-wal", "-shm"):
                Path(f"{copy}{suffix}").unlink(missing_ok=True)

    def median(key: str) -> float:
        return round(statistics.median(r[key] for r in runs), 2)

    return {"read_s": median("read_s"), "dry_run_s": median("dry_run_s"),
            "commit_s": median("commit_s"), "import_total_s": median("total_s"),
            "import_total_runs_s": [r["total_s"] for r in runs],
            "dry_run_cpu_s": median("dry_run_cpu_s"), "commit_cpu_s": median("commit_cpu_s"),
            "counts": runs[0]["counts"],
            "peak_rss_mb": max(r["peak_rss_mb"] for r in runs)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--archive", type=int, default=200_000,
                        help="customers already in the archive (the issue's case: 200000)")
    parser.add_argument("--export", action="store_true", help="also time exports")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of the import and the export (medians are reported)")
    parser.add_argument("--child", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    i18n.set_language("zh_CN")
    if args.child:
        print(json.dumps(child(*args.child)))
        return 0
    (sheet, store), setup_s, _cpu = timed(lambda: prepared(args.rows, args.archive))
    figures = {"rows": args.rows, "columns": len(HEADERS), "archive_customers": args.archive,
               "file_mb": round(sheet.stat().st_size / 2**20, 1), "setup_s": setup_s,
               **import_figures(sheet, store, args.repeat)}
    target = TARGET_IMPORT_S.get(args.rows)
    figures.update(target_import_s=target,
                   pass_import=target is None or figures["import_total_s"] <= target,
                   target_peak_mb=TARGET_PEAK_MB,
                   pass_memory=figures["peak_rss_mb"] <= TARGET_PEAK_MB)
    if args.export:
        with tempfile.TemporaryDirectory() as work:
            copy = Path(work) / "archive.sqlite3"
            shutil.copyfile(store, copy)
            open_database(copy)
            actor = Actor.of(Staff.get(Staff.username == "manager"))
            figures["export"] = export_figures(Path(work), actor, args.repeat)
            database.close()
    print(json.dumps(figures, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""What encryption costs: the same archive plain and encrypted, measured in one run, as JSON.

    python benchmarks/bench_cipher.py [--customers 20000] [--rows 5000] [--repeat 5]

The plain archive (benchmarks/out/cipher-plain-<N>.sqlite3, git-ignored) is built with the demo
data unless it exists; the encrypted one is the same file written through sqlcipher_export,
so both hold exactly the same rows. Each repetition opens the plain archive, then the encrypted
one, and times on each (after one untimed warm-up):

- search as typed (find_ids and the first page of list_rows) for a name, pinyin and a mobile tail;
- the list's first screen sorted by name;
- opening a card (customers.open_card, with its audit entry);
- exporting the overdue follow-up list to .xlsx (services.exports; the whole customer list
  would first need a second person's approval);
- importing a sheet of ``--rows`` new customers (dry run and commit) into a fresh copy.

Plain and encrypted alternate, so a machine shared with other work slows both alike. Reported:
medians in ms of the wall clock and of this process's processor time, and encrypted / plain;
the target (at most 1.15) is judged on processor time, which other programs sharing a busy
machine do not inflate (the wall-clock figures are printed beside it). Then the start-up cost
of the key: unwrapping an account's slot at the shipped argon2id cost (wall clock and processor
time) and the whole unlock (read the key file, unwrap, check the key on the file); target under
0.3 s.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from argon2 import profiles  # noqa: E402

from crmdesk import i18n  # noqa: E402
from crmdesk.models import Customer, Staff  # noqa: E402
from crmdesk.models.cipher import export_encrypted, forget_key, remember_key  # noqa: E402
from crmdesk.models.db import close_database, database, open_database  # noqa: E402
from crmdesk.services import archive_keys, key_slots  # noqa: E402
from crmdesk.services.context import Actor  # noqa: E402

OUT = ROOT / "benchmarks" / "out"
RATIO_TARGET = 1.15
QUICK_RUNS = 20
UNWRAP_TARGET_S = 0.3
SEARCHES = {"name": "张伟", "pinyin_initials": "zw", "mobile_last_4": "1234"}
PAGE = 100


def timed_ms(run: Callable[[], object]) -> tuple[float, float]:
    """Wall-clock and processor time of one run, in ms."""
    started, processor = time.perf_counter(), time.process_time()
    run()
    return (time.perf_counter() - started) * 1000, (time.process_time() - processor) * 1000


def build_plain(customers: int) -> Path:
    """The plain demo archive of ``customers`` customers, built once."""
    from crmdesk.services.demo import build_demo

    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"cipher-plain-{customers}.sqlite3"
    if path.exists():
        return path
    part = path.with_suffix(".part")
    open_database(part)
    build_demo(customers)
    database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    close_database()
    part.rename(path)
    return path


def build_sheet(path: Path, rows: int) -> None:
    """A sheet of ``rows`` new customers (names, mobiles, addresses)."""
    from openpyxl import Workbook

    rng = random.Random(17)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("客户")
    sheet.append(["客户名称", "手机", "地址", "客户来源"])
    for i in range(rows):
        # Names of their own: the duplicate check would set aside a common name on file.
        sheet.append([f"{rng.choice('王李张刘陈杨黄赵')}导入{i}", f"177{i + 30_000_000:08d}",
                      f"上海市长宁路{rng.randint(1, 999)}号", "来访"])
    book.save(path)


def operations(work: Path, sheet: Path) -> dict[str, Callable[[], object]]:
    """The measured operations on the open archive, as the demo manager."""
    from crmdesk.services.customers import open_card
    from crmdesk.services.exports.export import ExportRequest, export
    from crmdesk.services.imports.commit import commit_import
    from crmdesk.services.imports.dry_run import preview_import
    from crmdesk.services.search import ListQuery, SortKey, find_ids, list_rows

    actor = Actor.of(Staff.get(Staff.username == "manager"))
    card_id = Customer.select(Customer.id).order_by(Customer.id.desc()).scalar()
    counter = iter(range(1_000_000))
    found: dict[str, Callable[[], object]] = {}
    for name, text in SEARCHES.items():
        found[f"search_{name}"] = lambda text=text: list_rows(
            find_ids(ListQuery(text=text), actor)[:PAGE], actor)
    found["list_by_name"] = lambda: list_rows(
        find_ids(ListQuery(sort=SortKey.NAME), actor)[:PAGE], actor)
    found["card_open"] = lambda: open_card(card_id, actor)
    # The overdue list: an export of the whole customer list waits for a second person's
    # approval, which is not what is measured here.
    request = ExportRequest(what="overdue")
    found["export_xlsx"] = lambda: export(work / f"export-{next(counter)}.xlsx", request, actor)
    found["import"] = lambda: commit_import(preview_import(sheet, actor), actor)
    return found


def measure(plain: Path, encrypted: Path, key: bytes, sheet: Path, repeat: int) -> dict:
    """Medians of ``repeat`` alternating openings of the plain and the encrypted archive
    (the quick operations ``QUICK_RUNS`` times per opening)."""
    samples: dict[str, dict[str, list[tuple[float, float]]]] = {"plain": {}, "encrypted": {}}
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        for run in range(repeat):
            for kind, source in (("plain", plain), ("encrypted", encrypted)):
                # Each run works on a fresh copy: the import adds customers.
                copy = work / f"{kind}-{run}.sqlite3"
                shutil.copyfile(source, copy)
                if kind == "encrypted":
                    remember_key(copy, key)
                open_database(copy)
                for name, operation in operations(work, sheet).items():
                    slow = name in ("import", "export_xlsx")
                    if name != "import":
                        operation()  # warm-up
                    for _time in range(1 if slow else QUICK_RUNS):
                        samples[kind].setdefault(name, []).append(timed_ms(operation))
                close_database()
                forget_key(copy)
    figures = {}
    for name in samples["plain"]:
        figure = {}
        for clock, index in (("wall", 0), ("cpu", 1)):
            plain_ms = statistics.median(s[index] for s in samples["plain"][name])
            encrypted_ms = statistics.median(s[index] for s in samples["encrypted"][name])
            figure.update({f"plain_{clock}_ms": round(plain_ms, 1),
                           f"encrypted_{clock}_ms": round(encrypted_ms, 1),
                           f"{clock}_ratio": round(encrypted_ms / max(plain_ms, 0.001), 3)})
        figure["pass"] = figure["cpu_ratio"] <= RATIO_TARGET
        figures[name] = figure
    return figures


def unwrap_cost(encrypted: Path, key: bytes, repeat: int) -> dict:
    """Unwrapping an account's slot at the shipped cost, and the whole unlock at start."""
    shipped = profiles.RFC_9106_LOW_MEMORY
    key_slots.KDF_COST = {"time_cost": shipped.time_cost, "memory_cost": shipped.memory_cost,
                          "parallelism": shipped.parallelism}
    slots = key_slots.KeySlots()
    slots.accounts["manager"] = key_slots.seal_for_account(key, "manager", "bench-password")
    key_slots.write(encrypted, slots)
    wall, cpu, unlock = [], [], []
    for _run in range(repeat):
        started, processor = time.perf_counter(), time.process_time()
        key_slots.open_account_slot(slots.accounts["manager"], "manager", "bench-password")
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - processor)
        forget_key(encrypted)
        started = time.perf_counter()
        archive_keys.unlock(encrypted, "manager", "bench-password")
        unlock.append(time.perf_counter() - started)
    return {"kdf": {"argon2id": key_slots.KDF_COST},
            "unwrap_wall_s": round(statistics.median(wall), 3),
            "unwrap_cpu_s": round(statistics.median(cpu), 3),
            "unlock_wall_s": round(statistics.median(unlock), 3),
            "target_s": UNWRAP_TARGET_S,
            # Judged on processor time, as above; unloaded, the wall clock is at most that.
            "pass": statistics.median(cpu) < UNWRAP_TARGET_S}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--rows", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    i18n.set_language("zh_CN")
    plain = build_plain(args.customers)
    sheet = OUT / f"cipher-import-{args.rows}.xlsx"
    if not sheet.exists():
        build_sheet(sheet, args.rows)
    key = secrets.token_bytes(32)
    with tempfile.TemporaryDirectory() as scratch:
        encrypted = Path(scratch) / "encrypted.sqlite3"
        export_encrypted(plain, None, encrypted, key)
        result = {"customers": args.customers, "import_rows": args.rows, "repeat": args.repeat,
                  "ratio_target": RATIO_TARGET,
                  "operations": measure(plain, encrypted, key, sheet, args.repeat),
                  "start": unwrap_cost(encrypted, key, args.repeat),
                  "load_average": os.getloadavg()}
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

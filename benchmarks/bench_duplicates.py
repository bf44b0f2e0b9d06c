"""Speed and quality of the duplicate scan on a large archive, printed as one JSON object.

    python benchmarks/bench_duplicates.py [--archive PATH | --customers N] [--plant N]

The archive is copied into a temporary folder (the source is never changed): without --archive
it reuses benchmarks/out/archive-<N>.sqlite3 when benchmarks/bench.py left one, else builds N
demo customers (default 200,000). Then it plants --plant (default 300) second archives of
existing customers of each kind, as imports with --on-duplicate new made them:
- ``phone``: the same mobile under another name;
- ``name_birth``: the same name and birth date, another mobile, no company;
- ``sound_company``: a same-sounding surname (张→章), the same company, another mobile.

Measured: the whole scan (read, compare, group) as the manager, target 10 s at 200,000
customers; an incremental update after one card changed; the rule's lookup for one card. Recall
is the share of planted pairs the scan reports (at its default minimum score, 50, and at 80, the
strong matches); precision the share of reported pairs that were planted (the demo's random
names also give real namesakes on one birthday, which count against it).
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench_frontdesk import _copy  # noqa: E402 - the same copy of a source archive

OUT = ROOT / "benchmarks" / "out"
SCAN_TARGET_S = 10.0
HOMOPHONES = {"张": "章", "王": "汪", "李": "黎", "刘": "留", "黄": "皇", "周": "舟", "吴": "武",
              "徐": "许", "杨": "阳", "林": "琳", "陈": "晨", "赵": "照", "孙": "荪", "马": "玛",
              "朱": "珠", "胡": "湖", "郭": "国", "何": "和", "高": "糕", "罗": "萝"}


def _open(args: argparse.Namespace, folder: Path) -> str:
    from crmdesk.models.db import open_database

    archive = folder / "archive.sqlite3"
    source = Path(args.archive) if args.archive else OUT / f"archive-{args.customers}.sqlite3"
    if source.exists():
        _copy(source, archive)
        open_database(archive)
        return source.name
    from crmdesk.services.demo import build_demo

    open_database(archive)
    build_demo(args.customers, seed=1)
    return "demo"


def _plant(kind: str, count: int, rng: random.Random, serial: list[int]) -> list[tuple[int, int]]:
    """Second archives of ``count`` random individuals; returns (original, copy) id pairs."""
    import peewee

    from crmdesk.models import Customer
    from crmdesk.models.db import database
    from crmdesk.services.customers import search_columns
    from crmdesk.services.numbering import reserve_archive_numbers

    # Top-secret archives are hidden from the manager's scan: none is planted there.
    where = ((Customer.kind == "individual") & Customer.birth_date.is_null(False)
             & (Customer.confidentiality != "secret"))
    if kind == "sound_company":
        where &= Customer.employer.is_null(False) & peewee.fn.SUBSTR(Customer.name, 1, 1).in_(
            sorted(HOMOPHONES))
    top = Customer.select(Customer.id).order_by(Customer.id.desc()).scalar()
    planted = []
    with database.atomic():
        numbers = reserve_archive_numbers(count)
        while len(planted) < count:
            original = Customer.select().where(where & (Customer.id == rng.randint(1, top))).first()
            if original is None:
                continue
            row = {f: getattr(original, f) for f in Customer._meta.fields if f != "id"}
            serial[0] += 1
            mobile = f"166{serial[0]:08d}"
            if kind == "phone":
                row["name"] = rng.choice("赵钱孙李周吴郑王") + rng.choice("一二三四五六七八")
            elif kind == "name_birth":
                row.update(mobile=mobile, phone=None, employer=None)
            else:
                row.update(mobile=mobile, phone=None,
                           name=HOMOPHONES[original.name[0]] + original.name[1:])
            row.update(search_columns({"name": row["name"], "employer": row["employer"],
                                       "mobile": row["mobile"]}),
                       archive_no=numbers[len(planted)])
            planted.append((original.id, Customer.insert(**row).execute()))
    return planted


def run(args: argparse.Namespace) -> dict:
    from crmdesk.models import Customer, Staff
    from crmdesk.services.context import Actor
    from crmdesk.services.duplicate_rule import similar_to
    from crmdesk.services.duplicate_scan import ArchiveScan
    from crmdesk.services.identity import STRONG, WEAK

    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        source = _open(args, Path(tmp))
        serial = [0]
        planted = {kind: _plant(kind, args.plant, rng, serial)
                   for kind in ("phone", "name_birth", "sound_company")}
        manager = Actor.of(Staff.get(Staff.username == "manager"))
        started = time.perf_counter()
        scanned = ArchiveScan(manager).run()
        groups = scanned.groups(WEAK)
        scan_s = time.perf_counter() - started
        some = planted["phone"][0][1]
        started = time.perf_counter()
        scanned.update([some])
        scanned.groups(WEAK)
        update_ms = (time.perf_counter() - started) * 1000
        card = Customer.get_by_id(planted["name_birth"][0][1])
        values = {f: getattr(card, f) for f in ("kind", "name", "employer", "birth_date",
                                                 "mobile", "phone")}
        started = time.perf_counter()
        similar_to(values)
        rule_ms = (time.perf_counter() - started) * 1000
        customers = Customer.select().count()
    found = {s: {frozenset((p.first_id, p.second_id)) for g in groups for p in g.pairs
                 if p.score >= s} for s in (WEAK, STRONG)}
    truth = {frozenset(pair) for pairs in planted.values() for pair in pairs}
    quality = {}
    for s, pairs in found.items():
        quality[f"min_score_{s}"] = {
            "recall": {kind: round(sum(frozenset(p) in pairs for p in pp) / len(pp), 3)
                       for kind, pp in planted.items()},
            "pairs_reported": len(pairs),
            "precision": round(len(pairs & truth) / len(pairs), 3) if pairs else None,
        }
    return {"source": source, "customers": customers, "planted_per_kind": args.plant,
            "scan_s": round(scan_s, 2), "scan_target_s": SCAN_TARGET_S,
            "groups": len(groups), "incremental_update_ms": round(update_ms, 1),
            "rule_lookup_ms": round(rule_ms, 2), **quality}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archive", help="an archive file to copy and scan")
    parser.add_argument("--customers", type=int, default=200_000)
    parser.add_argument("--plant", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    print(json.dumps(run(parser.parse_args()), ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()

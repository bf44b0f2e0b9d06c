"""Speed of printing, printed as one JSON object.

    python benchmarks/bench_printing.py [--repeat N] [--rows N]

Everything is built in memory (no archive): printing takes plain data, so this measures the
layout and PDF writing alone. After one untimed warm-up each, it times N runs (default 7) of:

- the font: the first registration (once per process; ``font_loads`` must stay 1);
- one archive card, front and back, with a dozen log lines (target under 50 ms);
- 20 cards in one PDF, as pages per second;
- the customer roster of 10,000 rows (target 80 pages/s or more, about 3 s);
- one customer's log of 2,000 contacts and an overdue list of 5,000 rows, as pages per second.

Every figure carries its target and a pass flag (on wall-clock time), and the CPU time of this
process beside it: on a shared machine the wall clock includes waiting for a core, the CPU time
is what printing itself costs. Read the medians, and re-run before believing a single miss.
"""
from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import statistics
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crmdesk import i18n  # noqa: E402
from crmdesk.printing import fonts, render  # noqa: E402
from crmdesk.printing.inputs import CardSheet, LogSheet, OverdueRow, PrintContext  # noqa: E402

TARGET_CARD_MS = 50
TARGET_PAGES_PER_S = 80
TARGET_ROSTER_S = 3.0
CONTEXT = PrintContext("上海分公司", "王强", dt.datetime(2026, 5, 1, 9, 30))
COLUMNS = ("archive_no", "name", "mobile", "company", "level", "status", "owner",
           "last_contact", "next_follow_up")
COMPANIES = ("上海华信科技有限公司", "Apex 贸易(深圳)有限公司", "北京中科鼎新电子技术发展有限公司",
             "")
NAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶"
RECORDS = ("电话沟通,客户对SUV B 型有兴趣,询问价格与优惠。",
           "客户来店试驾,对动力满意,担心油耗;已发报价单到 li.ming@huaxin-tech.com.cn 。",
           "微信发送报价单,客户表示需与家人商量,约定周末再联系。")


def page_count(data: bytes) -> int:
    """Pages in a PDF (pypdf when installed, else ReportLab's page objects counted)."""
    try:
        import pypdf
    except ImportError:
        return data.count(b"/Type /Page\n")
    return len(pypdf.PdfReader(io.BytesIO(data)).pages)


def contact(seq: int) -> dict:
    """One log entry as the services give it."""
    return {"seq": seq, "contacted_at": dt.datetime(2026, 1, 1, 10) + dt.timedelta(days=seq),
            "method": ("phone", "wechat", "came_in")[seq % 3], "person": "李明",
            "person_role": "采购经理", "level": "ABC"[seq % 3], "record": RECORDS[seq % 3],
            "conclusion": "继续跟进", "next_follow_up": dt.date(2026, 5, 6), "recorded_by": "王强"}


def card(i: int) -> CardSheet:
    """A typical filled card of an individual with a dozen log lines."""
    values = {
        "kind": "individual", "name": NAMES[i % len(NAMES)] + "伟", "alias": "老友",
        "status": "following", "confidentiality": ("normal", "confidential")[i % 2],
        "source": "referral", "consent": True, "consent_date": dt.date(2026, 3, 1),
        "mobile": "13800138000", "phone": "02162345678", "email": "wei@huaxin-tech.com.cn",
        "address": "上海市长宁区长宁路1号华信大厦18楼", "employer": COMPANIES[i % 3],
        "gender": "male", "education": "bachelor", "needs": "家用代步,预算二十万以内," * 3,
        "purchase_factors": "price,quality", "budget": Decimal("200000"),
        "notes": "老客户介绍,重视售后服务。" * 5,
    }
    return CardSheet(f"KH2026{i:06d}", values,
                     {"owner": "王强", "level": "A 级", "registered_by": "赵经理"},
                     [{"name": "李明", "role": "decision_maker", "title": "采购经理",
                       "phone": "13900139000", "attitude": "support", "notes": ""}],
                     [{"date": dt.date(2025, 12, 1), "product": "保养套餐", "quantity": 1,
                       "amount": Decimal("3600")}],
                     [contact(s) for s in range(1, 13)])


def roster_row(i: int) -> tuple[str, ...]:
    """One roster row as the customer list gives it."""
    return (f"KH2026{i:06d}", NAMES[i % 40] + NAMES[i * 7 % 40], f"138 0013 {i % 10000:04d}",
            COMPANIES[i % 4], "HABC"[i % 4], "跟进中", "王强", "2026-04-01", "2026-05-03")


def overdue_row(i: int) -> OverdueRow:
    """One overdue customer; ten owners in turn."""
    return OverdueRow(f"销售{i % 10}", f"KH2026{i:06d}", NAMES[i % 40] + "伟", "13800138000",
                      "HABC"[i % 4], i % 40 + 1, dt.date(2026, 4, 1), "phone", "约定下周到店",
                      dt.date(2026, 4, 20))


def timed(make: Callable[[], bytes], repeat: int) -> tuple[list[float], list[float], bytes]:
    """Wall-clock and CPU seconds of ``repeat`` runs after a warm-up, and the last PDF."""
    data = make()
    wall, cpu = [], []
    for _ in range(repeat):
        started, cpu_started = time.perf_counter(), time.process_time()
        data = make()
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
    return wall, cpu, data


def pages_figure(wall: list[float], cpu: list[float], data: bytes,
                 target_s: float | None = None) -> dict:
    """Pages per second of a register, by wall clock and by CPU time."""
    pages = page_count(data)
    median = statistics.median(wall)
    result = {"median_s": round(median, 3), "cpu_median_s": round(statistics.median(cpu), 3),
              "pages": pages, "pages_per_s": round(pages / median, 1),
              "cpu_pages_per_s": round(pages / statistics.median(cpu), 1),
              "target_pages_per_s": TARGET_PAGES_PER_S,
              "pass": pages / median >= TARGET_PAGES_PER_S}
    if target_s is not None:
        result["target_s"] = target_s
    return result


def main() -> int:
    """Time every figure and print them as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="timed runs per figure")
    parser.add_argument("--rows", type=int, default=10_000, help="rows in the roster")
    args = parser.parse_args()
    i18n.set_language("zh_CN")

    started = time.perf_counter()
    fonts.font_name()
    font_ms = (time.perf_counter() - started) * 1000

    one = card(1)
    wall, cpu, data = timed(lambda: render.cards([one], CONTEXT), args.repeat)
    card_ms = statistics.median(wall) * 1000
    card_figure = {"median_ms": round(card_ms, 1),
                   "p90_ms": round(sorted(wall)[int(0.9 * (len(wall) - 1))] * 1000, 1),
                   "cpu_median_ms": round(statistics.median(cpu) * 1000, 1),
                   "pages": page_count(data), "target_ms": TARGET_CARD_MS,
                   "pass": card_ms < TARGET_CARD_MS}

    batch = [card(i) for i in range(1, 21)]
    cards_figure = pages_figure(*timed(lambda: render.cards(batch, CONTEXT), args.repeat))

    rows = [roster_row(i) for i in range(1, args.rows + 1)]
    roster_repeat = max(1, min(args.repeat, 3))
    roster_figure = pages_figure(*timed(lambda: render.roster(COLUMNS, rows, "", CONTEXT),
                                        roster_repeat), target_s=TARGET_ROSTER_S)
    roster_figure["rows"] = len(rows)

    log = LogSheet("KH2026000001", "张三", "王强", [contact(s) for s in range(1, 2001)])
    log_figure = pages_figure(*timed(lambda: render.communication_log(log, CONTEXT),
                                     roster_repeat))
    overdue = [overdue_row(i) for i in range(1, 5001)]
    overdue_figure = pages_figure(*timed(lambda: render.overdue(overdue, "截至 2026-05-01",
                                                                CONTEXT), roster_repeat))

    figures = {
        "font": {"first_registration_ms": round(font_ms, 1), "font_loads": fonts.load_count(),
                 "pass": fonts.load_count() == 1},
        "card": card_figure,
        "cards_20": cards_figure,
        "roster": roster_figure,
        "log_2000": log_figure,
        "overdue_5000": overdue_figure,
    }
    failed = [name for name, f in figures.items() if f.get("pass") is False]
    print(json.dumps({"repeat": args.repeat, "figures": figures, "failed": failed},
                     ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

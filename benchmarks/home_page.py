"""The home page a person lands on after login, whole and tile by tile, beside a raw recount.

    python benchmarks/home_page.py --archive PATH [--repeat N]

(also part of benchmarks/run.py). Times ``workbench.home`` (every tile of the person's page, as
the page reads it) and each tile on its own. The raw floor of the archive-wide figures (the
customers in the archive, a manager's; the customers lapsing to the pool soon; a salesperson's
birthdays of the week) is the plain sqlite3 recount of them over the customer table with the
same visibility, and the figures are compared with it. Target: 50 ms each.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import compare, figure, statements_of

TARGET_MS = 50


class RawHome:
    """The home page's archive-wide figures recounted in hand-written SQL for one person."""

    def __init__(self, session: object, as_of: dt.date) -> None:
        from crmdesk.services import settings
        from crmdesk.services.protection import days_by_level, renewed_by_contact

        default, special = days_by_level()
        if special or renewed_by_contact():
            raise SystemExit("the raw recount knows one protection length and no renewal")
        self.con, self.visible = session.raw.con, session.raw.visible
        warning = int(settings.get("lapse_warning_days"))
        self.window = (f"{as_of - dt.timedelta(days=default)} 00:00:00",
                       f"{as_of + dt.timedelta(days=warning - default)} 00:00:00")
        self.exempt = ("AND (status IS NULL OR status NOT IN ('deal', 'after_sales'))"
                       if settings.get("pool_exempt_deals") else "")

    def customers(self) -> int:
        return self.con.execute(
            f"SELECT count(*) FROM customer WHERE {self.visible}").fetchone()[0]

    def birthdays(self, as_of: dt.date, owner_id: int) -> int:
        """The owner's birthdays of the week (customer, spouse, child, opening day), each
        card's month and day read over all of the owner's customers."""
        import calendar

        days = [as_of + dt.timedelta(days=k) for k in range(7)]
        keys = {d.strftime("%m-%d") for d in days}
        if any(d.month == 2 and d.day == 28 and not calendar.isleap(d.year) for d in days):
            keys.add("02-29")
        marks = ",".join("?" * len(keys))
        found = " + ".join(f"coalesce(strftime('%m-%d', {column}) IN ({marks}), 0)" for column in (
            "birth_date", "spouse_birth_date", "child_birth_date", "opening_date"))
        return self.con.execute(
            f"SELECT coalesce(sum({found}), 0) FROM customer WHERE owner_id = ? "
            f"AND status NOT IN ('lost', 'invalid') AND {self.visible}",
            [*sorted(keys)] * 4 + [owner_id]).fetchone()[0]

    def lapsing(self) -> Counter:
        since = ("coalesce((SELECT max(at) FROM ownership_change o WHERE o.customer_id = "
                 "customer.id), created_at)")
        return Counter(dict(self.con.execute(
            f"SELECT owner_id, count(*) FROM customer WHERE owner_id IS NOT NULL "
            f"AND {since} >= ? AND {since} < ? {self.exempt} AND {self.visible} "
            f"GROUP BY owner_id", self.window).fetchall()))


def tile_readers(actor: object, as_of: dt.date) -> dict:
    """Each tile of ``actor``'s home page read on its own, as ``workbench`` reads it."""
    from crmdesk.services import appointments, followup, reminders, workbench
    from crmdesk.services.glance import glances
    from crmdesk.services.lapsing import lapsing_by_owner, soonest
    from crmdesk.services.visit_register import visits_between

    if workbench.home_of(actor) == workbench.MANAGER:
        return {"tile_office_customers": lambda: workbench.archive_size(actor),
                "tile_office_follow_up_counts": lambda: followup.counts(as_of, actor),
                "tile_overdue_by_owner": lambda: followup.overdue_by_owner(as_of, None, actor),
                "tile_visits": lambda: visits_between(as_of, as_of, actor),
                "tile_lapsing": lambda: lapsing_by_owner(as_of, actor)}
    mine = followup.FollowUpFilter(owner_id=actor.staff_id)

    def lapsing() -> None:
        _count, first = soonest(as_of, actor.staff_id, workbench.SHORT)
        glances(first, actor, as_of)

    return {"tile_overdue": lambda: (followup.overdue(as_of, mine, actor, limit=5),
                                     followup.overdue_count(as_of, mine, actor)),
            "tile_due_today": lambda: (followup.due(as_of, 1, mine, actor, limit=5),
                                       followup.due_count(as_of, 1, mine, actor)),
            "tile_visitors": lambda: workbench.visitors_of(actor, as_of),
            "tile_lapsing": lapsing,
            "tile_birthdays": lambda: reminders.birthday_tile(as_of, actor, actor.staff_id,
                                                              workbench.SHORT),
            "tile_no_shows": lambda: appointments.no_shows(actor, as_of)}


def processor_ms(call: Callable[[], object], repeat: int) -> float:
    """The median processor time (ms) this process spends on ``call``: on a shared, loaded
    machine the wall-clock figure also holds the time spent waiting for a core."""
    def once() -> float:
        start = time.process_time()
        call()
        return (time.process_time() - start) * 1000

    return round(statistics.median(once() for _ in range(repeat)), 2)


def measure_home(session: object, as_of: dt.date, repeat: int) -> dict:
    """The person's whole home page and each tile; the archive-wide figures against the raw
    recount."""
    from crmdesk.services import workbench
    from crmdesk.services.lapsing import lapsing_by_owner, lapsing_rows

    actor, raw = session.actor, RawHome(session, as_of)
    which = workbench.home_of(actor)
    own = None if which == workbench.MANAGER else actor.staff_id

    def lapsing() -> Counter:
        if own is None:
            return Counter(dict(lapsing_by_owner(as_of, actor)))
        return Counter(o for _c, o in lapsing_rows(as_of, own))

    def raw_lapsing() -> Counter:
        found = raw.lapsing()
        return found if own is None else Counter({own: found.get(own, 0)})

    def raw_page() -> None:
        raw_lapsing()
        if which == workbench.MANAGER:
            raw.customers()
        else:
            raw.birthdays(as_of, own)

    tiles = workbench.home(actor, as_of)
    results: dict = {"as_of": as_of.isoformat(), "home": which,
                     "lapsing_customers": sum(lapsing().values()),
                     "lapsing_same_as_raw": +lapsing() == +raw_lapsing(),
                     "lapsing_tile_same_as_raw":
                         tiles["lapsing"].count == sum(raw_lapsing().values())}
    raws = {"home_page": raw_page, "tile_lapsing": raw_lapsing}
    if which == workbench.SALES:
        results["birthdays"] = tiles["birthdays"].count
        results["birthdays_same_as_raw"] = tiles["birthdays"].count == raw.birthdays(as_of, own)
        raws["tile_birthdays"] = lambda: raw.birthdays(as_of, own)
    if which == workbench.MANAGER:
        results["customers"] = workbench.archive_size(actor)
        results["customers_same_as_raw"] = results["customers"] == raw.customers()
        results["office_tile_same_as_raw"] = tiles["office"].count == raw.customers()
        raws["tile_office_customers"] = raw.customers
    timed = {"home_page": lambda: workbench.home(actor, as_of), **tile_readers(actor, as_of)}
    for name, app in timed.items():
        plain = raws.get(name)
        if plain is None:
            app_ms, raw_ms = compare(app, lambda: None, repeat)
            raw_ms = []
        else:
            app_ms, raw_ms = compare(app, plain, repeat)
        results[name] = figure(app_ms, TARGET_MS, raw_ms, statements=len(statements_of(app)),
                               processor_median_ms=processor_ms(app, repeat),
                               raw_is="plain SQL recount over the customer table" if raw_ms
                               else "no raw recount for this tile")
    return results


def main() -> None:
    from run import SALESPERSON, Session, as_of_day, load

    from crmdesk.models.db import open_database

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archive", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    open_database(args.archive)
    people = {"manager": Session(args.archive, "manager"),
              "salesperson": Session(args.archive, SALESPERSON)}
    as_of = as_of_day(people["manager"].raw)
    report = {"load_before": load()}
    for who, session in people.items():
        report[who] = measure_home(session, as_of, args.repeat)
    report["load_after"] = load()
    print(json.dumps(report, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()

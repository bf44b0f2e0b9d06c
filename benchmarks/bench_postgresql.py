"""Speed of crmdesk on a shared PostgreSQL archive beside the SQLite one, as one JSON object.

    python benchmarks/bench_postgresql.py --customers 200000 [--database URL] [--archive PATH]
        [--repeat N] [--rebuild]

How to run: start a PostgreSQL server (15 or later, with the pg_trgm contrib module) that the
current user can reach as a role allowed to create databases, e.g. the superuser on a local
socket, and run the script from the project's virtualenv. --database defaults to
``postgresql:///bench_pg_<N>`` (libpq's default server, or the one PGHOST and PGUSER name);
the database is created when missing and
built with the demo data (crmdesk.services.demo.build_demo, seed 1, as benchmarks/bench.py builds
its archive), then VACUUM (ANALYZE)d, as autovacuum would shortly do on its own. It is reused
when it already holds N customers and was built around the same day as the SQLite archive;
otherwise it is dropped and built again, which the script does only to databases whose name
starts with ``bench_pg``. The SQLite archive (default benchmarks/out/archive-<N>.sqlite3, the file
bench.py uses, git-ignored) is reused or built likewise, so both hold the same customers. At
200,000 customers the two builds take several minutes; the timings after that a few minutes more.
stdout carries only the JSON; progress and a short summary table go to stderr.

What it measures, as the demo manager (visibility rules applied as the services apply them),
after one untimed warm-up run, as the median of N runs (default 9), on both archives:

- building the demo archive (seconds; PostgreSQL should stay within 2x of SQLite);
- search as typed, keystroke by keystroke: for every query of bench.py's SEARCHES each prefix
  ("张", "张伟"; "1", "12", "123", "1234", ...) through the service the customer list uses:
  the whole list (find_ids, then list_rows of the first page of 50 rows), and the first screen
  the list shows before it (first_screen and its rows, target 30 ms), each beside raw SQL;
- the overdue list's first screen, its owner counts (as the follow-up page reads them) and the
  dashboard's follow-up counts (crmdesk.services.followup).

Beside each figure runs a raw floor: hand-written SQL with the same WHERE semantics and ORDER BY,
giving the same ids, through psycopg2 (and the sqlite3 module for the SQLite archive), and the
ratio app/raw. The ids each search finds on PostgreSQL are compared with SQLite's, as ordered
lists and as sets. Every PostgreSQL statement of the measured calls is run once more under
EXPLAIN (ANALYZE, BUFFERS); the plans of slow ones are kept in the JSON ("explain").
The machine may be shared: read the medians, and re-run before believing a single miss.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import sqlite3
import subprocess
import sys
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench import OUT, SEARCHES, compare, figure, note, statements_of, stats  # noqa: E402

from crmdesk.models.postgresql import redacted  # noqa: E402

SEED = 1  # as bench.py builds its archive
DEFAULT_REPEAT = 9
FIRST_PAGE = 50  # rows of the list's first page read with the ids
TARGET_MS = {"search": 50, "first_screen": 30, "overdue_first_screen": 30, "counts": 100}
TARGET_BUILD_RATIO = 2.0  # PostgreSQL build within 2x of SQLite's
RAW_RATIO_GOAL = 3.0  # as bench.py asks of the list and search paths
SLOW_STATEMENT_MS = 10.0  # keep the whole plan of statements slower than this
DEFAULT_URL = "postgresql:///bench_pg_{n}"
DROPPABLE_PREFIX = "bench_pg"
NEVER_TOUCH_PREFIX = "crmdesk_test_"
TRIGRAM_INDEX = "customer_search_text_trgm"


# -- reporting ---------------------------------------------------------------------------------


def side(app_ms: list[float], raw_ms: list[float], target_ms: float | None) -> dict:
    """The SQLite archive's figure for the same call, carried inside the PostgreSQL one."""
    app, raw = stats(app_ms), stats(raw_ms)
    result = {"median_ms": app["median_ms"], "p90_ms": app["p90_ms"],
              "raw_median_ms": raw["median_ms"],
              "ratio_app_raw": round(app["median_ms"] / max(raw["median_ms"], 0.001), 2)}
    if target_ms is not None:
        result["pass"] = app["median_ms"] <= target_ms
    return result


# -- the two archives ---------------------------------------------------------------------------


def pg_parts(url: str) -> dict[str, str]:
    from psycopg2.extensions import parse_dsn

    return parse_dsn(url)


def pg_admin(url: str) -> object:
    """An autocommit connection to the server's maintenance database, for CREATE/DROP DATABASE."""
    import psycopg2
    from psycopg2.extensions import make_dsn

    parts = pg_parts(url)
    parts["dbname"] = "postgres"
    con = psycopg2.connect(make_dsn(**parts))
    con.autocommit = True
    return con


def pg_count(url: str) -> tuple[bool, int | None]:
    """(database exists, customers in it or None when it holds no archive)."""
    import psycopg2

    admin = pg_admin(url)
    with admin.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (pg_parts(url)["dbname"],))
        exists = cur.fetchone() is not None
    admin.close()
    if not exists:
        return False, None
    con = psycopg2.connect(url)
    try:
        with con.cursor() as cur:
            cur.execute("SELECT to_regclass('customer') IS NOT NULL")
            if not cur.fetchone()[0]:
                return True, None
            cur.execute("SELECT count(*) FROM customer")
            return True, cur.fetchone()[0]
    finally:
        con.close()


def sqlite_count(path: Path) -> int | None:
    if not path.exists():
        return None
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as con:
            return con.execute("SELECT count(*) FROM customer").fetchone()[0]
    except sqlite3.Error:
        return None


def demo_day(target: str | Path) -> dt.date | None:
    """The day the demo data was built around, as its audit entry records it."""
    sql = "SELECT at FROM audit_entry WHERE action = 'demo_data' ORDER BY seq DESC LIMIT 1"
    if isinstance(target, Path):
        with sqlite3.connect(f"file:{target}?mode=ro", uri=True) as con:
            row = con.execute(sql).fetchone()
        return dt.date.fromisoformat(str(row[0])[:10]) if row else None
    import psycopg2

    con = psycopg2.connect(target)
    try:
        with con.cursor() as cur:
            cur.execute(sql)
            row = cur.fetchone()
        return row[0].date() if row else None
    finally:
        con.close()


def sqlite_note(path: Path) -> Path:
    return path.with_name(path.name + ".build.json")  # bench.py's layout


def pg_note(url: str) -> Path:
    return OUT / f"postgresql-{pg_parts(url)['dbname']}.build.json"


def read_note(path: Path) -> dict:
    return json.loads(path.read_text()) if path.exists() else {}


def run_build(backend: str, target: str, customers: int, today: dt.date) -> dict:
    """Build in a child process (a clean interpreter, as the app would): wall and inner seconds."""
    note(f"building {customers} demo customers on {backend} ({target}) ...")
    start = time.perf_counter()
    done = subprocess.run([sys.executable, __file__, "--child", backend, "--target", target,
                           "--customers", str(customers), "--today", today.isoformat()],
                          capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode:
        sys.exit(f"bench_postgresql: building the {backend} archive failed:\n{done.stderr}")
    inner = json.loads(done.stdout.strip().splitlines()[-1])
    note(f"built in {seconds:.0f} s")
    return {"seconds": round(seconds, 1), "build_demo_seconds": inner["build_demo_seconds"],
            "vacuum_analyze_seconds": inner.get("vacuum_analyze_seconds"),
            "communications": inner["communications"], "built_on": dt.date.today().isoformat(),
            "today": today.isoformat()}


def child_build(backend: str, target: str, customers: int, today: dt.date) -> None:
    """(child process) Fill a new archive with demo data; print the counts and timings as JSON."""
    from crmdesk.models.db import close_database, database, open_database
    from crmdesk.services.demo import build_demo

    if backend == "sqlite":
        open_database(Path(target))
    else:
        open_database(url=target)
    start = time.perf_counter()
    counts = build_demo(customers, seed=SEED, today=today)
    result = {"customers": counts.customers, "communications": counts.communications,
              "build_demo_seconds": round(time.perf_counter() - start, 1)}
    if backend == "postgresql":
        start = time.perf_counter()
        database.execute_sql("VACUUM (ANALYZE)")
        result["vacuum_analyze_seconds"] = round(time.perf_counter() - start, 1)
    close_database()
    print(json.dumps(result))


def ensure_sqlite(path: Path, customers: int, rebuild: bool) -> dict:
    """Reuse the SQLite archive when it holds ``customers`` customers, else build it."""
    found = sqlite_count(path)
    if found == customers and not rebuild:
        previous = read_note(sqlite_note(path))
        day = previous.get("today") or previous.get("built_on")
        today = dt.date.fromisoformat(day) if day else demo_day(path)
        return {"reused": True, "seconds": previous.get("seconds"),
                "build_demo_seconds": previous.get("build_demo_seconds"),
                "communications": previous.get("communications"),
                "today": today.isoformat() if today else None}
    if found is not None or path.exists():
        if path.parent.resolve() != OUT.resolve():
            sys.exit(f"bench_postgresql: {path} holds {found} customers and is outside "
                     "benchmarks/out; choose another --archive rather than have it replaced")
        for suffix in ("", "-wal", "-shm", ".build.json"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    build = run_build("sqlite", str(path), customers, dt.date.today())
    sqlite_note(path).write_text(json.dumps(
        {k: build[k] for k in ("seconds", "build_demo_seconds", "communications", "built_on",
                               "today")}))
    return {"reused": False, **{k: v for k, v in build.items() if k != "vacuum_analyze_seconds"}}


def ensure_postgresql(url: str, customers: int, today: dt.date, rebuild: bool) -> dict:
    """Reuse the PostgreSQL archive when it holds ``customers`` customers built around ``today``
    (the SQLite archive's day, so that dates match too), else create the database and build it."""
    name = pg_parts(url).get("dbname", "")
    if name.startswith(NEVER_TOUCH_PREFIX):
        sys.exit(f"bench_postgresql: {name} belongs to the test suite; choose another database")
    exists, found = pg_count(url)
    previous = read_note(pg_note(url))
    if exists and found == customers and not rebuild:
        day = previous.get("today") or (demo_day(url) or today).isoformat()
        if day == today.isoformat():
            return {"reused": True, "seconds": previous.get("seconds"),
                    "build_demo_seconds": previous.get("build_demo_seconds"),
                    "vacuum_analyze_seconds": previous.get("vacuum_analyze_seconds"),
                    "communications": previous.get("communications"), "today": day}
        note(f"{name} was built around {day}, the SQLite archive around {today}: rebuilding")
    if exists:
        if not name.startswith(DROPPABLE_PREFIX):
            sys.exit(f"bench_postgresql: the database {name} exists (customers: {found}); only "
                     f"databases named {DROPPABLE_PREFIX}* are dropped and built again, so "
                     "choose another --database")
        admin = pg_admin(url)
        with admin.cursor() as cur:
            cur.execute(f'DROP DATABASE "{name}"')
        admin.close()
    admin = pg_admin(url)
    with admin.cursor() as cur:
        cur.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    build = run_build("postgresql", url, customers, today)
    OUT.mkdir(parents=True, exist_ok=True)
    pg_note(url).write_text(json.dumps(build))
    return {"reused": False, **build}


# -- raw SQL: the same questions by hand -----------------------------------------------------


class Raw:
    """Hand-written SQL giving the ids and rows the services give, through the plain driver.

    Written once with ``?`` marks; on PostgreSQL they become psycopg2's ``%s``. Searches and
    lists leave out the top-secret archives that the member of staff ``staff_id`` may not read,
    as the services do for them.
    """

    VISIBLE = ("id NOT IN (SELECT id FROM customer WHERE confidentiality = 'secret' "
               "AND (owner_id IS NULL OR owner_id != {me}) "
               "AND id NOT IN (SELECT customer_id FROM card_reader WHERE staff_id = {me}))")
    ROWS = ("SELECT id, archive_no, name, mobile, employer, level_id, status, owner_id, "
            "last_contact_at, next_follow_up, confidentiality FROM customer WHERE id IN ({marks})")
    FOLLOWED = ("status NOT IN ('lost', 'invalid') AND next_follow_up IS NOT NULL "
                "AND {level} IN ({levels})")
    FOLLOW_UP_ROWS = (
        "SELECT c.id, c.archive_no, c.name, c.mobile, c.level_id, c.owner_id, c.source, "
        "c.next_follow_up, m.contacted_at, m.method, m.conclusion FROM customer c "
        "LEFT JOIN communication m ON m.id = (SELECT x.id FROM communication x "
        "WHERE x.customer_id = c.id ORDER BY x.contacted_at DESC, x.seq DESC LIMIT 1) "
        "WHERE c.id IN ({marks})")

    def __init__(self, kind: str, target: str | Path, staff_id: int) -> None:
        self.kind = kind
        if kind == "sqlite":
            from crmdesk.models.db import SQLITE_PRAGMAS

            self.con = sqlite3.connect(target, isolation_level=None, timeout=5)
            for name, value in SQLITE_PRAGMAS.items():
                self.con.execute(f"PRAGMA {name} = {value}")
        else:
            import psycopg2

            self.con = psycopg2.connect(str(target))
            self.con.autocommit = True
            self.cur = self.con.cursor()
        self.visible = self.VISIBLE.format(me=int(staff_id))
        levels = self.fetch("SELECT id FROM level WHERE interval_days IS NOT NULL "
                            "ORDER BY sort_order, id")
        self.levels = [row[0] for row in levels]
        # SQLite would take the plain level_id index without "+ 0" (as the service knows).
        self.followed = self.FOLLOWED.format(
            level="level_id + 0" if kind == "sqlite" else "level_id",
            levels=", ".join(str(int(i)) for i in self.levels))
        self.rank = ("CASE level_id " + " ".join(
            f"WHEN {int(lv)} THEN {i}" for i, lv in enumerate(self.levels))
            + f" ELSE {len(self.levels)} END")

    def fetch(self, sql: str, params: tuple | list = ()) -> list[tuple]:
        if self.kind == "sqlite":
            return self.con.execute(sql, params).fetchall()
        self.cur.execute(sql.replace("?", "%s"), params)
        return self.cur.fetchall()

    def close(self) -> None:
        self.con.close()

    def day(self, day: dt.date) -> object:
        """A date as the archive stores it: text on SQLite, a date on PostgreSQL."""
        return day.isoformat() if self.kind == "sqlite" else day

    # search --------------------------------------------------------------------------------

    def substring(self, text: str) -> tuple[str, tuple]:
        if self.kind == "postgresql":
            # pg_trgm's GIN index serves ILIKE '%...%' from three characters on.
            return "search_text ILIKE ?", (f"%{text}%",)
        if len(text) >= 3:
            return ("id IN (SELECT rowid FROM customer_fts WHERE customer_fts MATCH ?)",
                    (f'"{text}"',))
        # On SQLite scanning the narrow search_text index beats scanning the table.
        return "id IN (SELECT id FROM customer WHERE search_text LIKE ?)", (f"%{text}%",)

    def search_where(self, query: str) -> tuple[str, tuple]:
        """The branches of services.search_conditions.condition that typed digits and letters
        take."""
        text = unicodedata.normalize("NFKC", query).strip().lower()
        top = text + "\U0010ffff"
        if text.isdigit():
            if len(text) == 4:
                return "mobile_tail = ?", (text,)
            return ("(mobile >= ? AND mobile < ?) OR (phone >= ? AND phone < ?) "
                    "OR (archive_no >= ? AND archive_no < ?)",
                    (text, top, text, top, "KH" + text, "KH" + top))
        if any(c.isdigit() for c in text) or re.fullmatch(r"kh\d*", text):
            raise ValueError(f"no hand-written SQL for the query {query!r}")
        where, params = self.substring(text)
        if re.fullmatch(r"[a-z]+", text):
            return ("(name_initials >= ? AND name_initials < ?) OR "
                    f"(name_pinyin >= ? AND name_pinyin < ?) OR {where}",
                    (text, top, text, top, *params))
        return where, params

    def search(self, query: str, limit: int | None = None) -> list[int]:
        where, params = self.search_where(query)
        sql = f"SELECT id FROM customer WHERE ({where}) AND {self.visible} ORDER BY archive_no, id"
        return [row[0] for row in self.fetch(
            sql + (f" LIMIT {int(limit)}" if limit is not None else ""), params)]

    def rows(self, ids: list[int]) -> list[tuple]:
        if not ids:
            return []
        return self.fetch(self.ROWS.format(marks=", ".join("?" * len(ids))), list(ids))

    # follow-up ----------------------------------------------------------------------------

    def overdue_ids(self, as_of: dt.date, limit: int) -> list[int]:
        sql = (f"SELECT id FROM customer WHERE {self.followed} AND next_follow_up < ? "
               f"AND {self.visible} ORDER BY next_follow_up, {self.rank}, id LIMIT {int(limit)}")
        return [row[0] for row in self.fetch(sql, (self.day(as_of),))]

    def follow_up_rows(self, ids: list[int]) -> list[tuple]:
        if not ids:
            return []
        return self.fetch(self.FOLLOW_UP_ROWS.format(marks=", ".join("?" * len(ids))), list(ids))

    def overdue_by_owner(self, as_of: dt.date) -> list[tuple]:
        sql = (f"SELECT owner_id, count(*) FROM customer WHERE {self.followed} "
               f"AND next_follow_up < ? AND {self.visible} GROUP BY owner_id")
        return self.fetch(sql, (self.day(as_of),))

    def counts(self, as_of: dt.date) -> tuple[int, int, int, int]:
        """Overdue, due today, due this week, never contacted: one statement."""
        due = f"SELECT count(*) FROM customer WHERE {self.followed} AND {self.visible} AND "
        sql = (f"SELECT ({due} next_follow_up < ?), "
               f"({due} next_follow_up >= ? AND next_follow_up < ?), "
               f"({due} next_follow_up >= ? AND next_follow_up < ?), "
               f"(SELECT count(*) FROM customer WHERE {self.followed} "
               "AND last_contact_at IS NULL)")
        day = self.day
        params = (day(as_of), day(as_of), day(as_of + dt.timedelta(days=1)), day(as_of),
                  day(as_of + dt.timedelta(days=7)))
        return tuple(self.fetch(sql, params)[0])


# -- the app's statements and their plans ----------------------------------------------------


def explain(raw: Raw, statements: list[tuple[str, list]], keep_plan: bool) -> list[dict]:
    """EXPLAIN (ANALYZE, BUFFERS) of each SELECT on PostgreSQL; whole plans of the slow ones."""
    found = []
    for sql, params in statements:
        if not sql.lstrip().upper().startswith("SELECT"):
            continue
        raw.cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        plan = [row[0] for row in raw.cur.fetchall()]
        text = "\n".join(plan)
        executed = re.search(r"Execution Time: ([\d.]+) ms", text)
        planned = re.search(r"Planning Time: ([\d.]+) ms", text)
        ms = float(executed.group(1)) if executed else 0.0
        entry = {
            "sql": raw.cur.mogrify(sql, params).decode()[:600],
            "execution_ms": ms,
            "planning_ms": float(planned.group(1)) if planned else None,
            "trigram_index_used": TRIGRAM_INDEX in text,
            "seq_scans": sorted(set(re.findall(r"Seq Scan on (\w+)", text))),
            "indexes": sorted(set(re.findall(r"(?:Index|Index Only|Bitmap Index) Scan"
                                             r"(?: Backward)? (?:using|on) (\w+)", text))),
        }
        if keep_plan or ms >= SLOW_STATEMENT_MS:
            entry["plan"] = plan
        found.append(entry)
    return found


# -- the measurements ------------------------------------------------------------------------


def prefixes() -> list[tuple[str, str, str]]:
    """(figure name, search name, text) for every keystroke of every search in SEARCHES."""
    typed = []
    for name, query in SEARCHES.items():
        for n in range(1, len(query) + 1):
            typed.append((f"search_{name}_{n}", name, query[:n]))
    return typed


class Archives:
    """Both archives open at once; the services' database proxy is pointed at one or the other."""

    def __init__(self, path: Path, url: str) -> None:
        from crmdesk.models.db import open_database

        self.sqlite_db = open_database(path)
        self.pg_db = open_database(url=url)
        self.actor = self._manager()
        self.raw = {"sqlite": Raw("sqlite", path, self.actor.staff_id),
                    "postgresql": Raw("postgresql", url, self.actor.staff_id)}
        for kind in ("sqlite", "postgresql"):
            self.use(kind)
            if self._manager() != self.actor:
                sys.exit("bench_postgresql: the demo manager differs between the archives")

    @staticmethod
    def _manager() -> object:
        from crmdesk.models import Staff
        from crmdesk.services.context import Actor

        return Actor.of(Staff.get(Staff.username == "manager"))

    def use(self, kind: str) -> None:
        from crmdesk.models.db import database

        database.initialize(self.sqlite_db if kind == "sqlite" else self.pg_db)

    def close(self) -> None:
        from crmdesk.models.db import database

        for raw in self.raw.values():
            raw.close()
        for db in (self.sqlite_db, self.pg_db):
            database.initialize(db)
            db.close()


def measure_both(archives: Archives, app: Callable[[], object], raw: Callable[[Raw], object],
                 repeat: int) -> dict[str, tuple[list[float], list[float]]]:
    """App and raw timings on SQLite, then on PostgreSQL (alternating app and raw runs)."""
    timings = {}
    for kind in ("sqlite", "postgresql"):
        archives.use(kind)
        timings[kind] = compare(app, lambda kind=kind: raw(archives.raw[kind]), repeat)
    return timings


def id_difference(sqlite_ids: list[int], pg_ids: list[int]) -> dict:
    """How two id lists differ: as sets, and in order (the first position they part at)."""
    only_sqlite = sorted(set(sqlite_ids) - set(pg_ids))
    only_pg = sorted(set(pg_ids) - set(sqlite_ids))
    first = next((i for i, (a, b) in enumerate(zip(sqlite_ids, pg_ids, strict=False)) if a != b),
                 None if len(sqlite_ids) == len(pg_ids) else min(len(sqlite_ids), len(pg_ids)))
    return {"same_set": not only_sqlite and not only_pg, "same_order": sqlite_ids == pg_ids,
            "sqlite_matches": len(sqlite_ids), "postgresql_matches": len(pg_ids),
            "only_in_sqlite": only_sqlite[:10], "only_in_sqlite_count": len(only_sqlite),
            "only_in_postgresql": only_pg[:10], "only_in_postgresql_count": len(only_pg),
            "first_order_difference_at": first}


def measure_search(archives: Archives, repeat: int, page: int) -> tuple[dict, list, dict]:
    """Search as typed, every prefix: figures, id differences, and the PostgreSQL plans."""
    from crmdesk.services.search import FIRST_SCREEN, ListQuery, find_ids, first_screen, list_rows

    actor = archives.actor
    figures: dict = {}
    differences = []
    plans: dict = {}
    measured: dict[str, str] = {}
    for key, name, text in prefixes():
        if text in measured:  # the same keystrokes typed for another search
            figures[key] = dict(figures[measured[text]], search=name, measured_as=measured[text])
            continue
        measured[text] = key
        note(f"search {text!r} ...")

        def app(text: str = text) -> int:
            ids = find_ids(ListQuery(text=text), actor)
            list_rows(ids[:page], actor)
            return len(ids)

        def plain(raw: Raw, text: str = text) -> int:
            ids = raw.search(text)
            raw.rows(ids[:page])
            return len(ids)

        def screen(text: str = text) -> int:
            ids = first_screen(ListQuery(text=text), actor)
            list_rows(ids, actor)
            return len(ids)

        def plain_screen(raw: Raw, text: str = text) -> int:
            ids = raw.search(text, limit=FIRST_SCREEN)
            raw.rows(ids)
            return len(ids)

        found = {}
        screens = {}
        for kind in ("sqlite", "postgresql"):
            archives.use(kind)
            found[kind] = (find_ids(ListQuery(text=text), actor), archives.raw[kind].search(text))
            screens[kind] = first_screen(ListQuery(text=text), actor)
        timings = measure_both(archives, app, plain, repeat)
        screen_timings = measure_both(archives, screen, plain_screen, repeat)
        archives.use("postgresql")
        statements = statements_of(app)
        pg_ids, pg_raw_ids = found["postgresql"]
        sqlite_ids = found["sqlite"][0]
        difference = id_difference(sqlite_ids, pg_ids)
        app_ms, raw_ms = timings["postgresql"]
        result = figure(app_ms, TARGET_MS["search"], raw_ms, RAW_RATIO_GOAL,
                        search=name, query=text, matches=len(pg_ids),
                        statements=len(statements), same_result_as_raw=pg_ids == pg_raw_ids,
                        same_ids_as_sqlite_set=difference["same_set"],
                        same_ids_as_sqlite_order=difference["same_order"])
        result["sqlite"] = dict(side(*timings["sqlite"], TARGET_MS["search"]),
                                matches=len(sqlite_ids),
                                same_result_as_raw=sqlite_ids == found["sqlite"][1])
        result["ratio_postgresql_sqlite"] = round(
            result["median_ms"] / max(result["sqlite"]["median_ms"], 0.001), 2)
        # What the list shows first, before the whole list and its count arrive.
        screen_ms, raw_screen_ms = screen_timings["postgresql"]
        result["first_screen"] = figure(
            screen_ms, TARGET_MS["first_screen"], raw_screen_ms,
            ids_same_as_raw=screens["postgresql"] == pg_raw_ids[:FIRST_SCREEN],
            sqlite=dict(side(*screen_timings["sqlite"], TARGET_MS["first_screen"]),
                        ids_same_as_raw=screens["sqlite"] == found["sqlite"][1][:FIRST_SCREEN]))
        figures[key] = result
        if not (difference["same_set"] and difference["same_order"]):
            differences.append({"figure": key, "query": text, **difference})
        plans[key] = {
            "app": explain(archives.raw["postgresql"], statements, not result["pass"]),
            "raw": explain(archives.raw["postgresql"],
                           [_raw_search_statement(archives.raw["postgresql"], text)],
                           not result["pass"]),
        }
    return figures, differences, plans


def _raw_search_statement(raw: Raw, text: str) -> tuple[str, list]:
    where, params = raw.search_where(text)
    sql = f"SELECT id FROM customer WHERE ({where}) AND {raw.visible} ORDER BY archive_no, id"
    return sql.replace("?", "%s"), list(params)


def by_owner(counts: list[tuple]) -> list[tuple]:
    """(owner, count) pairs in one order whatever order ties came in (nobody's last)."""
    return sorted(counts, key=lambda r: (r[0] is None, r[0] or 0))


def measure_followup(archives: Archives, as_of: dt.date, repeat: int) -> tuple[dict, list, dict]:
    """The overdue page's first screen and owner counts, and the dashboard counts."""
    from crmdesk.services import followup
    from crmdesk.services.followup import FollowUpFilter

    actor = archives.actor

    def first_screen_raw(raw: Raw) -> list[tuple]:
        return raw.follow_up_rows(raw.overdue_ids(as_of, followup.FIRST_SCREEN))

    calls = {
        # What the follow-up page reads for a manager opening the overdue list (no filter).
        "overdue_first_screen": (
            lambda: followup.overdue(as_of, FollowUpFilter(), actor, offset=0),
            first_screen_raw,
            lambda rows: [r.customer_id for r in rows],
            lambda rows: [r[0] for r in rows],
            TARGET_MS["overdue_first_screen"],
            "followup.overdue(as_of, FollowUpFilter(), manager): the page's first 100 rows"),
        "overdue_owner_counts": (
            lambda: followup.overdue_by_owner(as_of, FollowUpFilter(), actor),
            lambda raw: raw.overdue_by_owner(as_of),
            lambda rows: by_owner([(r.owner_id, r.count) for r in rows]),
            lambda rows: by_owner([tuple(r) for r in rows]),
            TARGET_MS["counts"],
            "followup.overdue_by_owner: the page's counts beside the list, one per owner"),
        "followup_counts": (
            lambda: followup.counts(as_of, actor),
            lambda raw: raw.counts(as_of),
            lambda c: (c.overdue, c.due_today, c.due_this_week, c.never_contacted),
            tuple,
            TARGET_MS["counts"],
            "followup.counts(as_of, manager): the dashboard's overdue, due today, due this "
            "week and never contacted"),
    }
    figures: dict = {}
    differences = []
    plans: dict = {}
    for key, (app, plain, app_key, raw_key, target, what) in calls.items():
        note(f"{key} ...")
        found = {}
        for kind in ("sqlite", "postgresql"):
            archives.use(kind)
            found[kind] = (app_key(app()), raw_key(plain(archives.raw[kind])))
        timings = measure_both(archives, app, plain, repeat)
        archives.use("postgresql")
        statements = statements_of(app)
        pg, pg_raw = found["postgresql"]
        lite, lite_raw = found["sqlite"]
        app_ms, raw_ms = timings["postgresql"]
        result = figure(app_ms, target, raw_ms, what=what, as_of=as_of.isoformat(),
                        statements=len(statements), same_result_as_raw=pg == pg_raw,
                        same_result_as_sqlite=pg == lite)
        if key == "overdue_first_screen":
            result["rows"] = len(pg)
        else:
            result["result"] = pg
        result["sqlite"] = dict(side(*timings["sqlite"], target),
                                same_result_as_raw=lite == lite_raw)
        result["ratio_postgresql_sqlite"] = round(
            result["median_ms"] / max(result["sqlite"]["median_ms"], 0.001), 2)
        figures[key] = result
        if pg != lite:
            differences.append({"figure": key, "sqlite": lite, "postgresql": pg})
        plans[key] = {"app": explain(archives.raw["postgresql"], statements,
                                     not result["pass"])}
    return figures, differences, plans


# -- putting it together ---------------------------------------------------------------------


def server_facts(url: str) -> dict:
    import psycopg2

    con = psycopg2.connect(url)
    facts: dict = {}
    with con.cursor() as cur:
        cur.execute("SHOW server_version")
        facts["version"] = cur.fetchone()[0]
        for name in ("shared_buffers", "work_mem", "effective_cache_size", "random_page_cost",
                     "jit", "max_parallel_workers_per_gather"):
            cur.execute(f"SHOW {name}")
            facts[name] = cur.fetchone()[0]
        cur.execute("SELECT datcollate, datctype FROM pg_database WHERE datname = "
                    "current_database()")
        facts["collate"], facts["ctype"] = cur.fetchone()
        cur.execute("SELECT indexdef FROM pg_indexes WHERE tablename = 'customer' "
                    "AND indexname = %s", (TRIGRAM_INDEX,))
        row = cur.fetchone()
        facts["trigram_index"] = row[0] if row else None
        cur.execute("SELECT last_analyze, last_autoanalyze, last_vacuum, last_autovacuum "
                    "FROM pg_stat_user_tables WHERE relname = 'customer'")
        row = cur.fetchone()
        facts["customer_stats"] = {k: v.isoformat(" ", "seconds") if v else None for k, v in
                                   zip(("last_analyze", "last_autoanalyze", "last_vacuum",
                                        "last_autovacuum"), row or (None,) * 4, strict=True)}
        cur.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        facts["database_size"] = cur.fetchone()[0]
    con.close()
    return facts


def run(path: Path, url: str, customers: int, repeat: int, page: int, rebuild: bool) -> dict:
    """Build or reuse both archives, then every measurement, in one JSON-ready dict."""
    load_before = os.getloadavg()[0]
    lite = ensure_sqlite(path, customers, rebuild)
    today = dt.date.fromisoformat(lite["today"]) if lite.get("today") else dt.date.today()
    pg = ensure_postgresql(url, customers, today, rebuild)
    build: dict = {"sqlite": lite, "postgresql": pg, "target_ratio": TARGET_BUILD_RATIO}
    if lite.get("seconds") and pg.get("seconds"):
        build["ratio_postgresql_sqlite"] = round(pg["seconds"] / lite["seconds"], 2)
        build["pass"] = build["ratio_postgresql_sqlite"] <= TARGET_BUILD_RATIO
        if lite.get("build_demo_seconds") and pg.get("build_demo_seconds"):
            build["ratio_build_demo_only"] = round(
                pg["build_demo_seconds"] / lite["build_demo_seconds"], 2)
    else:
        build["pass"] = None  # a reused archive without its build note

    archives = Archives(path, url)
    note("search as typed ...")
    figures, differences, plans = measure_search(archives, repeat, page)
    note("follow-up lists ...")
    more, follow_differences, follow_plans = measure_followup(archives, today, repeat)
    figures.update(more)
    plans.update(follow_plans)
    archives.close()

    missed = sorted(name for name, f in figures.items()
                    if f.get("pass") is False or f.get("ratio_pass") is False)
    if build.get("pass") is False:
        missed.insert(0, "build")
    return {
        "customers": customers,
        "communications": pg.get("communications"),
        "database": redacted(url),
        "archive": os.path.relpath(path, ROOT),
        "repeat": repeat,
        "first_page_rows": page,
        "as_of": today.isoformat(),
        "machine": {"cpus": os.cpu_count(), "load_avg_1m_before": round(load_before, 2),
                    "load_avg_1m_after": round(os.getloadavg()[0], 2),
                    "python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
                    "postgresql": server_facts(url)},
        "build": build,
        "figures": figures,
        "id_differences": differences + follow_differences,
        "explain": plans,
        "missed": missed,
    }


def summary(report: dict) -> str:
    """A short table for people: PostgreSQL and its floor beside SQLite and its floor."""
    build = report["build"]
    lines = [f"{report['customers']} customers, median of {report['repeat']} runs, "
             f"as of {report['as_of']}",
             f"build: SQLite {build['sqlite'].get('seconds')} s, PostgreSQL "
             f"{build['postgresql'].get('seconds')} s, ratio "
             f"{build.get('ratio_postgresql_sqlite')} (target <= {TARGET_BUILD_RATIO}): "
             f"{'pass' if build.get('pass') else 'FAIL' if build.get('pass') is False else '?'}",
             f"{'figure':34} {'query':10} {'pg ms':>8} {'raw':>7} {'x':>5} {'tgt':>4} "
             f"{'':4} {'sqlite':>8} {'raw':>7} {'rows':>7} same"]
    for key, f in report["figures"].items():
        lite = f.get("sqlite", {})
        same = f.get("same_ids_as_sqlite_order", f.get("same_result_as_sqlite"))
        lines.append(
            f"{key:34} {f.get('query', ''):10} {f['median_ms']:8.1f} {f['raw_median_ms']:7.1f} "
            f"{f['ratio_app_raw']:5.1f} {f.get('target_ms', ''):>4} "
            f"{'ok' if f.get('pass') else 'MISS':4} {lite.get('median_ms', 0):8.1f} "
            f"{lite.get('raw_median_ms', 0):7.1f} {f.get('matches', f.get('rows', '')):>7} "
            f"{'yes' if same else 'NO'}")
    lines.append(f"id differences: {len(report['id_differences'])}; missed: "
                 f"{', '.join(report['missed']) or 'none'}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=200_000, metavar="N")
    parser.add_argument("--database", metavar="URL",
                        help="PostgreSQL archive (default " + DEFAULT_URL.format(n="<N>") + ")")
    parser.add_argument("--archive", type=Path, metavar="PATH",
                        help="SQLite archive file (default benchmarks/out/archive-<N>.sqlite3)")
    parser.add_argument("--repeat", type=int, default=DEFAULT_REPEAT, metavar="N",
                        help=f"timed runs per figure (default {DEFAULT_REPEAT})")
    parser.add_argument("--page", type=int, default=FIRST_PAGE, metavar="ROWS",
                        help=f"rows read with each search's ids (default {FIRST_PAGE})")
    parser.add_argument("--rebuild", action="store_true",
                        help="build both archives again even if they hold N customers")
    parser.add_argument("--child", choices=("sqlite", "postgresql"), help=argparse.SUPPRESS)
    parser.add_argument("--target", help=argparse.SUPPRESS)
    parser.add_argument("--today", type=dt.date.fromisoformat, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_build(args.child, args.target, args.customers, args.today)
        return
    url = args.database or DEFAULT_URL.format(n=f"{args.customers // 1000}k"
                                              if args.customers % 1000 == 0
                                              else args.customers)
    path = (args.archive or OUT / f"archive-{args.customers}.sqlite3").resolve()
    report = run(path, url, args.customers, max(args.repeat, 1), args.page, args.rebuild)
    print(json.dumps(report, ensure_ascii=False, indent=1, default=str), flush=True)
    print(summary(report), file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()

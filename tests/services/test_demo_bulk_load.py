"""The demo is loaded with the archive's upkeep set aside (crmdesk.models.bulk_load) and leaves
exactly what triggers and indexes kept up row by row would have: the same rows in every table,
the derived ones included, and the same indexes and triggers."""
from __future__ import annotations

import datetime as dt
from contextlib import nullcontext

import peewee
import pytest

from crmdesk.models import ALL_MODELS, AuditEntry, ChangeEvent, search_pieces
from crmdesk.models.bulk_load import secondary_indexes
from crmdesk.models.db import close_database, database, open_database
from crmdesk.models.search_index import FTS_TABLE
from crmdesk.models.search_pieces import PIECE_TABLE
from crmdesk.progress import Cancelled, Job
from crmdesk.services import demo
from crmdesk.services.demo import build_demo
from tests.statements import statements_run

# In the past, so the front desk's visits of the last days do not depend on the clock.
TODAY = dt.date(2026, 3, 2)
CUSTOMERS = 90
# Strings of three characters or more, as the trigram index is asked for them.
TRIGRAM_SEARCHES = ("有限公司", "科技有限", "贸易有限")


def _postgresql() -> bool:
    return isinstance(database.obj, peewee.PostgresqlDatabase)


def schema() -> set[tuple]:
    """The archive's indexes and triggers as the database describes them."""
    if _postgresql():
        indexes = database.execute_sql(
            "SELECT tablename, indexdef FROM pg_indexes WHERE schemaname = current_schema()")
        triggers = database.execute_sql(
            "SELECT tgrelid::regclass::text, pg_get_triggerdef(oid) FROM pg_trigger "
            "WHERE NOT tgisinternal")
        return {("index", *row) for row in indexes} | {("trigger", *row) for row in triggers}
    return set(database.execute_sql(
        "SELECT type, tbl_name, sql FROM sqlite_master WHERE type IN ('index', 'trigger')"))


def contents() -> dict[str, list]:
    """Every table's rows in a fixed order (of the audit trail and the change events, which
    hold the moment they were written, only the actions), the search pieces and, on SQLite,
    what the trigram index finds."""
    found = {}
    tables = [m._meta.table_name for m in ALL_MODELS if m not in (AuditEntry, ChangeEvent)]
    if not _postgresql():
        tables.append(PIECE_TABLE)
    for table in tables:
        found[table] = sorted(database.execute_sql(f'SELECT * FROM "{table}"'), key=repr)
    found["audit"] = sorted(AuditEntry.select(AuditEntry.action).tuples())
    found["changes"] = ChangeEvent.select().count()
    if not _postgresql():
        # The index agrees with the customers' texts (rank 1: checked against the content).
        database.execute_sql(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) "
                             "VALUES ('integrity-check', 1)")
        for text in TRIGRAM_SEARCHES:
            found[text] = [row for row in database.execute_sql(
                f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ? ORDER BY rowid",
                (f'"{text}"',))]
            assert found[text]
    return found


def test_a_demo_loaded_in_bulk_equals_one_kept_up_row_by_row(
        archive, postgresql_server, tmp_path, monkeypatch):
    monkeypatch.setattr(demo, "BATCH", 40)  # three batches
    monkeypatch.setattr(search_pieces, "FILL_SLICE", 25)  # pieces filled in four slices
    before = schema()
    build_demo(CUSTOMERS, seed=7, today=TODAY)
    assert schema() == before
    in_bulk = contents()
    close_database()

    # The same demo with every trigger firing and every index kept, row by row.
    monkeypatch.setattr(demo, "derived_tables_set_aside", lambda db: nullcontext())
    monkeypatch.setattr(demo, "indexes_set_aside", lambda db, tables: nullcontext())
    other = postgresql_server.new_archive() if postgresql_server and "://" in str(archive) \
        else tmp_path / "row_by_row.sqlite3"
    open_database(other)
    try:
        build_demo(CUSTOMERS, seed=7, today=TODAY)
        row_by_row = contents()
    finally:
        close_database()
        if isinstance(other, str):
            postgresql_server.drop(other)
    assert in_bulk.keys() == row_by_row.keys()
    for table, rows in row_by_row.items():
        assert in_bulk[table] == rows, table
    open_database(archive)


def test_the_batches_are_written_with_no_trigger_and_no_secondary_index(archive, monkeypatch):
    monkeypatch.setattr(demo, "BATCH", 20)
    kept_up = (*demo.LOADED_TABLES, "deal", "milestone")
    seen = []

    def progress(done: int, total: int) -> None:
        triggers = {table for kind, table, _sql in schema() if kind == "trigger"}
        seen.append((triggers & set(kept_up),
                     secondary_indexes(database.obj, demo.LOADED_TABLES)))

    build_demo(40, seed=2, today=TODAY, progress=progress)
    assert seen == [(set(), []), (set(), [])]
    assert len(secondary_indexes(database.obj, demo.LOADED_TABLES)) > 10


def test_a_cancelled_demo_leaves_the_indexes_and_triggers_as_they_were(archive, monkeypatch):
    monkeypatch.setattr(demo, "BATCH", 20)
    before = schema()
    job = Job()
    with pytest.raises(Cancelled):
        build_demo(60, seed=4, today=TODAY, progress=lambda done, total: job.cancel(),
                   cancel=job)
    assert schema() == before


@pytest.mark.sqlite_only
def test_the_connection_keeps_its_own_cache_after_a_demo(archive, monkeypatch):
    monkeypatch.setattr(demo, "BATCH", 20)
    settings = "PRAGMA cache_size", "PRAGMA threads"
    before = [database.execute_sql(pragma).fetchone() for pragma in settings]
    job = Job()
    with pytest.raises(Cancelled):
        build_demo(20, seed=2, today=TODAY, progress=lambda done, total: job.cancel(),
                   cancel=job)
    assert [database.execute_sql(pragma).fetchone() for pragma in settings] == before
    build_demo(20, seed=2, today=TODAY)
    assert [database.execute_sql(pragma).fetchone() for pragma in settings] == before


def test_postgresql_knows_the_loaded_tables_before_it_works_the_summaries_out(
        archive, backend, caplog):
    """Without statistics of the tables just loaded, PostgreSQL's planner takes them for nearly
    empty and reads every deal again for each card (146 s for 200,000 customers)."""
    if backend == "sqlite":
        pytest.skip("about PostgreSQL's planner")
    statements = statements_run(caplog, lambda: build_demo(CUSTOMERS, seed=3, today=TODAY))
    analyzed = statements.index("ANALYZE")
    assert analyzed < next(i for i, sql in enumerate(statements)
                           if sql.startswith("INSERT INTO milestone"))

"""Loading a great many rows into an empty archive at once, the archive's upkeep set aside.

Row by row, triggers keep the derived tables in step (the statistics' summaries, the search
pieces and the trigram index of the search text, the follow-up tally) and every index of a
table takes each new row in its place. For millions of rows that upkeep costs far more than
the rows themselves: the indexes outgrow the cache and are rewritten page by page. Loading into
an empty archive, it is cheaper to sort each index once after the load and to work each derived
table out once from the loaded rows, with the code that fills it when its schema step runs.

``derived_tables_set_aside`` and ``indexes_set_aside`` do their work in the caller's
transaction (DDL is transactional on SQLite and on PostgreSQL): a load that fails or is
cancelled midway rolls back to the archive as it was, indexes and triggers included, and on
leaving with an error they do nothing more. ``load_settings`` gives SQLite's connection room
for the load and its own settings back afterwards.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import peewee

from crmdesk.models import follow_up_tally, summaries
from crmdesk.models.search_index import create_search_index
from crmdesk.models.search_pieces import create_search_pieces

# On SQLite, for the load: a page cache holding more of the tables the indexes are sorted from
# (64 MiB otherwise), and helper threads for SQLite's sorter (the machine's spare cores).
LOAD_CACHE_MIB = 256
SORTER_THREADS = 2
# The triggers keeping a derived table that are dropped for a load, by table; the summaries
# drop and make their own (crmdesk.models.summaries).
SQLITE_TRIGGERS = {
    "customer": ("customer_fts_ai", "customer_fts_ad", "customer_fts_au",
                 "search_piece_ai", "search_piece_ad", "search_piece_au",
                 "follow_up_tally_ai", "follow_up_tally_ad", "follow_up_tally_au"),
}
POSTGRESQL_TRIGGERS = {
    "customer": ("follow_up_tally_insert_delete", "follow_up_tally_update"),
}


def _is_postgresql(db: peewee.Database) -> bool:
    return isinstance(db, peewee.PostgresqlDatabase)


def _drop_triggers(db: peewee.Database) -> None:
    postgresql = _is_postgresql(db)
    for table, names in (POSTGRESQL_TRIGGERS if postgresql else SQLITE_TRIGGERS).items():
        for name in names:
            db.execute_sql(f"DROP TRIGGER IF EXISTS {name}" + (f" ON {table}" if postgresql
                                                                else ""))
    summaries.remove_triggers(db)


def _fill_derived_tables(db: peewee.Database) -> None:
    """Make the dropped triggers again and work their tables out from the loaded rows, as a
    new archive's creation does (crmdesk.models.migrations.create_archive).

    PostgreSQL first gathers its planner's statistics of the loaded tables: without them it
    takes them for nearly empty, and worked each card's completeness out by reading every
    deal again (146 s for 200,000 customers, against 2 s after ANALYZE).
    """
    if _is_postgresql(db):
        db.execute_sql("ANALYZE")
    if isinstance(db, peewee.SqliteDatabase):
        create_search_index(db)
        create_search_pieces(db)
    follow_up_tally.create_follow_up_tally(db)
    summaries.rebuild(db)


@contextmanager
def derived_tables_set_aside(db: peewee.Database) -> Iterator[None]:
    """Drop the triggers keeping the derived tables for a load into an empty archive; after
    it, fill those tables from the loaded rows and make the triggers again.

    Call inside a transaction. The derived tables must be empty (no customers, no log).
    """
    _drop_triggers(db)
    yield
    _fill_derived_tables(db)


def secondary_indexes(db: peewee.Database, tables: tuple[str, ...]) -> list[tuple[str, str]]:
    """The indexes of ``tables`` that can be dropped and made again (name, creating SQL): all
    but the primary keys and (PostgreSQL) the indexes behind constraints."""
    marks = ", ".join([db.param] * len(tables))
    if _is_postgresql(db):
        query = ("SELECT i.indexname, i.indexdef FROM pg_indexes i "
                 "JOIN pg_namespace n ON n.nspname = i.schemaname "
                 "JOIN pg_class c ON c.relname = i.indexname AND c.relnamespace = n.oid "
                 f"WHERE i.tablename IN ({marks}) AND i.schemaname = current_schema() "
                 "AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conindid = c.oid) "
                 "ORDER BY i.indexname")
    else:
        query = (f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                 f"AND tbl_name IN ({marks}) ORDER BY name")
    return [(name, sql) for name, sql in db.execute_sql(query, tables)]


@contextmanager
def indexes_set_aside(db: peewee.Database, tables: tuple[str, ...]) -> Iterator[None]:
    """Drop the secondary indexes of ``tables`` for a load; after it, create them again as
    they were (each sorted once). Call inside a transaction."""
    indexes = secondary_indexes(db, tables)
    for name, _sql in indexes:
        db.execute_sql(f'DROP INDEX "{name}"')
    yield
    for _name, sql in indexes:
        db.execute_sql(sql)


@contextmanager
def load_settings(db: peewee.Database) -> Iterator[None]:
    """On SQLite, a larger page cache and sorter threads for a load; the connection's own
    settings again afterwards, whatever happened."""
    if not isinstance(db, peewee.SqliteDatabase):
        yield
        return
    names = ("cache_size", "threads")
    kept = {name: db.execute_sql(f"PRAGMA {name}").fetchone()[0] for name in names}
    db.execute_sql(f"PRAGMA cache_size = {-LOAD_CACHE_MIB * 1024}")
    db.execute_sql(f"PRAGMA threads = {SORTER_THREADS}")
    try:
        yield
    finally:
        for name, value in kept.items():
            db.execute_sql(f"PRAGMA {name} = {int(value)}")

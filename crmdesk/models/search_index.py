"""The trigram indexes that make substring search instant on either backend.

On the embedded SQLite archive an FTS5 trigram side table over ``customer.search_text`` answers
queries of three characters or more without scanning; triggers keep it in step with every
insert, update and delete. On PostgreSQL a GIN index with pg_trgm's operator class serves the
LIKE queries the search runs for three characters or more, and a GIN index over every one- and
two-character piece of the text serves shorter ones; the database keeps both up to date.
"""
from __future__ import annotations

import logging

import peewee

log = logging.getLogger(__name__)

FTS_TABLE = "customer_fts"

_DDL = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
    "search_text, content='customer', content_rowid='id', tokenize='trigram')",
    f"CREATE TRIGGER IF NOT EXISTS customer_fts_ai AFTER INSERT ON customer BEGIN "
    f"INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text); END",
    f"CREATE TRIGGER IF NOT EXISTS customer_fts_ad AFTER DELETE ON customer BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    f"CREATE TRIGGER IF NOT EXISTS customer_fts_au AFTER UPDATE OF search_text ON customer BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    f"INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text); END",
)


TRIGRAM_INDEX = "customer_search_text_trgm"
# pg_trgm needs three characters; one- and two-character searches (a given name such as 张伟,
# the first keystrokes) use a GIN index over every one- and two-character piece of the text.
GRAMS_FUNCTION = "customer_grams"
GRAMS_INDEX = "customer_search_grams"
_GRAMS_DDL = (
    f"CREATE OR REPLACE FUNCTION {GRAMS_FUNCTION}(t text) RETURNS text[] "
    "LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ "
    "SELECT coalesce(array_agg(DISTINCT substr(t, i, n)), '{}') "
    "FROM generate_series(1, length(t)) AS i, (VALUES (1), (2)) AS v(n) "
    "WHERE i + n - 1 <= length(t) $$",
    f"CREATE INDEX IF NOT EXISTS {GRAMS_INDEX} ON customer "
    f"USING gin ({GRAMS_FUNCTION}(search_text))",
)


def _create_postgresql_index(db: peewee.Database) -> None:
    for statement in _GRAMS_DDL:
        db.execute_sql(statement)
    available = db.execute_sql(
        "SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'").fetchone()
    if not available:
        # Search still works (by scanning); the server lacks PostgreSQL's contrib modules.
        log.warning("pg_trgm is not installed on the server: substring search scans the table")
        return
    db.execute_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    db.execute_sql(f"CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} ON customer "
                   "USING gin (search_text gin_trgm_ops)")


def create_search_index(db: peewee.Database) -> None:
    """Create the trigram index (and on SQLite its triggers), filling it from the archive."""
    if isinstance(db, peewee.PostgresqlDatabase):
        _create_postgresql_index(db)
        return
    if not isinstance(db, peewee.SqliteDatabase):
        return
    for statement in _DDL:
        db.execute_sql(statement)
    db.execute_sql(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")


def has_search_index(db: peewee.Database) -> bool:
    """True when the archive has the trigram index."""
    return isinstance(db, peewee.SqliteDatabase) and FTS_TABLE in db.get_tables()

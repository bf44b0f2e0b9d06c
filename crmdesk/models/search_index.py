"""The full-text side table that makes substring search instant on the embedded SQLite archive.

An FTS5 trigram index over ``customer.search_text`` answers queries of three characters or more
without scanning; triggers keep it in step with every insert, update and delete. PostgreSQL
archives have no such table and search with ILIKE instead.
"""
from __future__ import annotations

import peewee

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


def create_search_index(db: peewee.Database) -> None:
    """Create the trigram index and its triggers (SQLite only), filling it from the archive."""
    if not isinstance(db, peewee.SqliteDatabase):
        return
    for statement in _DDL:
        db.execute_sql(statement)
    db.execute_sql(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")


def has_search_index(db: peewee.Database) -> bool:
    """True when the archive has the trigram index."""
    return isinstance(db, peewee.SqliteDatabase) and FTS_TABLE in db.get_tables()

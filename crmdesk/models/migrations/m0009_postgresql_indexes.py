"""Schema 9: indexes for search and counts on a PostgreSQL archive (nothing on SQLite).

SQLite archives got their FTS5 trigram table in schema 2; PostgreSQL ones scanned the table for
every search of a name or company. ``create_search_index`` adds a pg_trgm GIN index (three
characters or more) and a GIN index over the one- and two-character pieces (shorter searches);
``create_count_indexes`` lets the follow-up counts read customer ids from their indexes.
"""
from __future__ import annotations

import peewee
from playhouse.migrate import SchemaMigrator

from crmdesk.models.count_indexes import create_count_indexes
from crmdesk.models.search_index import create_search_index


def run(migrator: SchemaMigrator, db: peewee.Database) -> None:
    """Create the search and count indexes on a PostgreSQL archive."""
    if isinstance(db, peewee.PostgresqlDatabase):
        create_search_index(db)
        create_count_indexes(db)

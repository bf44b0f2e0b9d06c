"""Schema 9: a pg_trgm index for substring search on a PostgreSQL archive (nothing on SQLite).

SQLite archives got their FTS5 trigram table in schema 2; PostgreSQL ones scanned the table for
every search of a name or company. ``create_search_index`` adds the GIN trigram index there.
"""
from __future__ import annotations

import peewee
from playhouse.migrate import SchemaMigrator

from crmdesk.models.search_index import create_search_index


def run(migrator: SchemaMigrator, db: peewee.Database) -> None:
    """Create the trigram index on a PostgreSQL archive."""
    if isinstance(db, peewee.PostgresqlDatabase):
        create_search_index(db)

"""Schema 26: the one- and two-character pieces of every customer's search text (SQLite).

One- and two-character searches read the whole search column before (100 ms at 200,000
customers for 张); the piece table answers them from an index (crmdesk.models.search_pieces).
This step creates the table and its triggers and fills it from every customer: about 3.7
million pieces, 53 MiB and about 10 seconds of processor time at 200,000 customers. A
PostgreSQL archive has its GIN index over the same pieces since schema 9.

The index of the whole search text (schema 5, 8.6 MiB at 200,000 customers) served only the
scan the pieces replace, and goes on both backends.
"""
from __future__ import annotations

import peewee
from playhouse.migrate import SchemaMigrator

from crmdesk.models.search_pieces import create_search_pieces


def run(migrator: SchemaMigrator, db: peewee.Database) -> None:
    """Create and fill the piece table of a SQLite archive; drop the search-text index."""
    create_search_pieces(db)
    db.execute_sql('DROP INDEX IF EXISTS "customer_search_text"')

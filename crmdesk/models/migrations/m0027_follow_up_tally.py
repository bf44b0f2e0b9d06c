"""Schema 27: the follow-up tally, kept by triggers on ``customer``.

The dashboard's follow-up counts and the overdue count by salesperson add up the tally
(crmdesk.models.follow_up_tally) instead of counting customers one by one; this step creates it
with its triggers and fills it from the archive's customers, on SQLite and on PostgreSQL alike.
"""
from __future__ import annotations

import peewee
from playhouse.migrate import SchemaMigrator

from crmdesk.models.follow_up_tally import create_follow_up_tally


def run(migrator: SchemaMigrator, db: peewee.Database) -> None:
    """Create and fill the follow-up tally."""
    create_follow_up_tally(db)

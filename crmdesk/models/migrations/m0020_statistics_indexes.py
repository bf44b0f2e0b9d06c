"""Schema 20: indexes for the manager's statistics.

Each salesperson's contacts in a period (by time, with recorder and customer), each
customer's graded contacts in order (for levels raised and lowered), and the archives
registered or first contacted in a period. Written out here rather than read from the models,
so that this step stays what it was when later steps change the models.
"""
from __future__ import annotations

import peewee
from playhouse.migrate import SchemaMigrator

INDEXES = (
    ("communication", "communication_recorded",
     ("contacted_at", "recorded_by_id", "customer_id"), None),
    ("communication", "communication_graded",
     ("customer_id", "contacted_at", "seq", "level_id", "recorded_by_id"),
     "level_id IS NOT NULL"),
    ("customer", "customer_created_at", ("created_at",), None),
    ("customer", "customer_first_contact_date", ("first_contact_date",), None),
)


def run(migrator: SchemaMigrator, db: peewee.Database) -> None:
    """Create the statistics indexes."""
    for table, name, columns, where in INDEXES:
        db.execute(peewee.Index(name, peewee.Table(table), [peewee.Entity(c) for c in columns],
                                where=peewee.SQL(where) if where else None, safe=True))

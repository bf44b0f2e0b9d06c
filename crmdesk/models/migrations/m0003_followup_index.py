"""Schema 3: partial indexes for the overdue follow-up list and the dashboard counts.

They hold only followed-up customers (not lost or invalid, with a next follow-up date), keyed
by next follow-up date (the overdue list, due today/this week) and by owner (one salesperson's
list, grouping by owner). Written out here rather than read from the models, so that this step
stays what it was when later steps change the models.
"""
from __future__ import annotations

import peewee
from playhouse.migrate import SchemaMigrator

WHERE = "status NOT IN ('lost', 'invalid') AND next_follow_up IS NOT NULL"
INDEXES = (
    ("customer_follow_up", ("next_follow_up", "level_id", "owner_id")),
    ("customer_follow_up_owner", ("owner_id", "next_follow_up", "level_id")),
)


def run(migrator: SchemaMigrator, db: peewee.Database) -> None:
    """Create the follow-up indexes on ``customer``."""
    table = peewee.Table("customer")
    for name, columns in INDEXES:
        db.execute(peewee.Index(name, table, [peewee.Entity(c) for c in columns],
                                where=peewee.SQL(WHERE), safe=True))

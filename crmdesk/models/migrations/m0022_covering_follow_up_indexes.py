"""Schema 22: the follow-up indexes on SQLite hold the status too, so they cover the counts.

The overdue count, the dashboard counts and the overdue list's first screen test the status
("not lost or invalid") of every customer they count. Without the status in the index SQLite
read each counted customer's whole row (60 ms for the 18,000 overdue customers of a 200,000
archive); with it the index alone answers. PostgreSQL proves the test from the indexes' own
condition and keeps its indexes (crmdesk.models.count_indexes). Written out here rather than
read from the models, so that this step stays what it was when later steps change the models.
"""
from __future__ import annotations

import peewee
from playhouse.migrate import SchemaMigrator

WHERE = "status NOT IN ('lost', 'invalid') AND next_follow_up IS NOT NULL"
INDEXES = (
    ("customer_follow_up", ("next_follow_up", "level_id", "owner_id", "status")),
    ("customer_follow_up_owner", ("owner_id", "next_follow_up", "level_id", "status")),
)


def run(migrator: SchemaMigrator, db: peewee.Database) -> None:
    """Rebuild the follow-up indexes of a SQLite archive with the status included."""
    if not isinstance(db, peewee.SqliteDatabase):
        return
    table = peewee.Table("customer")
    for name, columns in INDEXES:
        db.execute_sql(f'DROP INDEX IF EXISTS "{name}"')
        db.execute(peewee.Index(name, table, [peewee.Entity(c) for c in columns],
                                where=peewee.SQL(WHERE)))

"""Schema 29: the home page's indexes: birthdays by month and day, top-secret archives by owner.

A salesperson's birthday tile read the month and day of every one of their customers' dates
(335 ms at 1,000,000 customers); the four birthday indexes (crmdesk.models.birthday_index)
answer it from a few look-ups. Every figure of the home page also leaves out the top-secret
archives of others, found through the index of confidentiality, whose rows were then read for
their owner (50 ms at 1,000,000 customers); the index of confidentiality and owner names them
alone (1 ms) and replaces it. Each index is filled from the archive's customers as it is
created, on SQLite and on PostgreSQL alike: at 1,000,000 customers 3 seconds of processor time,
10 MiB for the birthdays (the new index of confidentiality and owner is the size of the one it
replaces). The second index is written out here rather than read from the models, so that this
step stays what it was when later steps change the models.
"""
from __future__ import annotations

import peewee
from playhouse.migrate import SchemaMigrator

from crmdesk.models.birthday_index import create_birthday_indexes

OWNER_INDEX = ("customer_confidentiality_owner", ("confidentiality", "owner_id"))
REPLACED = "customer_confidentiality"


def run(migrator: SchemaMigrator, db: peewee.Database) -> None:
    """Create and fill the birthday indexes and the confidentiality-and-owner index."""
    create_birthday_indexes(db)
    name, columns = OWNER_INDEX
    db.execute(peewee.Index(name, peewee.Table("customer"), [peewee.Entity(c) for c in columns],
                            safe=True))
    db.execute_sql(f'DROP INDEX IF EXISTS "{REPLACED}"')

"""Schema 31: each salesperson's customers in list order (by archive number, by name).

A salesperson's list filtered by an office field's value shows only the cards they may read,
their own above all. Walked through these indexes their own come in list order, so the first
screen stops after its last row (0.1 ms at 200,000 customers) where it read every holder of
the value and sorted them (160 ms when a fifth of the archive holds it). A manager's list of
one salesperson's customers reads the same indexes. Written out here rather than read from
the models, so that this step stays what it was when later steps change the models.
"""
from __future__ import annotations

import peewee
from playhouse.migrate import SchemaMigrator

INDEXES = (
    ("customer_owner_archive_no", ("owner_id", "archive_no")),
    ("customer_owner_name_pinyin", ("owner_id", "name_pinyin")),
)


def run(migrator: SchemaMigrator, db: peewee.Database) -> None:
    """Create the owner-and-list-order indexes."""
    for name, columns in INDEXES:
        db.execute(peewee.Index(name, peewee.Table("customer"),
                                [peewee.Entity(c) for c in columns], safe=True))

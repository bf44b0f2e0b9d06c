"""Schema 14: duplicates and merges.

Indexes on the card's other phones and its licence and tax numbers, which the duplicate rule
looks up; the pairs marked "not the same person", the merges with what they replaced, and the
archive numbers merged away. Written out here for the indexes, so that this step stays what it
was when later steps change the models.
"""
from __future__ import annotations

import peewee
from playhouse.migrate import SchemaMigrator

INDEXED = ("home_phone", "fax", "spouse_phone", "licence_no", "tax_no")


def run(migrator: SchemaMigrator, db: peewee.Database) -> None:
    """Index the identity columns of ``customer``; create the merge tables."""
    from crmdesk.models.merges import MERGE_MODELS

    for column in INDEXED:
        db.execute(peewee.Index(f"customer_{column}", peewee.Table("customer"),
                                [peewee.Entity(column)], safe=True))
    with db.bind_ctx(MERGE_MODELS, bind_refs=False, bind_backrefs=False):
        db.create_tables(MERGE_MODELS, safe=True)

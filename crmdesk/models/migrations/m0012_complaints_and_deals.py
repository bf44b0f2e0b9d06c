"""Schema 12: complaints with their handling steps, and deals.

Archives without these tables have recorded neither, so the step only creates them.
"""
from __future__ import annotations

import peewee
from playhouse.migrate import SchemaMigrator


def run(migrator: SchemaMigrator, db: peewee.Database) -> None:
    """Create the complaint, complaint_step and deal tables with their indexes."""
    from crmdesk.models.complaints import COMPLAINT_MODELS

    with db.bind_ctx(COMPLAINT_MODELS, bind_refs=False, bind_backrefs=False):
        db.create_tables(COMPLAINT_MODELS, safe=True)

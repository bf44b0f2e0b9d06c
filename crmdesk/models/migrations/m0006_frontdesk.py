"""Schema 6: the front desk's register (visit), ownership history and the daily duty list.

Archives without these tables have never registered a visit, so the step only creates them,
with the indexes the duplicate check (visit.phone) and the register by day (visit.arrived_at)
read through.
"""
from __future__ import annotations

import peewee
from playhouse.migrate import SchemaMigrator


def run(migrator: SchemaMigrator, db: peewee.Database) -> None:
    """Create the visit, ownership_change and duty_entry tables with their indexes."""
    from crmdesk.models.frontdesk import FRONTDESK_MODELS

    with db.bind_ctx(FRONTDESK_MODELS, bind_refs=False, bind_backrefs=False):
        db.create_tables(FRONTDESK_MODELS, safe=True)

"""Schema 4: the record of spreadsheet imports (import_batch, import_item), for history and undo."""
from __future__ import annotations

import peewee
from playhouse.migrate import SchemaMigrator


def run(migrator: SchemaMigrator, db: peewee.Database) -> None:
    """Create the import tables; archives without them have never imported anything."""
    from crmdesk.models.imports import ImportBatch, ImportItem

    with db.bind_ctx([ImportBatch, ImportItem], bind_refs=False, bind_backrefs=False):
        db.create_tables([ImportBatch, ImportItem], safe=True)

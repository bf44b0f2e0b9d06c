"""Schema 24: the office's own card fields, defined and filled as data (no step per field)."""
from __future__ import annotations

import peewee
from playhouse.migrate import SchemaMigrator

from crmdesk.models.office_fields import OfficeFieldRow, OfficeValue


def run(migrator: SchemaMigrator, db: peewee.Database) -> None:
    """Create the ``office_field`` and ``office_value`` tables."""
    tables = [OfficeFieldRow, OfficeValue]
    with db.bind_ctx(tables):
        db.create_tables(tables)

"""Schema 18: appointments (a customer invited to the showroom at a day and time)."""
from __future__ import annotations

import peewee
from playhouse.migrate import SchemaMigrator

from crmdesk.models.appointment import Appointment


def run(migrator: SchemaMigrator, db: peewee.Database) -> None:
    """Create the ``appointment`` table."""
    with db.bind_ctx([Appointment]):
        db.create_tables([Appointment])

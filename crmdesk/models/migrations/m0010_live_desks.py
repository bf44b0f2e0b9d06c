"""Schema 10: the change log every desk reads, and notices to a member of staff."""
from __future__ import annotations

import peewee
from playhouse.migrate import SchemaMigrator

from crmdesk.models.live import ChangeEvent, Notice


def run(migrator: SchemaMigrator, db: peewee.Database) -> None:
    """Create the ``change_event`` and ``notice`` tables."""
    with db.bind_ctx([ChangeEvent, Notice]):
        db.create_tables([ChangeEvent, Notice])

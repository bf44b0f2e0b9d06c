"""Schema 8: how the customer's consent to keep the archive was given (同意方式)."""
from __future__ import annotations

import peewee
from playhouse.migrate import SchemaMigrator


def run(migrator: SchemaMigrator, db: peewee.Database) -> None:
    """Add the ``consent_how`` column to customer."""
    migrator.migrate(migrator.add_column("customer", "consent_how", peewee.TextField(null=True)))

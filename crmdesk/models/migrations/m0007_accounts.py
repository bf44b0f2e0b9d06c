"""Schema 7: passwords and lockout on staff, named readers of top-secret cards, a sealed audit.

Existing audit entries are numbered in their stored order and sealed into the hash chain, so
`crmdesk audit verify` covers the history kept before this version too.
"""
from __future__ import annotations

import peewee
from playhouse.migrate import SchemaMigrator

from crmdesk.models.access import CardReader
from crmdesk.models.setting import Counter


def run(migrator: SchemaMigrator, db: peewee.Database) -> None:
    """Add the account and audit-chain columns, the reader table, and seal the old entries."""
    from crmdesk.services.audit import reseal_all

    migrator.migrate(
        migrator.add_column("staff", "password_hash", peewee.TextField(null=True)),
        migrator.add_column("staff", "failed_logins", peewee.IntegerField(default=0)),
        migrator.add_column("staff", "locked_until", peewee.DateTimeField(null=True)),
        migrator.add_column("audit_entry", "actor_name", peewee.TextField(default="")),
        migrator.add_column("audit_entry", "archive_no", peewee.TextField(null=True)),
        migrator.add_column("audit_entry", "details_digest", peewee.TextField(default="")),
        migrator.add_column("audit_entry", "seq", peewee.BigIntegerField(null=True)),
        migrator.add_column("audit_entry", "prev_hash", peewee.TextField(default="")),
        migrator.add_column("audit_entry", "hash", peewee.TextField(default="")),
        migrator.add_index("audit_entry", ("archive_no",)),
        migrator.add_index("audit_entry", ("seq",), unique=True),
    )
    db.create_tables([CardReader])
    if not Counter.select().where(Counter.name == "audit").exists():
        Counter.create(name="audit", value=0)
    reseal_all()

"""Schema 11: audit entries sealed over every column, the account and archive links included.

The seal of schema 7 left out who acted (the account's id) and which archive the entry is
about (its id), so either could be changed unnoticed. The archive's id is kept in a column of
its own (the link is cleared when an archive is destroyed) and every entry is sealed again.
"""
from __future__ import annotations

import peewee
from playhouse.migrate import SchemaMigrator


def run(migrator: SchemaMigrator, db: peewee.Database) -> None:
    """Keep each entry's archive id for good and seal every entry again over every column."""
    from crmdesk.services.audit import reseal_chain

    migrator.migrate(migrator.add_column("audit_entry", "customer_ref",
                                         peewee.IntegerField(null=True)))
    db.execute_sql("UPDATE audit_entry SET customer_ref = customer_id")
    reseal_chain()

"""Schema 16: notices about several customers (a count, a note) and daily notices (their day)."""
from __future__ import annotations

import peewee
from playhouse.migrate import SchemaMigrator

COLUMNS = (("day", peewee.DateField(null=True)), ("count", peewee.IntegerField(null=True)),
           ("note", peewee.TextField(null=True)))
UNIQUE = ("recipient_id", "kind", "day")


def run(migrator: SchemaMigrator, db: peewee.Database) -> None:
    """Add ``day``, ``count`` and ``note`` to notice; one notice per person, kind and day.

    Schema 10 creates the notice table from today's model, so an archive upgraded from before
    schema 10 has them already: only what is missing is added.
    """
    present = {column.name for column in db.get_columns("notice")}
    indexes = {tuple(index.columns) for index in db.get_indexes("notice")}
    steps = [migrator.add_column("notice", name, field) for name, field in COLUMNS
             if name not in present]
    if UNIQUE not in indexes:
        steps.append(migrator.add_index("notice", UNIQUE, unique=True))
    if steps:
        migrator.migrate(*steps)

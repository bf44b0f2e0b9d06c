"""Schema 28: the personal template's missing items and the organisation card's yearly sales."""
from __future__ import annotations

import peewee
from playhouse.migrate import SchemaMigrator

from crmdesk.models.records import YearlySale

# (column, type) added to customer: 工作年限 and the 42-item template's items 29 to 32.
NEW_COLUMNS = (
    ("working_since", peewee.DateField),
    ("purchase_reason", peewee.TextField),
    ("bought_from_us", peewee.TextField),
    ("knows_us", peewee.TextField),
    ("cares_about_clientele", peewee.TextField),
)


def run(migrator: SchemaMigrator, db: peewee.Database) -> None:
    """Add the five card columns and create the ``yearly_sale`` table."""
    migrator.migrate(*(migrator.add_column("customer", name, column(null=True))
                       for name, column in NEW_COLUMNS))
    with db.bind_ctx([YearlySale]):
        db.create_tables([YearlySale])

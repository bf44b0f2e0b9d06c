"""Schema 2: search keys on the customer (pinyin, initials, mobile tail, search text).

Schema 1 archives searched names with a plain scan; this step adds the key columns, fills them
for every existing customer in batches, and builds the trigram index.
"""
from __future__ import annotations

import peewee
from playhouse.migrate import SchemaMigrator

from crmdesk.models.search_index import create_search_index
from crmdesk.models.search_keys import mobile_tail, pinyin_keys, search_text

BATCH = 2000


def run(migrator: SchemaMigrator, db: peewee.Database) -> None:
    """Add and fill the search-key columns of ``customer``."""
    migrator.migrate(
        migrator.add_column("customer", "name_pinyin", peewee.TextField(default="")),
        migrator.add_column("customer", "name_initials", peewee.TextField(default="")),
        migrator.add_column("customer", "mobile_tail", peewee.TextField(null=True)),
        migrator.add_column("customer", "search_text", peewee.TextField(default="")),
        migrator.add_index("customer", ("name_pinyin",)),
        migrator.add_index("customer", ("name_initials",)),
        migrator.add_index("customer", ("mobile_tail",)),
    )
    table = peewee.Table(
        "customer",
        ("id", "name", "alias", "employer", "mobile",
         "name_pinyin", "name_initials", "mobile_tail", "search_text"),
    ).bind(db)
    last_id = 0
    while True:
        rows = list(
            table.select(table.id, table.name, table.alias, table.employer, table.mobile)
            .where(table.id > last_id).order_by(table.id).limit(BATCH).tuples()
        )
        if not rows:
            break
        for row_id, name, alias, employer, mobile in rows:
            full, initials = pinyin_keys(name or "")
            table.update(
                name_pinyin=full,
                name_initials=initials,
                mobile_tail=mobile_tail(mobile),
                search_text=search_text(name, alias, employer),
            ).where(table.id == row_id).execute()
        last_id = rows[-1][0]
    create_search_index(db)

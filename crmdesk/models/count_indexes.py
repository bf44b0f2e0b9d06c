"""PostgreSQL's indexes for the follow-up counts and the visibility rule (nothing on SQLite).

Every count a salesperson or manager sees is limited by the visibility rule ("not one of the
top-secret archives this person may not read"), which needs each counted customer's id.
PostgreSQL reads the id from the index itself when the follow-up indexes include it (an
index-only scan, instead of visiting 100,000 rows); the few top-secret archives are found
through a partial index of their own. SQLite plans these queries well without them.
"""
from __future__ import annotations

import peewee

from crmdesk.models.customer import FOLLOW_UP_INDEX_WHERE

_FOLLOW_UP = (
    ("customer_follow_up", "next_follow_up, level_id, owner_id"),
    ("customer_follow_up_owner", "owner_id, next_follow_up, level_id"),
)


def create_count_indexes(db: peewee.Database) -> None:
    """Rebuild the follow-up indexes with the id included and index the top-secret archives."""
    if not isinstance(db, peewee.PostgresqlDatabase):
        return
    where = FOLLOW_UP_INDEX_WHERE.sql
    for name, columns in _FOLLOW_UP:
        db.execute_sql(f'DROP INDEX IF EXISTS "{name}"')
        db.execute_sql(f'CREATE INDEX "{name}" ON customer ({columns}) INCLUDE (id) '
                       f"WHERE {where}")
    db.execute_sql("CREATE INDEX IF NOT EXISTS customer_secret ON customer (id) "
                   "INCLUDE (owner_id) WHERE confidentiality = 'secret'")

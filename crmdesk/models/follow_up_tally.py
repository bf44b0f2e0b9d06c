"""The follow-up tally: how many followed-up customers fall on each day, kept by the database.

The dashboard's counts (overdue, due today, due this week, never contacted) and the overdue
count by salesperson would otherwise count customers one by one: half of a large archive is
overdue, so the count grows with the archive (100,000 index entries at 200,000 customers). The
tally holds one row per (owner, level, day, never contacted, top secret) with the number of
followed-up customers (status not lost or invalid, a next follow-up day and a level) having
exactly those; a count adds up a few thousand rows whatever the size of the archive.

Triggers on ``customer`` keep the tally in the transaction of every write (a card saved, a
contact logged, an import, a transfer, a merge, a deletion), on SQLite and on PostgreSQL, so it
cannot drift from the rows it counts. Which levels are followed up is decided when counting,
so a change of the level scheme needs nothing here.
"""
from __future__ import annotations

import peewee

from crmdesk.models.db import BaseModel

TABLE = "follow_up_tally"
KEY = ("owner_key", "level_id", "day", "never", "secret")
# A customer is tallied while this holds (``{r}`` is ``new`` or ``old`` in a trigger).
_TALLIED = ("{r}.status NOT IN ('lost', 'invalid') AND {r}.next_follow_up IS NOT NULL "
            "AND {r}.level_id IS NOT NULL")
# Writing any of these may move a customer from one tally row to another.
_COLUMNS = ("status", "level_id", "next_follow_up", "owner_id", "last_contact_at",
            "confidentiality")


class FollowUpTally(BaseModel):
    """Followed-up customers with the same owner (0: nobody), level, next follow-up day,
    "never contacted" and "top secret": ``customers`` of them."""

    owner_key = peewee.IntegerField()
    level_id = peewee.IntegerField()
    day = peewee.DateField()
    never = peewee.BooleanField()
    secret = peewee.BooleanField()
    customers = peewee.IntegerField()

    class Meta:
        table_name = TABLE
        primary_key = peewee.CompositeKey(*KEY)


def _sqlite_values(r: str) -> list[str]:
    return [f"coalesce({r}.owner_id, 0)", f"{r}.level_id", f"{r}.next_follow_up",
            f"({r}.last_contact_at IS NULL)", f"({r}.confidentiality IS 'secret')"]


def _postgresql_values(r: str) -> list[str]:
    return [f"coalesce({r}.owner_id, 0)", f"{r}.level_id", f"{r}.next_follow_up",
            f"({r}.last_contact_at IS NULL)",
            f"({r}.confidentiality IS NOT DISTINCT FROM 'secret')"]


def _key_is(values: list[str]) -> str:
    return " AND ".join(f"{column} = {value}" for column, value in zip(KEY, values, strict=True))


def _add(values: list[str], condition: str) -> str:
    return (f"INSERT INTO {TABLE} ({', '.join(KEY)}, customers) SELECT {', '.join(values)}, 1 "
            f"WHERE {condition} ON CONFLICT ({', '.join(KEY)}) "
            f"DO UPDATE SET customers = {TABLE}.customers + 1")


def _take(values: list[str], condition: str) -> tuple[str, str]:
    return (f"UPDATE {TABLE} SET customers = customers - 1 WHERE {condition} "
            f"AND {_key_is(values)}",
            f"DELETE FROM {TABLE} WHERE customers = 0 AND {condition} AND {_key_is(values)}")


def _changed(columns: tuple[str, ...]) -> str:
    return " OR ".join(f"old.{c} IS DISTINCT FROM new.{c}" for c in columns)


def _sqlite_triggers() -> list[str]:
    new, old = _sqlite_values("new"), _sqlite_values("old")
    is_new, was_old = _TALLIED.format(r="new"), _TALLIED.format(r="old")
    changed = " OR ".join(f"old.{c} IS NOT new.{c}" for c in _COLUMNS)
    return [
        f"CREATE TRIGGER IF NOT EXISTS {TABLE}_ai AFTER INSERT ON customer BEGIN "
        f"{_add(new, is_new)}; END",
        f"CREATE TRIGGER IF NOT EXISTS {TABLE}_ad AFTER DELETE ON customer BEGIN "
        f"{'; '.join(_take(old, was_old))}; END",
        f"CREATE TRIGGER IF NOT EXISTS {TABLE}_au AFTER UPDATE OF {', '.join(_COLUMNS)} "
        f"ON customer WHEN {changed} BEGIN "
        f"{'; '.join(_take(old, was_old))}; {_add(new, is_new)}; END",
    ]


def _postgresql_triggers() -> list[str]:
    new, old = _postgresql_values("NEW"), _postgresql_values("OLD")
    is_new, was_old = _TALLIED.format(r="NEW"), _TALLIED.format(r="OLD")
    take = "; ".join(_take(old, "TRUE"))
    function = (
        f"CREATE OR REPLACE FUNCTION {TABLE}_keep() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN "
        f"IF TG_OP <> 'INSERT' AND {was_old} THEN {take}; END IF; "
        f"IF TG_OP <> 'DELETE' AND {is_new} THEN {_add(new, 'TRUE')}; END IF; "
        "RETURN NULL; END $$")
    return [
        function,
        f"DROP TRIGGER IF EXISTS {TABLE}_insert_delete ON customer",
        f"CREATE TRIGGER {TABLE}_insert_delete AFTER INSERT OR DELETE ON customer "
        f"FOR EACH ROW EXECUTE FUNCTION {TABLE}_keep()",
        f"DROP TRIGGER IF EXISTS {TABLE}_update ON customer",
        f"CREATE TRIGGER {TABLE}_update AFTER UPDATE OF {', '.join(_COLUMNS)} ON customer "
        f"FOR EACH ROW WHEN ({_changed(_COLUMNS)}) EXECUTE FUNCTION {TABLE}_keep()",
    ]


def create_follow_up_tally(db: peewee.Database) -> None:
    """Create the tally and its triggers, and fill it from the archive's customers."""
    with db.bind_ctx([FollowUpTally]):
        db.create_tables([FollowUpTally])
    postgresql = isinstance(db, peewee.PostgresqlDatabase)
    for statement in _postgresql_triggers() if postgresql else _sqlite_triggers():
        db.execute_sql(statement)
    recount(db)


def recount(db: peewee.Database) -> None:
    """Fill the tally afresh by counting every customer (what the triggers keep up to date)."""
    values = (_postgresql_values if isinstance(db, peewee.PostgresqlDatabase)
              else _sqlite_values)("customer")
    db.execute_sql(f"DELETE FROM {TABLE}")
    db.execute_sql(f"INSERT INTO {TABLE} ({', '.join(KEY)}, customers) "
                   f"SELECT {', '.join(values)}, count(*) FROM customer "
                   f"WHERE {_TALLIED.format(r='customer')} GROUP BY 1, 2, 3, 4, 5")

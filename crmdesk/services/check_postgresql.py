"""``crmdesk check`` on a PostgreSQL archive: what the server lets through when misused.

PostgreSQL keeps its pages sound by itself, so the check looks at what a careless hand at the
server can break: constraints added NOT VALID or switched off (disabled triggers), rows whose
referenced row is gone (foreign keys dropped, triggers disabled, replication mode), sequences
set back below their table's highest id (the next save would fail), and the sealed audit trail.
"""
from __future__ import annotations

import peewee

from crmdesk.i18n import _
from crmdesk.models import ALL_MODELS
from crmdesk.models.db import database
from crmdesk.services import audit

# Orphans listed one by one per foreign key; beyond that they are counted.
LISTED_ORPHANS = 20

_IN_SCHEMA = "n.nspname = ANY (current_schemas(false))"


def _invalid_constraints() -> list[str]:
    rows = database.execute_sql(
        "SELECT c.relname, k.conname FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid "
        f"JOIN pg_namespace n ON n.oid = c.relnamespace WHERE NOT k.convalidated AND {_IN_SCHEMA} "
        "ORDER BY c.relname, k.conname").fetchall()
    return [_("the constraint {name} on {table} is not validated: rows may break it").format(
        name=name, table=table) for table, name in rows]


def _disabled_foreign_keys() -> list[str]:
    rows = database.execute_sql(
        "SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
        f"JOIN pg_namespace n ON n.oid = c.relnamespace WHERE t.tgconstraint <> 0 "
        f"AND t.tgenabled = 'D' AND {_IN_SCHEMA} ORDER BY c.relname").fetchall()
    return [_("the foreign keys of {table} are switched off (its triggers are disabled)").format(
        table=table) for (table,) in rows]


def _orphans(model: type[peewee.Model], key: peewee.ForeignKeyField) -> list[str]:
    table, parent = model._meta.table_name, key.rel_model._meta.table_name
    own_id = model._meta.primary_key.column_name
    missing = (f'FROM "{table}" c WHERE c."{key.column_name}" IS NOT NULL AND NOT EXISTS '
               f'(SELECT 1 FROM "{parent}" p WHERE p."{key.rel_field.column_name}" = '
               f'c."{key.column_name}")')
    rows = database.execute_sql(
        f'SELECT c."{own_id}" {missing} ORDER BY 1 LIMIT {LISTED_ORPHANS + 1}').fetchall()
    problems = [_("{table} row {row} refers to a missing {parent}").format(
        table=table, row=row, parent=parent) for (row,) in rows[:LISTED_ORPHANS]]
    if len(rows) > LISTED_ORPHANS:
        count = database.execute_sql(f"SELECT count(*) {missing}").fetchone()[0]
        problems.append(_("{table}: {count} more rows refer to a missing {parent}").format(
            table=table, count=count - LISTED_ORPHANS, parent=parent))
    return problems


def _all_orphans(tables: set[str]) -> list[str]:
    problems: list[str] = []
    for model in ALL_MODELS:
        if model._meta.table_name not in tables:
            continue
        for key in model._meta.sorted_fields:
            if isinstance(key, peewee.ForeignKeyField) and (
                    key.rel_model._meta.table_name in tables):
                problems.extend(_orphans(model, key))
    return problems


def _sequences_behind(tables: set[str]) -> list[str]:
    problems: list[str] = []
    for model in ALL_MODELS:
        key = model._meta.primary_key
        table = model._meta.table_name
        if not isinstance(key, peewee.AutoField) or table not in tables:
            continue
        sequence = database.execute_sql("SELECT pg_get_serial_sequence(%s, %s)",
                                        (f'"{table}"', key.column_name)).fetchone()[0]
        if sequence is None:
            continue
        last, called = database.execute_sql(
            f"SELECT last_value, is_called FROM {sequence}").fetchone()
        highest = database.execute_sql(
            f'SELECT max("{key.column_name}") FROM "{table}"').fetchone()[0]
        next_value = last + 1 if called else last
        if highest is not None and next_value <= highest:
            problems.append(_(
                "the sequence {sequence} is behind the highest id of {table} ({last} < "
                "{highest}): new rows would be refused").format(
                    sequence=sequence, table=table, last=last, highest=highest))
    return problems


def _audit_chain() -> list[str]:
    return [_("audit trail entry {seq}: {reason}").format(seq=problem.seq,
                                                          reason=_(problem.reason))
            for problem in audit.verify()]


def check() -> list[str]:
    """Everything found wrong with the open PostgreSQL archive; empty when nothing is."""
    try:
        tables = set(database.get_tables())
        return (_invalid_constraints() + _disabled_foreign_keys() + _all_orphans(tables)
                + _sequences_behind(tables) + _audit_chain())
    except peewee.DatabaseError as exc:
        return [_("damaged: {detail}").format(detail=str(exc).strip())]

"""Breaking a test's archive the way a careless hand at the database would, on either backend."""
from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

from crmdesk.models.db import database


def insert_unchecked(archive: Path | str, table: str, values: dict[str, object]) -> None:
    """Insert a row into ``table`` with foreign keys not enforced for that one insert.

    SQLite: a connection of its own with foreign_keys off. PostgreSQL: the table's triggers
    (which enforce its foreign keys) disabled around the insert, then switched on again.
    """
    columns = ", ".join(values)
    if isinstance(archive, Path):
        marks = ", ".join("?" for _value in values)
        with contextlib.closing(sqlite3.connect(archive)) as conn, conn:
            conn.execute("PRAGMA foreign_keys = OFF")
            conn.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(values.values()))
        return
    marks = ", ".join("%s" for _value in values)
    with database.atomic():
        database.execute_sql(f"ALTER TABLE {table} DISABLE TRIGGER ALL")
        database.execute_sql(f"INSERT INTO {table} ({columns}) VALUES ({marks})",
                             list(values.values()))
        database.execute_sql(f"ALTER TABLE {table} ENABLE TRIGGER ALL")

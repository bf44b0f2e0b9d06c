"""Writing the archives an import creates: many rows per statement, built directly.

peewee's insert_many builds the SQL value by value, which costs ten times more than the
database itself for tens of thousands of rows. Here each row becomes a tuple in the order of
the statement's columns; a value passes through its field's ``db_value`` only when that could
change it, so every value is stored exactly as peewee stores it.

On SQLite new archives are first written to a temporary table and then copied into the archive
with one INSERT ... SELECT per batch. Inserted one statement per row, each statement opens a
savepoint, and at every savepoint the trigram search index (filled by a trigger) writes out
what it has gathered: half of an import's time went to that. The search pieces of the new
archives are added after the copies, sorted (``search_pieces.pieces_added_after``).
"""
from __future__ import annotations

import datetime as dt
import itertools
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from functools import cache
from typing import Any

import peewee

from crmdesk.models import Customer
from crmdesk.models.card import FIELDS
from crmdesk.models.db import database, is_sqlite
from crmdesk.models.search_pieces import pieces_added_after
from crmdesk.services.customers import column_name, search_columns

# The columns every new archive gets besides its card values and search keys.
FIXED_COLUMNS = ("archive_no", "created_at", "updated_at", "version", "next_follow_up")
SEARCH_COLUMNS = tuple(search_columns({}))
STAGE = "temp.import_stage"
COMMIT_CACHE_KIB = 32 * 1024
# New archives' cards by field name, and for each the values of FIXED_COLUMNS.
Batch = tuple[Sequence[dict[str, Any]], Sequence[tuple[Any, ...]]]


def unchanged_types(field: peewee.Field) -> tuple[type, ...]:
    """The exact types of value ``field.db_value`` gives back as they are (None always is).

    Taken from the field classes' own code: text fields keep str, integer fields int, date
    fields dates, date-time fields date-times, booleans bool; amounts are always rounded.
    """
    if isinstance(field, peewee.ForeignKeyField):
        return unchanged_types(field.rel_field)
    if isinstance(field, peewee._StringField):
        return (str,)
    if isinstance(field, peewee.IntegerField):
        return (int,)
    if isinstance(field, peewee.DateTimeField):
        return (dt.datetime, dt.date)
    if isinstance(field, peewee.DateField):
        return (dt.date,)
    if isinstance(field, peewee.BooleanField):
        return (bool,)
    return ()


Converter = Callable[[Any], Any]


def converter(field: peewee.Field) -> Converter:
    """A function storing a value of ``field`` as ``field.db_value`` does, calling it only for
    values it could change."""
    keep = frozenset(unchanged_types(field))
    db_value = field.db_value

    def convert(value: Any) -> Any:
        return value if value is None or type(value) in keep else db_value(value)

    return convert


def insert_tuples(model: type, names: Sequence[str], rows: Iterable[tuple[Any, ...]]) -> None:
    """Insert ``rows``, already stored values in the order of the columns ``names``."""
    sql = 'INSERT INTO "{}" ({}) VALUES ({})'.format(
        model._meta.table_name, ", ".join(f'"{n}"' for n in names),
        ", ".join([database.param] * len(names)))
    database.cursor().executemany(sql, rows)


def _stage(connection: sqlite3.Connection, names: Sequence[str],
           rows: Sequence[tuple[Any, ...]]) -> str:
    """Write ``rows`` to the staging table; return the statement copying them into the
    archive. Statements carry as many rows as SQLite takes parameters; their text repeats
    from batch to batch, so SQLite compiles each once."""
    columns = ", ".join(f'"{n}"' for n in names)
    one = "({})".format(", ".join(["?"] * len(names)))
    per_statement = max(1, connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // len(names))
    for start in range(0, len(rows), per_statement):
        part = rows[start:start + per_statement]
        connection.execute(f"INSERT INTO {STAGE} ({columns}) VALUES "
                           f"{', '.join([one] * len(part))}",
                           list(itertools.chain.from_iterable(part)))
    return (f'INSERT INTO "{Customer._meta.table_name}" ({columns}) '
            f"SELECT {columns} FROM {STAGE}")


def _copy(connection: sqlite3.Connection, statement: str) -> None:
    connection.execute(statement)
    connection.execute(f"DELETE FROM {STAGE}")


def _insert_staged(batches: Iterable[Batch], defaults: dict[str, Any],
                   written: Callable[[int], None]) -> None:
    """SQLite: each batch goes to a temporary table and is copied into the archive with one
    statement by a helper thread, while this thread builds the next batch's rows.

    The copy is where the database works (indexes, the trigram index); SQLite lets go of the
    interpreter while a statement runs, so on two cores the copy and the building overlap.
    Only one thread uses the connection at a time: the next batch is staged after the copy of
    the one before has finished.
    """
    connection = database.connection()
    columns = ", ".join(f'"{n}"' for n in Customer._meta.columns if n != "id")
    connection.execute(f"CREATE TEMP TABLE {STAGE} AS SELECT {columns} "
                       f'FROM "{Customer._meta.table_name}" WHERE 0')
    try:
        with pieces_added_after(database.obj), ThreadPoolExecutor(
                max_workers=1, thread_name_prefix="import-copy") as helper:
            copying: Future[None] | None = None
            for cards, fixed in batches:
                names, rows = customer_rows(cards, fixed, defaults)
                if copying is not None:
                    copying.result()
                copying = helper.submit(_copy, connection, _stage(connection, names, rows))
                written(len(rows))
            if copying is not None:
                copying.result()
    finally:
        connection.execute(f"DROP TABLE {STAGE}")


@cache
def _card_column(name: str) -> tuple[str, Converter]:
    column = column_name(FIELDS[name])
    return column, converter(Customer._meta.columns[column])


def customer_rows(cards: Sequence[dict[str, Any]], fixed: Sequence[tuple[Any, ...]],
                  defaults: dict[str, Any]) -> tuple[list[str], list[tuple[Any, ...]]]:
    """The columns and stored rows of new archives: their card values by field name (``defaults``
    for fields a card lacks), and for each the values of ``FIXED_COLUMNS``. Card fields no card
    fills are left out (the column's default applies); one filled by some cards only is NULL in
    the others."""
    fields = sorted({name for card in cards for name in card} | set(defaults))
    columns = [_card_column(name) for name in fields]
    names = [*FIXED_COLUMNS, *SEARCH_COLUMNS, *(column for column, _convert in columns)]
    converters = [convert for _column, convert in columns]
    fixed_converters = [converter(Customer._meta.columns[n]) for n in FIXED_COLUMNS]
    fixed_converters += [converter(Customer._meta.columns[n]) for n in SEARCH_COLUMNS]

    def row(card: dict[str, Any], given: tuple[Any, ...]) -> tuple[Any, ...]:
        keys = (*given, *search_columns(card).values())
        return (*(convert(v) for convert, v in zip(fixed_converters, keys, strict=True)),
                *(convert(card.get(n, defaults.get(n)))
                  for convert, n in zip(converters, fields, strict=True)))

    return names, [row(card, given) for card, given in zip(cards, fixed, strict=True)]


def insert_customers(batches: Iterable[Batch], defaults: dict[str, Any],
                     written: Callable[[int], None]) -> None:
    """Insert new archives, batch by batch (cards and fixed values as ``customer_rows`` takes
    them, made as they are needed), calling ``written(count)`` after each batch; an exception
    from it stops the work."""
    if is_sqlite():
        _insert_staged(batches, defaults, written)
        return
    for cards, fixed in batches:
        names, rows = customer_rows(cards, fixed, defaults)
        insert_tuples(Customer, names, rows)
        written(len(rows))


@contextmanager
def import_settings() -> Iterator[None]:
    """SQLite: a page cache of its own size while an import commits, and SQLite's temporary
    files (the staging table, each statement's journal) on disk.

    The cache holds the index pages the copies write into; its size is a trade between time
    and the peak memory of an import already holding every row of the sheet. Importing
    200,000 rows into 200,000 customers, the copies took 13.1 s with 8 MiB, 10.0 s with
    32 MiB and 9.0 s with 64 MiB, for a peak of 485, 493 and 519 MB. Held in memory, the
    journal of each copy (the pages it changes, kept so that the statement alone can be
    undone) added 100 MB to that import; on disk it costs no measurable time.
    Setting temp_store drops temporary tables, so this is entered before the staging table is
    made and left after it is dropped; SQLite refuses to change it inside a transaction, so a
    commit called inside one keeps its temporary files where they were.
    """
    if not is_sqlite():
        yield
        return
    names = ("cache_size",) if database.in_transaction() else ("cache_size", "temp_store")
    before = {name: database.execute_sql(f"PRAGMA {name}").fetchone()[0] for name in names}
    database.execute_sql(f"PRAGMA cache_size = {-COMMIT_CACHE_KIB}")
    if "temp_store" in names:
        database.execute_sql("PRAGMA temp_store = FILE")
    try:
        yield
    finally:
        for name, value in before.items():
            database.execute_sql(f"PRAGMA {name} = {int(value)}")


def last_customer_id() -> int:
    """The highest customer id so far: archives inserted later in the same write transaction
    get higher ones (ids only go up, also from a PostgreSQL sequence)."""
    return database.execute_sql(
        f'SELECT MAX("id") FROM "{Customer._meta.table_name}"').fetchone()[0] or 0


def ids_of_numbers(mark: int, numbers: Sequence[str]) -> list[int]:
    """The ids of the archives numbered ``numbers``, all inserted after the id ``mark``, in
    the order of ``numbers``.

    They are read in id order, the order in which they were inserted, and checked against
    ``numbers`` as they come, so that no look-up by number is held for every archive (30 MB
    for 200,000). Should another desk's archives have taken ids among them (a shared
    PostgreSQL archive), they are looked up by number instead.
    """
    table, param = Customer._meta.table_name, database.param
    in_order = database.execute_sql(
        f'SELECT "archive_no", "id" FROM "{table}" WHERE "id" > {param} ORDER BY "id"', [mark])
    ids = []
    for expected, (number, customer_id) in zip(numbers, in_order, strict=False):
        if number != expected:
            break
        ids.append(customer_id)
    if len(ids) == len(numbers):
        return ids
    by_number = dict(database.execute_sql(
        f'SELECT "archive_no", "id" FROM "{table}" WHERE "id" > {param}', [mark]).fetchall())
    return [by_number[number] for number in numbers]

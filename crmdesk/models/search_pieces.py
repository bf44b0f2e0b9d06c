"""The one- and two-character pieces of each customer's search text, for the shortest searches.

The trigram index (crmdesk.models.search_index) needs three characters, yet the commonest
searches are shorter: a surname (张), a two-character given name (张伟), the first keystrokes of
a company (新) or of pinyin (zw). On a SQLite archive the table ``search_piece`` holds every
distinct one- and two-character piece of ``customer.search_text`` beside the customer's id,
ordered by piece, so such a search reads its matches instead of every customer's text.
Triggers keep it in step with every insert, update and delete of a customer, in the
transaction that writes the customer. A shared PostgreSQL archive has a GIN index over the
same pieces instead (search_index).

Pieces no search looks up are not kept: the box strips what is typed, so a query of one or
two characters holds no space, "|" joins the parts of the text (a query holding it reads the
text itself, see ``serves``), and typed digits search numbers, not text. Texts longer than
``POSITIONS`` characters (the card allows about 700) are found by reading their text, through
a partial index that holds only them.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import peewee

PIECE_TABLE = "search_piece"
POSITION_TABLE = "search_position"
LONG_TEXT_INDEX = "customer_long_search_text"
POSITIONS = 4096
LONGEST_PIECE = 2
FILL_SLICE = 50_000  # customers filled at a time

# The distinct kept pieces of {row}.search_text (row: new or old, inside a trigger).
_PIECES = (
    "SELECT piece FROM ("
    "SELECT substr({row}.search_text, n, 1) AS piece FROM " + POSITION_TABLE
    + " WHERE n <= length({row}.search_text) "
    "UNION SELECT substr({row}.search_text, n, 2) FROM " + POSITION_TABLE
    + " WHERE n < length({row}.search_text)) "
    "WHERE piece NOT GLOB '*[ |]*' AND piece NOT GLOB '[0-9]' AND piece NOT GLOB '[0-9][0-9]'"
)
_INSERT = (f"INSERT OR IGNORE INTO {PIECE_TABLE} (piece, customer_id) "
           f"SELECT piece, new.id FROM ({_PIECES.format(row='new')});")
_DELETE = (f"DELETE FROM {PIECE_TABLE} WHERE customer_id = old.id "
           f"AND piece IN ({_PIECES.format(row='old')});")
_DDL = (
    f"CREATE TABLE IF NOT EXISTS {POSITION_TABLE} (n INTEGER PRIMARY KEY)",
    f"CREATE TABLE IF NOT EXISTS {PIECE_TABLE} (piece TEXT NOT NULL, "
    "customer_id INTEGER NOT NULL, PRIMARY KEY (piece, customer_id)) WITHOUT ROWID",
    f"CREATE INDEX IF NOT EXISTS {LONG_TEXT_INDEX} ON customer (search_text) "
    f"WHERE length(search_text) > {POSITIONS}",
    f"CREATE TRIGGER IF NOT EXISTS search_piece_ai AFTER INSERT ON customer BEGIN {_INSERT} END",
    f"CREATE TRIGGER IF NOT EXISTS search_piece_ad AFTER DELETE ON customer BEGIN {_DELETE} END",
    "CREATE TRIGGER IF NOT EXISTS search_piece_au AFTER UPDATE OF search_text ON customer "
    f"WHEN old.search_text IS NOT new.search_text BEGIN {_DELETE} {_INSERT} END",
)
# The pieces of the customers with ids in a range, sorted as the table keeps them. A piece a
# text holds twice comes twice (UNION ALL) and is ignored the second time: a quarter faster
# than leaving it out with UNION, which sorts everything once more.
_FILL = (
    f"INSERT OR IGNORE INTO {PIECE_TABLE} (piece, customer_id) "
    "SELECT piece, id FROM ("
    "SELECT substr(c.search_text, p.n, 1) AS piece, c.id AS id "
    f"FROM customer c, {POSITION_TABLE} p "
    "WHERE c.id > ? AND c.id <= ? AND p.n <= length(c.search_text) "
    f"UNION ALL SELECT substr(c.search_text, p.n, 2), c.id FROM customer c, {POSITION_TABLE} p "
    "WHERE c.id > ? AND c.id <= ? AND p.n < length(c.search_text)) "
    "WHERE piece NOT GLOB '*[ |]*' AND piece NOT GLOB '[0-9]' AND piece NOT GLOB '[0-9][0-9]' "
    "ORDER BY piece, id"
)


def create_search_pieces(db: peewee.Database) -> None:
    """Create the piece table and its triggers on a SQLite archive and fill it."""
    if not isinstance(db, peewee.SqliteDatabase):
        return
    for statement in _DDL:
        db.execute_sql(statement)
    db.execute_sql(f"WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k "
                   f"WHERE n < {POSITIONS}) INSERT OR IGNORE INTO {POSITION_TABLE} (n) "
                   "SELECT n FROM k")
    _fill(db, 0)


@contextmanager
def pieces_added_after(db: peewee.Database) -> Iterator[None]:
    """For many customers inserted at once (an import): their pieces are added when the block
    ends, sorted as the table keeps them, instead of by the insert trigger row by row, which
    puts each piece of each row in another place of a big table. Only customers inserted in
    the block may get ids above those before it.

    Call inside the transaction that inserts them: an error inside the block leaves the
    trigger dropped until that transaction is rolled back. Does nothing where the archive has
    no such trigger (PostgreSQL).
    """
    made = db.execute_sql("SELECT sql FROM sqlite_master WHERE type = 'trigger' "
                          "AND name = 'search_piece_ai'").fetchone() if isinstance(
        db, peewee.SqliteDatabase) else None
    if made is None:
        yield
        return
    before = db.execute_sql("SELECT max(id) FROM customer").fetchone()[0] or 0
    db.execute_sql("DROP TRIGGER search_piece_ai")
    yield
    _fill(db, before)
    db.execute_sql(made[0])


def _fill(db: peewee.Database, after: int) -> None:
    """Add the pieces of the customers with ids above ``after``: in slices of customers, as
    sorting every piece of a million customers at once would hold them all in memory."""
    last = db.execute_sql("SELECT max(id) FROM customer").fetchone()[0] or 0
    for start in range(after, last, FILL_SLICE):
        db.execute_sql(_FILL, (start, min(start + FILL_SLICE, last)) * 2)


def serves(text: str) -> bool:
    """True when the pieces answer a search for ``text`` (stripped and lower-cased, as the
    search box folds it): one or two characters, none of them a space or "|"."""
    return 0 < len(text) <= LONGEST_PIECE and " " not in text and "|" not in text


def holders_of_piece(db: peewee.Database, text: str, at_most: int) -> int:
    """How many customers' search texts hold the piece ``text``, counted up to ``at_most``
    (the piece's index is read no further)."""
    return db.execute_sql(
        f"SELECT count(*) FROM (SELECT 1 FROM {PIECE_TABLE} WHERE piece = ? LIMIT ?)",
        (text, at_most)).fetchone()[0]


def customers_with_piece(text: str, like_pattern: str) -> peewee.SQL:
    """The subquery of the ids of customers whose search text holds ``text`` (see ``serves``);
    ``like_pattern`` is the LIKE pattern finding it in a text too long for the pieces."""
    return peewee.SQL(
        f"(SELECT customer_id FROM {PIECE_TABLE} WHERE piece = ? "
        f"UNION ALL SELECT id FROM customer WHERE length(search_text) > {POSITIONS} "
        "AND search_text LIKE ? ESCAPE '\\')", [text, like_pattern])

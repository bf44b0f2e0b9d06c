"""What was typed in the search box, as a WHERE clause on customers.

- digits: the last four of a mobile (尾号1234) with exactly four, otherwise a mobile or phone
  prefix, or an archive number without its KH; spaces, dashes and +86/0086 are allowed, so a
  number pasted in any format is found;
- ``KH...``: archive numbers by prefix (and the survivor of a number merged away);
- Latin letters: pinyin initials (zs) or full pinyin (zhangsan) of the name, by prefix, and
  Latin names and companies by substring;
- anything else: substring of name, alias or company. Three characters or more use the trigram
  index; shorter ones (a surname, a two-character given name: the commonest searches) the
  table of one- and two-character pieces (crmdesk.models.search_pieces).

Each clause comes in two forms with the same matches: looked up through the indexes, or
``row_by_row`` (SQLite), tested on each customer a walk in list order reaches
(crmdesk.services.search.first_screen).
"""
from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable

import peewee

from crmdesk.models import ArchiveAlias, Customer
from crmdesk.models.db import database, is_sqlite
from crmdesk.models.phones import PhoneError, normalize_phone
from crmdesk.models.search_index import FTS_TABLE, GRAMS_FUNCTION, has_search_index
from crmdesk.models.search_pieces import (
    LONGEST_PIECE,
    customers_with_piece,
    holders_of_piece,
    serves,
)

TRIGRAM = 3
FIRST_SCREEN = 200  # ids the list shows at once (a screen and some scrolling)
_PHONE_LIKE = re.compile(r"\+?[\d\s()-]+")


def plain(column: peewee.Node) -> peewee.Node:
    return column


def unindexed(column: peewee.Node) -> peewee.Node:
    """``+column``: the same value, but SQLite will not look it up through an index, so a query
    tests it on the rows it walks in list order instead."""
    return peewee.NodeList((peewee.SQL("+"), column), glue="")


def _prefix(column: peewee.Node, text: str) -> peewee.Expression:
    # A range on an ordinary index: LIKE 'x%' would scan the table on SQLite.
    return (column >= text) & (column < text + "\U0010ffff")


def _like_pattern(text: str) -> str:
    """``%text%`` with LIKE's own characters taken literally (backslash is the escape)."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _postgresql_pieces(text: str) -> peewee.Expression:
    """The customers whose text holds the one- or two-character ``text``, through the index of
    every text's pieces."""
    return peewee.Expression(peewee.Function(GRAMS_FUNCTION, [Customer.search_text]), "@>",
                             peewee.SQL("ARRAY[%s]::text[]", [text]))


def _postgresql_substring(text: str, row_by_row: bool) -> peewee.Expression:
    # Plain conditions, not a subquery: PostgreSQL combines them with the prefix indexes of
    # the pinyin keys (a BitmapOr) instead of scanning the table. Both sides are lower case,
    # so LIKE finds what ILIKE would without lowering every row.
    like = peewee.Expression(Customer.search_text, peewee.OP.LIKE, _like_pattern(text))
    if len(text) >= TRIGRAM or row_by_row:
        # Tested on each row a walk in list order reads (see first_screen): LIKE alone.
        return like
    # The same rows twice over: the pieces' index finds them, and should the planner walk the
    # list in order instead, each row is tested with LIKE first, which costs far less than
    # listing its pieces ("z": 48 ms to walk 3,300 rows at 200,000 customers).
    return like & _postgresql_pieces(text)


def substring(text: str, row_by_row: bool = False) -> peewee.Expression:
    if not is_sqlite():
        return _postgresql_substring(text, row_by_row)
    if row_by_row and serves(text) and rare_piece(text) is not None:
        # Tested on each customer of a walk in list order (see first_screen): the ids holding
        # a rare piece are read once, and the walk reads the list order's index alone, not the
        # rows (at 1,000,000 customers a row read each made "张" cost 60 ms).
        return unindexed(Customer.id).in_(customers_with_piece(text, _like_pattern(text)))
    start = text[:LONGEST_PIECE]
    if row_by_row and (len(text) < TRIGRAM or (serves(start) and rare_piece(start) is None)):
        # A common piece, or a word starting with one ("有限公司": 76 % of the cards): found
        # in the rows walked sooner than every card holding it is read.
        return unindexed(Customer.search_text).contains(text)
    if len(text) >= TRIGRAM and has_search_index(database.obj):
        matches = peewee.SQL(
            f"(SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ?)",
            ['"' + text.replace('"', '""') + '"'],
        )
        column = unindexed if row_by_row else plain
        return column(Customer.id).in_(matches)
    if serves(text):
        return Customer.id.in_(customers_with_piece(text, _like_pattern(text)))
    # What the pieces do not serve (a short query holding "|"): every customer's text tested
    # in a subquery, so that only the matches are sorted.
    # (Customer.alias is a card field, hence ModelAlias.)
    inner = peewee.ModelAlias(Customer, "matched")
    return Customer.id.in_(inner.select(inner.id).where(inner.search_text.contains(text)))


def holders_cut_off(screen: int) -> tuple[int, int]:
    """(cut-off, customers): reading the h holders of a value costs less than walking the
    list's rows until ``screen`` of them are found (about screen * customers / h rows) while
    h is under the cut-off, √(screen * customers)."""
    customers = Customer.select(peewee.fn.MAX(Customer.id)).scalar() or 0
    return math.isqrt(screen * customers) + 1, customers


def rare_piece(text: str) -> tuple[int, int] | None:
    """(holders, customers) when reading every holder of the piece ``text`` costs less than
    walking the list's rows until a screen of them is found; None for a common piece."""
    enough, customers = holders_cut_off(FIRST_SCREEN)
    if is_sqlite():
        held = holders_of_piece(database.obj, text, enough)
    else:
        held = Customer.select(Customer.id).where(_postgresql_pieces(text)).limit(enough).count()
    return (held, customers) if held < enough else None


def _phone_key(text: str) -> str:
    """A number typed with spaces, dashes or a country code, as the archive stores it."""
    try:
        return normalize_phone(text)
    except PhoneError:
        return re.sub(r"\D", "", text)


def condition(query: str, row_by_row: bool = False) -> peewee.Expression | None:
    """The WHERE clause for what was typed in the search box; None for an empty box.

    ``row_by_row`` (SQLite): the same matches, tested on each row a query walks in list order
    rather than looked up through the indexes of the columns tested.
    """
    column = unindexed if row_by_row and is_sqlite() else plain
    text = folded(query)
    if not text:
        return None
    if not text.isdigit() and _PHONE_LIKE.fullmatch(text) and any(c.isdigit() for c in text):
        text = _phone_key(text)
        if text.startswith("+"):
            return _prefix(column(Customer.mobile), text) | _prefix(column(Customer.phone), text)
    if text.isdigit():
        if len(text) == 4:
            return column(Customer.mobile_tail) == text
        return (
            _prefix(column(Customer.mobile), text)
            | _prefix(column(Customer.phone), text)
            | _prefix(column(Customer.archive_no), "KH" + text)
        )
    if re.fullmatch(r"kh\d*", text):
        numbered, merged = archive_number(text, column)
        return numbered | merged
    if re.fullmatch(r"[a-z]+", text):
        return (
            _prefix(column(Customer.name_initials), text)
            | _prefix(column(Customer.name_pinyin), text)
            | substring(text, row_by_row)
        )
    return substring(text, row_by_row)


def folded(query: str) -> str:
    """What was typed as the search compares it: NFKC, lower case, without 尾号 or spaces."""
    text = unicodedata.normalize("NFKC", query).strip().lower()
    return re.sub(r"^(尾号|tail:)", "", text).strip()


def archive_number(text: str, column: Callable[[peewee.Node], peewee.Node] = plain
                    ) -> tuple[peewee.Expression, peewee.Expression]:
    """Customers whose archive number starts with ``text`` (kh...), and the one the number
    ``text`` was merged into: a number merged away (an old printed card, its QR code) finds
    the survivor."""
    merged_into = ArchiveAlias.select(ArchiveAlias.customer).where(
        ArchiveAlias.archive_no == text.upper())
    return (_prefix(column(Customer.archive_no), text.upper()),
            column(Customer.id).in_(merged_into))

def substring_alone(text: str) -> bool:
    """True when the search for ``text`` (folded) looks for it in the search text alone: no
    digits (phone and archive numbers), not letters only (pinyin)."""
    return not any(c.isdigit() for c in text) and not re.fullmatch(r"[a-z]+", text)

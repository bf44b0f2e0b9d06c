"""Substring search of three characters or more reads a trigram index on either backend."""
from __future__ import annotations

import re

from crmdesk.models import Customer
from crmdesk.models.db import database
from crmdesk.models.search_index import FTS_TABLE, GRAMS_INDEX, TRIGRAM_INDEX
from crmdesk.models.search_pieces import LONG_TEXT_INDEX, PIECE_TABLE
from crmdesk.services.search_conditions import condition


def _plan(sql: str, params: tuple) -> str:
    if database.param == "?":
        rows = database.execute_sql("EXPLAIN QUERY PLAN " + sql, params).fetchall()
        return " ".join(str(row) for row in rows)
    with database.atomic():
        # On a nearly empty table the planner rightly prefers a scan; forbid it to see
        # whether the index can answer the query at all.
        database.execute_sql("SET LOCAL enable_seqscan = off")
        rows = database.execute_sql("EXPLAIN " + sql, params).fetchall()
    return " ".join(row[0] for row in rows)


def test_a_three_character_search_is_answered_by_the_trigram_index(archive, backend):
    sql, params = Customer.select(Customer.id).where(condition("华信科")).sql()
    expected = FTS_TABLE if backend == "sqlite" else TRIGRAM_INDEX
    assert expected in _plan(sql, tuple(params))


def test_a_two_character_search_reads_an_index_too(archive, backend):
    sql, params = Customer.select(Customer.id).where(condition("张伟")).sql()
    plan = _plan(sql, tuple(params))
    if backend == "sqlite":
        assert f"SEARCH {PIECE_TABLE} USING PRIMARY KEY (piece=?)" in plan
        # The only customers read one by one are those with a text too long for the pieces.
        assert all(LONG_TEXT_INDEX in scan for scan in re.findall(r"SCAN customer[^']*", plan))
    else:
        assert GRAMS_INDEX in plan

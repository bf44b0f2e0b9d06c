"""The one- and two-character pieces of the search text, kept by the archive itself."""
from __future__ import annotations

import pytest

from crmdesk.models import Customer, search_pieces
from crmdesk.models.db import database
from crmdesk.models.migrations import m0026_search_pieces
from crmdesk.models.search_pieces import PIECE_TABLE, POSITIONS
from crmdesk.services import customers
from crmdesk.services.search import ListQuery, find_ids, first_screen
from crmdesk.services.search_conditions import condition

pytestmark = pytest.mark.sqlite_only


def _expected_pieces() -> set[tuple[str, int]]:
    """Every piece a search may look up, worked out from each customer's search text."""
    found = set()
    for customer_id, text in Customer.select(Customer.id, Customer.search_text).tuples():
        for width in (1, 2):
            for start in range(len(text) - width + 1):
                piece = text[start:start + width]
                if " " in piece or "|" in piece or (piece.isascii() and piece.isdigit()):
                    continue
                found.add((piece, customer_id))
    return found


def _stored_pieces() -> set[tuple[str, int]]:
    return set(database.execute_sql(f"SELECT piece, customer_id FROM {PIECE_TABLE}"))


def _save(actor, **values) -> int:
    card = customers.new_card(actor)
    card.values.update(values)
    return customers.save_card(card, actor, accept_incomplete=True).customer_id


def test_pieces_follow_every_new_changed_and_deleted_customer(archive, manager):
    zhang = _save(manager, name="张伟", employer="新纪元 科技|有限公司", mobile="13800138000")
    li = _save(manager, name="Li Na 2", alias="娜娜")
    assert ("张伟", zhang) in _stored_pieces() and ("娜", li) in _stored_pieces()
    assert _stored_pieces() == _expected_pieces()

    Customer.update(name="王伟", search_text="王伟 | 华信").where(Customer.id == zhang).execute()
    assert ("张", zhang) not in _stored_pieces()
    assert _stored_pieces() == _expected_pieces()

    Customer.delete().where(Customer.id == li).execute()
    assert all(customer_id != li for _piece, customer_id in _stored_pieces())
    assert _stored_pieces() == _expected_pieces()


def test_the_step_fills_the_pieces_of_an_existing_archive(archive, manager, monkeypatch):
    monkeypatch.setattr(search_pieces, "FILL_SLICE", 2)  # three customers: two slices
    ids = [_save(manager, name=name, employer=employer) for name, employer in
           (("张三", "华信科技"), ("欧阳娜娜", None), ("Apex", "Apex Holdings 2"))]
    database.execute_sql(f"DELETE FROM {PIECE_TABLE}")
    assert not find_ids(ListQuery(text="张"))

    m0026_search_pieces.run(None, database.obj)

    assert _stored_pieces() == _expected_pieces()
    assert find_ids(ListQuery(text="张")) == [ids[0]]


def test_short_searches_read_the_pieces_not_every_search_text(archive):
    sql, _params = Customer.select(Customer.id).where(condition("张伟")).sql()
    assert PIECE_TABLE in sql and "search_text LIKE" not in sql.split(PIECE_TABLE)[0]
    # "|" joins the parts of the text: such a query reads the text itself.
    sql, _params = Customer.select(Customer.id).where(condition("a|")).sql()
    assert PIECE_TABLE not in sql


def test_a_text_longer_than_the_pieces_reach_is_still_found(archive, manager):
    long_one = _save(manager, name="张三")
    Customer.update(search_text="张三 | " + "公" * POSITIONS + "嫘").where(
        Customer.id == long_one).execute()
    short_one = _save(manager, name="嫘祖")
    for text, expected in (("嫘", [long_one, short_one]), ("公嫘", [long_one])):
        query = ListQuery(text=text)
        assert find_ids(query) == expected
        assert first_screen(query) == expected

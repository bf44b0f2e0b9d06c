"""The search box and the customer list: what each kind of query finds, sorting, list rows.

Most tests search one corpus (demo customers plus a few written by hand) and compare what the
archive returns with a plain Python filter over every row, so a query that misses a customer
or finds a wrong one fails.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from crmdesk import i18n
from crmdesk.models import Customer, Level, Staff
from crmdesk.models.card import FIELDS
from crmdesk.models.db import close_database, database, open_database
from crmdesk.models.search_index import has_search_index
from crmdesk.models.search_keys import pinyin_keys
from crmdesk.services import contacts, customers, search, search_conditions
from crmdesk.services.context import Actor
from crmdesk.services.demo import build_demo
from crmdesk.services.search import (
    LIST_COLUMNS,
    ListQuery,
    SortKey,
    find_ids,
    first_screen,
    list_rows,
)
from crmdesk.services.search_conditions import condition
from tests.statements import statements_run

TODAY = dt.date(2026, 3, 2)


@dataclass(frozen=True)
class Row:
    """One customer as the brute-force filters see it."""

    id: int
    archive_no: str
    name: str
    alias: str | None
    employer: str | None
    mobile: str | None
    phone: str | None
    name_pinyin: str
    name_initials: str
    level_id: int | None
    status: str | None
    owner_id: int | None
    last_contact_at: dt.datetime | None
    next_follow_up: dt.date | None
    kind: str

    @property
    def company(self) -> str | None:
        """The company the list shows: an organisation's own name, a person's employer."""
        return self.name if self.kind == "organisation" else self.employer


def _save(actor: Actor, kind: str = "individual", **values) -> int:
    card = customers.new_card(actor, kind)
    card.values.update(values)
    return customers.save_card(card, actor, accept_incomplete=True).customer_id


def _build_corpus(path: Path) -> dict[str, int]:
    """Demo customers and a few hand-written ones; returns the hand-written ids by name."""
    open_database(path)
    build_demo(200, seed=3, today=TODAY)
    desk = Actor.of(Staff.get(Staff.username == "sales"))
    level = {lv.code: lv.id for lv in Level.select()}
    ids = {
        "张三": _save(desk, name="张三", mobile="13800138000", employer="华信科技有限公司",
                    level=level["A"], status="following"),
        "张三丰": _save(desk, name="张三丰", mobile="13912348000", phone="010-65529988"),
        "李四": _save(desk, name="李四", mobile="15012341234", employer="南山茶叶合作社"),
        "恒通": _save(desk, "organisation", name="上海恒通物流有限公司", alias="恒通",
                    mobile="+852 9123 4567"),
        "Apex": _save(desk, name="Apex Trading", mobile="18600001111",
                      employer="Apex Holdings"),
        "百分百": _save(desk, name="百分百_满意%", employer="100%满意"),
    }
    contacts.log_contact(ids["张三"], contacts.Contact(
        contacted_at=dt.datetime(2026, 2, 27, 15, 0), method="phone", record="询问价格",
        level_id=level["A"]), desk)
    close_database()
    return ids


@pytest.fixture(scope="module")
def corpus_file(tmp_path_factory) -> tuple[Path, dict[str, int]]:
    path = tmp_path_factory.mktemp("search") / "archive.sqlite3"
    return path, _build_corpus(path)


@pytest.fixture
def named(corpus_file) -> Iterator[dict[str, int]]:
    """The corpus opened for one test; yields the hand-written customers' ids by name."""
    path, ids = corpus_file
    open_database(path)
    yield ids
    close_database()


@pytest.fixture
def rows(named) -> list[Row]:
    """Every customer of the corpus, for the brute-force filters."""
    query = Customer.select(
        Customer.id, Customer.archive_no, Customer.name, Customer.alias, Customer.employer,
        Customer.mobile, Customer.phone, Customer.name_pinyin, Customer.name_initials,
        Customer.level, Customer.status, Customer.owner, Customer.last_contact_at,
        Customer.next_follow_up, Customer.kind,
    ).tuples()
    return [Row(*values) for values in query]


def _found(text: str) -> set[int]:
    return set(find_ids(ListQuery(text=text)))


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().lower()


def _substring_matches(rows: list[Row], query: str) -> set[int]:
    q = _fold(query)
    return {r.id for r in rows
            if any(q in _fold(part) for part in (r.name, r.alias, r.employer) if part)}


def _expected(rows: list[Row], query: str) -> set[int]:
    """What the search box should find for a query of words (not digits, not KH numbers)."""
    q = _fold(query)
    found = _substring_matches(rows, q)
    if re.fullmatch(r"[a-z]+", q):
        found |= {r.id for r in rows
                  if r.name_initials.startswith(q) or r.name_pinyin.startswith(q)}
    return found


def _is_word_query(text: str) -> bool:
    q = _fold(text)
    return bool(q) and not re.fullmatch(r"[\d\s()+\-]+|kh\d*|(尾号|tail:).*", q)


# -- names, companies and the two search paths ------------------------------------------------


def test_part_of_a_name_finds_the_customer(named):
    assert _found("三丰") == {named["张三丰"]}
    assert _found("Trading") == {named["Apex"]}


def test_company_finds_the_customer_who_works_there(named):
    assert named["张三"] in _found("华信科技")
    assert _found("茶叶合作社") == {named["李四"]}


def test_alias_finds_the_organisation(named):
    assert named["恒通"] in _found("恒通")


def test_empty_box_lists_everyone(rows):
    assert _found("") == {r.id for r in rows}
    assert _found("   ") == {r.id for r in rows}


def test_nothing_matches_a_name_nobody_has(named):
    assert _found("诸葛孔明") == set()
    assert _found("葛") == set()


def _short_queries() -> list[str]:
    surnames = list("王李张刘陈杨黄赵吴周")
    pairs = ["张三", "华信", "有限", "科技", "欧阳", "恒通", "上海", "满意", "伟", "婷", "_", "%",
             "_满", "0%"]
    return surnames + pairs


@pytest.mark.parametrize("query", _short_queries())
def test_one_and_two_character_queries_find_every_match(rows, query):
    expected = _expected(rows, query)
    assert _found(query) == expected
    if query not in ("伟", "婷"):
        assert expected, f"the corpus should hold customers matching {query!r}"


@pytest.mark.parametrize(
    "query", ["有限公司", "华信科", "张三丰", "恒通物流", "上海恒", "科技有限", "满意%", "分百_",
              "apex", "APEX HOLD", "x tr", "物流有限公司"],
)
def test_longer_queries_through_the_trigram_index_find_every_match(rows, query):
    assert has_search_index(database.obj)
    assert _found(query) == _expected(rows, query)
    assert _expected(rows, query)


def test_queries_of_three_characters_or_more_use_the_trigram_index(named):
    sql, _params = Customer.select().where(condition("有限公司")).sql()
    assert "customer_fts" in sql
    sql, _params = Customer.select().where(condition("有限")).sql()
    assert "customer_fts" not in sql


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_part_of_any_name_or_company_finds_exactly_the_matching_customers(rows, data):
    row = data.draw(st.sampled_from(rows))
    text = data.draw(st.sampled_from([t for t in (row.name, row.alias, row.employer) if t]))
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    query = text[start:end]
    assume(_is_word_query(query))
    found = _found(query)
    assert row.id in found
    assert found == _expected(rows, query)


# -- pinyin ---------------------------------------------------------------------------------


def test_pinyin_initials_find_the_customer(named, rows):
    found = _found("zs")
    assert {named["张三"], named["张三丰"]} <= found
    assert found == _expected(rows, "zs")
    assert all(pinyin_keys(r.name)[1].startswith("zs") for r in rows if r.id in found)


def test_full_pinyin_finds_the_customer(named, rows):
    found = _found("zhangsan")
    assert {named["张三"], named["张三丰"]} <= found
    assert found == {r.id for r in rows if r.name_pinyin.startswith("zhangsan")}
    assert _found("zhangsanfeng") == {named["张三丰"]}
    assert _found("ZSF") == {named["张三丰"]}


def test_pinyin_keys_are_stored_for_every_customer(rows):
    for r in rows:
        assert (r.name_pinyin, r.name_initials) == pinyin_keys(r.name)


# -- numbers ------------------------------------------------------------------------------


def test_last_four_digits_find_every_mobile_ending_with_them(named, rows):
    found = _found("8000")
    assert {named["张三"], named["张三丰"]} <= found
    assert found == {r.id for r in rows if r.mobile and r.mobile.endswith("8000")}


def test_tail_written_as_weihao_finds_the_mobile(named, rows):
    assert _found("尾号1234") == {r.id for r in rows if r.mobile and r.mobile.endswith("1234")}
    assert named["李四"] in _found("尾号 1234")


@pytest.mark.parametrize(
    "typed", ["13800138000", "138 0013 8000", "+86 138-0013-8000", "0086 13800138000",
              "１３８００１３８０００", "138-0013-8000"],
)
def test_full_mobile_in_any_format_finds_the_customer(named, typed):
    assert _found(typed) == {named["张三"]}


def test_start_of_a_mobile_finds_every_mobile_beginning_so(rows):
    found = _found("1391234")
    assert found == {r.id for r in rows if r.mobile and r.mobile.startswith("1391234")}
    assert found


def test_number_abroad_is_found_in_any_format(named):
    assert _found("+852 9123 4567") == {named["恒通"]}
    assert _found("00852 91234567") == {named["恒通"]}


def test_fixed_line_with_area_code_finds_the_customer(named):
    assert named["张三丰"] in _found("010-6552 9988")
    assert named["张三丰"] in _found("01065529988")


def test_archive_number_finds_the_customer(named, rows):
    number = Customer.get_by_id(named["李四"]).archive_no
    assert _found(number) == {named["李四"]}
    assert _found(number.lower()) == {named["李四"]}
    assert _found(number[2:]) == {named["李四"]}
    prefix = number[:8]
    assert _found(prefix) == {r.id for r in rows if r.archive_no.startswith(prefix)}


# -- filters ------------------------------------------------------------------------------


def test_filters_narrow_the_list(named, rows):
    level_a = Level.get(Level.code == "A").id
    owner = Staff.get(Staff.username == "sales").id
    found = set(find_ids(ListQuery(owner_id=owner, level_id=level_a, status="following")))
    assert found == {r.id for r in rows if r.owner_id == owner and r.level_id == level_a
                     and r.status == "following"}
    assert named["张三"] in found
    assert set(find_ids(ListQuery(text="张", status="following"))) == {
        r.id for r in rows if r.id in _expected(rows, "张") and r.status == "following"}


# -- sorting ------------------------------------------------------------------------------


def _level_rank(row: Row) -> int | None:
    order = [lv.id for lv in Level.select().order_by(Level.sort_order, Level.id)]
    return order.index(row.level_id) if row.level_id in order else None


def _status_rank(row: Row) -> int | None:
    keys = [c.key for c in FIELDS["status"].choices]
    return keys.index(row.status) if row.status in keys else None


def _owner_rank(row: Row) -> tuple | None:
    if row.owner_id is None:
        return None
    name = Staff.get_by_id(row.owner_id).name
    return pinyin_keys(name), row.owner_id


SORT_VALUES: dict[SortKey, Callable[[Row], object]] = {
    SortKey.ARCHIVE_NO: lambda r: r.archive_no,
    SortKey.NAME: lambda r: r.name_pinyin,
    SortKey.MOBILE: lambda r: r.mobile,
    SortKey.COMPANY: lambda r: r.company,
    SortKey.LEVEL: _level_rank,
    SortKey.STATUS: _status_rank,
    SortKey.OWNER: _owner_rank,
    SortKey.LAST_CONTACT: lambda r: r.last_contact_at,
    SortKey.NEXT_FOLLOW_UP: lambda r: r.next_follow_up,
}


def _sorted_ids(rows: list[Row], value: Callable[[Row], object], descending: bool) -> list[int]:
    """Sorted by value (ties by id), in the direction asked; customers without one last."""
    known = [r for r in rows if value(r) is not None]
    unknown = [r for r in rows if value(r) is None]
    known.sort(key=lambda r: (value(r), r.id), reverse=descending)
    unknown.sort(key=lambda r: r.id, reverse=descending)
    return [r.id for r in known + unknown]


def test_every_sort_key_is_covered():
    assert set(SORT_VALUES) == set(SortKey)


@pytest.mark.parametrize("descending", [False, True], ids=["ascending", "descending"])
@pytest.mark.parametrize("key", list(SortKey), ids=lambda k: k.value)
def test_list_is_sorted_by_the_chosen_column(rows, key, descending):
    value = SORT_VALUES[key]
    assert len({value(r) for r in rows}) > 2, "the corpus should have values to sort"
    assert find_ids(ListQuery(sort=key, descending=descending)) == _sorted_ids(
        rows, value, descending)


def test_customers_without_a_value_come_last_in_both_directions(rows):
    no_company = {r.id for r in rows if r.company is None}
    assert no_company
    for descending in (False, True):
        ids = find_ids(ListQuery(sort=SortKey.COMPANY, descending=descending))
        assert set(ids[-len(no_company):]) == no_company


def test_search_results_are_sorted_too(rows):
    ids = find_ids(ListQuery(text="张", sort=SortKey.NAME, descending=True))
    subset = [r for r in rows if r.id in _expected(rows, "张")]
    assert ids == _sorted_ids(subset, SORT_VALUES[SortKey.NAME], True)


# -- list rows ----------------------------------------------------------------------------


def test_list_row_shows_what_the_user_reads(named):
    customer_id = named["张三"]
    row = dict(zip(LIST_COLUMNS, list_rows([customer_id])[customer_id], strict=True))
    stored = Customer.get_by_id(customer_id)
    assert row == {
        "archive_no": stored.archive_no,
        "name": "张三",
        "mobile": "138 0013 8000",
        "company": "华信科技有限公司",
        "level": "A",
        "status": "跟进中",
        "owner": "王强",
        "last_contact": "2026-02-27",
        "next_follow_up": "2026-03-02",
    }


def test_an_organisation_is_its_own_company_in_the_list(named):
    customer_id = named["恒通"]
    row = dict(zip(LIST_COLUMNS, list_rows([customer_id])[customer_id], strict=True))
    assert row["name"] == row["company"] == "上海恒通物流有限公司"


def test_list_row_leaves_missing_values_blank(named):
    customer_id = named["百分百"]
    row = dict(zip(LIST_COLUMNS, list_rows([customer_id])[customer_id], strict=True))
    assert row["mobile"] == ""
    assert row["last_contact"] == ""
    assert row["status"] == "潜在"


def test_list_row_speaks_english_when_asked(named):
    i18n.set_language("en")
    customer_id = named["张三"]
    row = dict(zip(LIST_COLUMNS, list_rows([customer_id])[customer_id], strict=True))
    assert row["status"] == "Following up"


def test_list_rows_are_keyed_by_id_for_exactly_the_ids_asked(named, rows):
    ids = [r.id for r in rows[:25]]
    assert set(list_rows(ids)) == set(ids)
    assert list_rows([]) == {}


def test_percent_and_underscore_are_searched_as_typed(salesperson):
    from crmdesk.services import customers as customer_service

    for name in ("百分百_纯净", "百分之百纯净"):
        card = customer_service.new_card(salesperson)
        card.values.update(name=name)
        customer_service.save_card(card, salesperson, accept_incomplete=True)
    found = {row[1] for row in list_rows(find_ids(ListQuery(text="百_纯"), salesperson),
                                         salesperson).values()}
    assert found == {"百分百_纯净"}
    assert find_ids(ListQuery(text="%"), salesperson) == []
    assert len(find_ids(ListQuery(text="纯"), salesperson)) == 2


# -- the first screen before the whole list ----------------------------------------------------

# Dense ("1", "z", "KH2026": most of the corpus), rare, substrings short and long, none at all.
FIRST_SCREEN_QUERIES = ["", "1", "13", "138", "z", "zw", "张", "张伟", "新", "有限", "KH2026",
                        "有限公司", "zhangsan", "1234", "%", "诸葛孔明"]


@pytest.mark.parametrize("text", FIRST_SCREEN_QUERIES)
@pytest.mark.parametrize("key", list(SortKey))
def test_first_screen_is_the_start_of_the_whole_list(named, monkeypatch, text, key):
    # A probe and a window smaller than the corpus: common queries are answered by walking
    # them, rare ones fall back to the indexes, and all must give the whole list's first rows.
    monkeypatch.setattr(search, "PROBE", 12)
    monkeypatch.setattr(search, "WINDOW", 40)
    manager = Actor.of(Staff.get(Staff.username == "manager"))
    for actor in (manager, Actor.of(Staff.get(Staff.username == "sales"))):
        for descending in (False, True):
            query = ListQuery(text=text, sort=key, descending=descending)
            whole = find_ids(query, actor)
            for limit in (1, 5, 30):
                assert first_screen(query, actor, limit) == whole[:limit], (actor.name, limit)


def test_a_common_query_reads_only_the_first_customers_in_list_order(named, monkeypatch,
                                                                     caplog):
    monkeypatch.setattr(search, "PROBE", 12)
    manager = Actor.of(Staff.get(Staff.username == "manager"))
    ids: list[int] = []
    statements = statements_run(
        caplog, lambda: ids.extend(first_screen(ListQuery(text="1"), manager, 5)))
    assert ids == find_ids(ListQuery(text="1"), manager)[:5]
    searches = [sql for sql in statements if 'FROM "customer"' in sql]
    assert len(searches) == 1 and searches[0].endswith("LIMIT ?"), searches


@pytest.mark.sqlite_only
@pytest.mark.parametrize("longest_walk", [100_000, 0])
def test_a_rare_piece_walks_the_numbers_index_for_its_first_screen(archive, monkeypatch, caplog,
                                                                   longest_walk):
    """A piece few cards hold ("张" among a million) is found by walking the archive numbers'
    index as far as a screen of its holders should reach, testing each id against the holders
    read once; a walk that would be too long, or falls short, sorts the holders instead."""
    build_demo(150, seed=5, today=TODAY)
    monkeypatch.setattr(search, "LONGEST_INDEX_WALK", longest_walk)
    manager = Actor.of(Staff.get(Staff.username == "manager"))
    (piece,) = database.execute_sql(
        "SELECT piece FROM search_piece WHERE length(piece) = 1 AND piece >= '一' "
        "GROUP BY piece ORDER BY count(*) DESC, piece LIMIT 1").fetchone()
    for descending in (False, True):
        query = ListQuery(text=piece, descending=descending)
        whole = find_ids(query, manager)
        assert len(whole) > 3
        for limit in (1, 3, len(whole), len(whole) + 1):
            statements = statements_run(caplog, lambda q=query, n=limit: first_screen(
                q, manager, n))
            assert first_screen(query, manager, limit) == whole[:limit], limit
            walks = [sql for sql in statements if "OFFSET" in sql]
            assert bool(walks) == (longest_walk > 0), statements
            if walks:
                assert '+"t1"."id" IN (SELECT customer_id FROM search_piece' in walks[0]


def test_a_short_search_on_postgresql_tests_the_rows_it_walks_with_like(archive, backend, caplog,
                                                                        monkeypatch):
    """On PostgreSQL a one- or two-character search is found through the index of every
    text's pieces. A piece many cards hold is found sooner by walking the list in order and
    testing each row with LIKE alone; should the planner walk the list for any other, each row
    is tested with LIKE before its pieces are listed, which costs far more."""
    if backend == "sqlite":
        pytest.skip("about PostgreSQL's condition; SQLite reads the piece table")
    build_demo(150, seed=5, today=TODAY)
    manager = Actor.of(Staff.get(Staff.username == "manager"))

    def screen_statement(text: str) -> str:
        query = ListQuery(text=text)
        whole = find_ids(query, manager)
        statements = statements_run(caplog, lambda: first_screen(query, manager, 5))
        assert first_screen(query, manager, 5) == whole[:5], text
        return next(sql for sql in statements if "ORDER BY" in sql and "LIMIT" in sql)

    for text in ("z", "新", "伟", "1_", "%"):
        where = screen_statement(text)
        assert where.index('"search_text" LIKE') < where.index("customer_grams"), where
    # Held by more cards than a screen's cut-off (here √(1 x 150) + 1 = 13): walked.
    monkeypatch.setattr(search_conditions, "FIRST_SCREEN", 1)
    common = database.execute_sql(
        "SELECT substr(search_text, 1, 1) AS c FROM customer WHERE search_text > 'z' "
        "GROUP BY c ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
    assert "customer_grams" not in screen_statement(common)


@pytest.mark.sqlite_only
def test_pinyin_in_name_order_is_read_from_where_its_letter_starts(archive, monkeypatch, caplog):
    """Names the pinyin keys match all start with the letter typed first: in name order the
    first screen is walked from there, not from the list's start (where "z" finds nothing)."""
    build_demo(150, seed=5, today=TODAY)
    monkeypatch.setattr(search, "WINDOW", 60)
    manager = Actor.of(Staff.get(Staff.username == "manager"))
    for text in ("z", "zh", "w", "l"):
        for descending in (False, True):
            query = ListQuery(text=text, sort=SortKey.NAME, descending=descending)
            whole = find_ids(query, manager)
            for limit in (1, 4):
                statements = statements_run(caplog, lambda q=query, n=limit: first_screen(
                    q, manager, n))
                assert first_screen(query, manager, limit) == whole[:limit], (text, limit)
                walks = [sql for sql in statements if '"edge"."name_pinyin" >' in sql
                         or '"edge"."name_pinyin" <' in sql]
                assert walks, (text, descending, statements)


def test_first_screen_on_either_backend_matches_the_whole_list(archive):
    build_demo(120, seed=5, today=TODAY)
    manager = Actor.of(Staff.get(Staff.username == "manager"))
    for text in ("1", "13", "z", "zw", "张", "张伟", "新", "有限公司", "KH2026", "1234", ""):
        for key in (SortKey.ARCHIVE_NO, SortKey.NAME, SortKey.LEVEL):
            query = ListQuery(text=text, sort=key)
            assert first_screen(query, manager, 7) == find_ids(query, manager)[:7], text


def test_the_start_of_an_archive_number_is_read_from_where_its_numbers_start(archive, manager,
                                                                            caplog):
    from crmdesk.services import merges

    ids = [_save(manager, name=f"客户{i}") for i in range(30)]
    numbers = dict(Customer.select(Customer.id, Customer.archive_no).tuples())
    kept, gone = ids[1], ids[24]
    merges.merge(kept, gone, manager)
    old = numbers[gone]
    assert find_ids(ListQuery(text=old), manager) == [kept]  # the old number finds the survivor
    for text in (old, old[:-1], numbers[ids[10]][:-1], "KH", old[:3].lower()):
        for descending in (False, True):
            query = ListQuery(text=text, descending=descending)
            for limit in (1, 5, 40):
                assert first_screen(query, manager, limit) == find_ids(query, manager)[:limit]
    statements = statements_run(caplog, lambda: first_screen(ListQuery(text=old[:-1]), manager))
    searches = [sql for sql in statements if 'FROM "customer"' in sql]
    # The numbers' own run and the merged number's survivor: no walk from the list's start.
    assert len(searches) <= 3 and not any("OFFSET" in sql for sql in searches), searches


def test_the_whole_list_by_level_reads_one_level_after_another(archive, manager, caplog):
    build_demo(60, seed=5, today=TODAY)
    for descending in (False, True):
        query = ListQuery(sort=SortKey.LEVEL, descending=descending)
        statements = statements_run(caplog, lambda q=query: first_screen(q, manager, 7))
        assert first_screen(query, manager, 7) == find_ids(query, manager)[:7]
        searches = [sql for sql in statements if 'FROM "customer"' in sql]
        # Each in id order through the level's index: nobody is ranked and sorted.
        assert searches and not any("CASE" in sql for sql in searches), searches

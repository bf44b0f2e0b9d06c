"""Upgrading an archive written at schema 1 (tests/data/archive_v1.sql) to today's schema."""
from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from crmdesk.models import Customer, Level, Staff
from crmdesk.models.db import close_database, database, open_database
from crmdesk.models.migrations import LATEST, STEPS, current_version
from crmdesk.models.search_keys import mobile_tail, pinyin_keys, search_text
from crmdesk.services import contacts, customers
from crmdesk.services.context import Actor
from crmdesk.services.search import ListQuery, find_ids

SCHEMA_1 = Path(__file__).resolve().parents[1] / "data" / "archive_v1.sql"
SEARCH_KEYS = ("name_pinyin", "name_initials", "mobile_tail", "search_text")


def _load_schema_1(path: Path) -> None:
    with sqlite3.connect(path) as raw:
        raw.executescript(SCHEMA_1.read_text(encoding="utf-8"))
    raw.close()


_MOMENT = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?")


def _value(stored: object) -> object:
    # A moment is the same moment whether written with ".000000" or without.
    if isinstance(stored, str) and _MOMENT.fullmatch(stored):
        return dt.datetime.fromisoformat(stored)
    return stored


def _contents(path: Path) -> dict[str, list[dict[str, object]]]:
    """Every row of every ordinary table, by table, as column -> value."""
    raw = sqlite3.connect(path)
    try:
        tables = [t for (t,) in raw.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'"
            " AND name NOT LIKE 'customer_fts%' AND name NOT LIKE 'sqlite_%'")]
        contents = {}
        for table in tables:
            # A table WITHOUT ROWID (search_piece) is in the order of its primary key.
            key = [c[1] for c in sorted(raw.execute(f'PRAGMA table_info("{table}")'),
                                        key=lambda c: c[5]) if c[5]]
            without_rowid = raw.execute("SELECT sql LIKE '%WITHOUT ROWID' FROM sqlite_master "
                                        "WHERE name = ?", (table,)).fetchone()[0]
            order = ", ".join(f'"{c}"' for c in key) if without_rowid else "rowid"
            cursor = raw.execute(f'SELECT * FROM "{table}" ORDER BY {order}')
            names = [c[0] for c in cursor.description]
            contents[table] = [dict(zip(names, map(_value, row), strict=True)) for row in cursor]
        return contents
    finally:
        raw.close()


def _schema(path: Path) -> dict[str, object]:
    """Tables with their columns (name, type, not null, primary key), indexes and triggers."""
    raw = sqlite3.connect(path)
    try:
        objects = raw.execute(
            "SELECT type, name, tbl_name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
        ).fetchall()
        columns = {
            name: sorted((c[1], c[2].upper(), c[3], c[5])
                         for c in raw.execute(f'PRAGMA table_info("{name}")'))
            for kind, name, _table in objects if kind == "table"
        }
        return {"objects": sorted(objects), "columns": columns}
    finally:
        raw.close()


@pytest.fixture
def schema_1(tmp_path) -> Path:
    path = tmp_path / "old.sqlite3"
    _load_schema_1(path)
    return path


@pytest.fixture
def migrated(schema_1) -> Iterator[tuple[Path, dict[str, list[dict[str, object]]]]]:
    """The schema-1 archive opened (and so upgraded); yields its path and its rows before."""
    before = _contents(schema_1)
    open_database(schema_1)
    yield schema_1, before
    close_database()


def test_fixture_is_a_genuine_schema_1_archive(schema_1):
    contents = _contents(schema_1)
    assert [row["version"] for row in contents["schema_migration"]] == [1]
    customer_columns = set(contents["customer"][0])
    assert not customer_columns & set(SEARCH_KEYS)
    assert "customer_fts" not in {o[1] for o in _schema(schema_1)["objects"]}
    names = [row["name"] for row in contents["customer"]]
    assert {"张三", "欧阳娜娜", "上海恒通物流有限公司"} <= set(names)
    for table in ("communication", "purchase", "decision_person", "audit_entry"):
        assert contents[table], table


def test_every_row_and_value_survives_the_upgrade(migrated):
    path, before = migrated
    close_database()
    after = _contents(path)
    for table, rows in before.items():
        if table == "schema_migration":
            continue
        if not rows:
            continue
        # Later steps may add rows (a new counter, say); the old ones stay first, unchanged.
        kept = [{column: row[column] for column in rows[0]} for row in after[table]]
        assert kept[: len(rows)] == rows, f"rows of {table} changed"


def test_search_keys_are_filled_for_every_old_customer(migrated):
    for customer in Customer.select():
        assert (customer.name_pinyin, customer.name_initials) == pinyin_keys(customer.name)
        assert customer.mobile_tail == mobile_tail(customer.mobile)
        assert customer.search_text == search_text(customer.name, customer.alias,
                                                   customer.employer)
    zhang = Customer.get(Customer.name == "张三")
    assert (zhang.name_pinyin, zhang.name_initials, zhang.mobile_tail) == (
        "zhangsan", "zs", "8000")


def test_old_customers_are_found_by_pinyin_tail_and_company(migrated):
    by_name = {c.name: c.id for c in Customer.select()}
    assert find_ids(ListQuery(text="zhangsan")) == [by_name["张三"]]
    assert find_ids(ListQuery(text="oynn")) == [by_name["欧阳娜娜"]]
    assert find_ids(ListQuery(text="尾号5678")) == [by_name["李四"]]
    assert find_ids(ListQuery(text="恒通物流")) == [by_name["上海恒通物流有限公司"]]
    assert find_ids(ListQuery(text="明德文化")) == [by_name["王芳"]]


def test_upgraded_schema_equals_a_new_archive(migrated, tmp_path):
    path, _before = migrated
    close_database()
    fresh = tmp_path / "fresh.sqlite3"
    open_database(fresh)
    close_database()
    upgraded, new = _schema(path), _schema(fresh)
    assert upgraded["columns"] == new["columns"]
    assert upgraded["objects"] == new["objects"]


def test_every_step_is_recorded_once(migrated):
    path, before = migrated
    assert current_version(database.obj) == LATEST
    close_database()
    recorded = _contents(path)["schema_migration"]
    versions = [row["version"] for row in recorded]
    assert versions == [step.version for step in STEPS]
    assert versions[:2] == [1, 2]
    assert recorded[0] == before["schema_migration"][0]


def test_reopening_an_upgraded_archive_changes_nothing(migrated):
    path, _before = migrated
    close_database()
    once = _contents(path)
    open_database(path)
    close_database()
    assert _contents(path) == once


def test_old_cards_open_and_save_after_the_upgrade(migrated):
    organisation = Customer.get(Customer.name == "上海恒通物流有限公司")
    card = customers.get_card(organisation.id)
    assert card.archive_no == "KH2023000004"
    assert [p["amount"] for p in card.purchases] == [Decimal("420000.50"), Decimal("9000.00")]
    assert [p["name"] for p in card.decision_people] == ["孙总", "钱会计"]
    assert len(card.communications) == 4

    owner = Actor.of(Staff.get_by_id(organisation.owner_id))
    card.values["alias"] = "恒通快运"
    customers.save_card(card, owner, accept_incomplete=True)
    assert find_ids(ListQuery(text="恒通快运")) == [organisation.id]
    contacts.log_contact(organisation.id, contacts.Contact(
        contacted_at=dt.datetime(2023, 3, 1, 10, 0), method="phone", record="回访",
        level_id=Level.get(Level.code == "O").id), owner)
    assert customers.get_card(organisation.id).communications[0]["seq"] == 5


def test_new_customer_in_an_upgraded_archive_continues_the_numbering(migrated):
    desk = Actor.of(Staff.get(Staff.username == "wangqiang"))
    card = customers.new_card(desk)
    card.values["name"] = "赵六"
    saved = customers.save_card(card, desk, accept_incomplete=True)
    assert int(saved.archive_no[-6:]) == 6
    assert find_ids(ListQuery(text="zl")) == [saved.customer_id]

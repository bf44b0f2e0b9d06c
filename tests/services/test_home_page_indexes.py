"""Schema 29: the birthday indexes and the index of confidentiality and owner, filled by the step
on an existing archive and read by the home page's queries, on SQLite and PostgreSQL."""
from __future__ import annotations

import datetime as dt
import logging

import pytest

from crmdesk.models import Customer
from crmdesk.models.birthday_index import INDEXED, month_day
from crmdesk.models.db import database, is_sqlite
from crmdesk.models.migrations import m0029_home_page_indexes as step
from crmdesk.services import reminders
from crmdesk.services.visibility import hidden_archives

DAY = dt.date(2026, 12, 29)
NEW = [name for _column, name in INDEXED] + [step.OWNER_INDEX[0]]


def _indexes() -> set[str]:
    if is_sqlite():
        sql = "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'customer'"
    else:
        sql = ("SELECT indexname FROM pg_indexes WHERE tablename = 'customer' "
               "AND schemaname = current_schema()")
    return {row[0] for row in database.execute_sql(sql)}


def _plan(sql: str, params: list) -> str:
    """How the database runs ``sql``: PostgreSQL is told to avoid whole-table scans, which it
    prefers on a table this small."""
    if is_sqlite():
        return " ".join(str(row) for row in database.execute_sql(
            "EXPLAIN QUERY PLAN " + sql, params))
    with database.atomic():
        database.execute_sql("SET LOCAL enable_seqscan = off")
        return " ".join(row[0] for row in database.execute_sql("EXPLAIN " + sql, params))


def _to_schema_28() -> None:
    for name in NEW:
        database.execute_sql(f'DROP INDEX "{name}"')
    database.execute_sql('CREATE INDEX "customer_confidentiality" ON customer (confidentiality)')


def test_the_step_fills_the_indexes_of_an_existing_archive(
        archive, add_customer, salesperson, lina, manager, caplog):
    _to_schema_28()
    own = add_customer(name="年末", birth_date=dt.date(1980, 12, 31), spouse_name="配偶",
                       spouse_birth_date=dt.date(1982, 1, 2))
    add_customer(lina, name="别人的", birth_date=dt.date(1980, 12, 31))
    secret = add_customer(lina, name="绝密")
    Customer.update(confidentiality="secret").where(Customer.id == secret).execute()
    assert not set(NEW) & _indexes()

    step.run(None, database.obj)

    assert set(NEW) <= _indexes() and "customer_confidentiality" not in _indexes()
    count, first = reminders.birthday_tile(DAY, salesperson, salesperson.staff_id, 5)
    assert count == 2 and [(b.customer_id, b.whose) for b in first] == [
        (own, "customer"), (own, "spouse")]
    # The whole office's birthdays (a manager's reminders) come from the indexes alone; a
    # salesperson's too on SQLite (PostgreSQL weighs the owner's index by the table's size).
    for actor in (manager, salesperson) if is_sqlite() else (manager,):
        [read] = [(sql, params) for sql, params in _statements(caplog, actor)
                  if "UNION ALL" in sql]
        plan = _plan(*read)
        assert all(name in plan for _column, name in INDEXED), plan
    # PostgreSQL names them through its partial index of top-secret archives (schema 9).
    sql, params = hidden_archives(salesperson).sql()
    assert (step.OWNER_INDEX[0] if is_sqlite() else "customer_secret") in _plan(sql, params)
    assert [row[0] for row in hidden_archives(salesperson).tuples()] == [secret]


def _statements(caplog, actor) -> list[tuple[str, list]]:
    """The SQL and parameters of the statements reading ``actor``'s birthdays."""
    with caplog.at_level(logging.DEBUG, logger="peewee"):
        caplog.clear()
        reminders.birthdays(DAY, actor=actor)
    return [record.msg for record in caplog.records
            if record.name == "peewee" and isinstance(record.msg, tuple)]


def test_a_new_archive_has_the_indexes(archive):
    assert set(NEW) <= _indexes()
    assert "customer_confidentiality" not in _indexes()


@pytest.mark.parametrize("born", [dt.date(1992, 2, 29), dt.date(1980, 12, 31)])
def test_the_index_key_is_the_month_and_day(archive, add_customer, born):
    cid = add_customer(birth_date=born)
    key = born.month * 100 + born.day
    [column, _name] = INDEXED[0]
    found = Customer.select(Customer.id).where(
        month_day(getattr(Customer, column), database.obj) == key).tuples()
    assert [row[0] for row in found] == [cid]

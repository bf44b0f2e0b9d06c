"""The shared archive's connection: causes told plainly, no password shown, drops survived."""
from __future__ import annotations

import logging

import peewee
import psycopg2
import pytest

from crmdesk import i18n
from crmdesk.errors import ArchiveConnectionError, ConnectionLostError
from crmdesk.models import Customer, Staff
from crmdesk.models.connection_events import add_connection_listener, remove_connection_listener
from crmdesk.models.db import close_database, database, open_database
from crmdesk.models.postgresql import redacted
from tests.backends import as_user, with_database

SECRET = "S3cret-pw"


def test_a_password_is_never_shown():
    assert redacted(f"postgresql://crm:{SECRET}@server/crmdesk") == \
        "postgresql://crm:***@server/crmdesk"
    assert SECRET not in redacted(f"postgresql://server/crmdesk?password={SECRET}&sslmode=require")
    assert redacted("postgresql://crm@server/crmdesk") == "postgresql://crm@server/crmdesk"


def test_an_unreachable_server_is_named_and_the_password_stays_out_of_it(tmp_path, caplog):
    i18n.set_language("en")
    url = f"postgresql://crm:{SECRET}@/crmdesk?host={tmp_path}"
    with caplog.at_level(logging.DEBUG), pytest.raises(ArchiveConnectionError) as refused:
        open_database(url=url)
    assert "cannot be reached" in str(refused.value)
    assert "PostgreSQL is running" in str(refused.value)
    assert SECRET not in str(refused.value) and SECRET not in caplog.text



@pytest.fixture(autouse=True)
def _english() -> None:
    """These tests read the messages in English."""
    i18n.set_language("en")

@pytest.fixture
def pg_archive(pg_server):
    """A fresh archive on the PostgreSQL test server, open; yields its URL."""
    url = pg_server.new_archive()
    open_database(url=url)
    yield url
    close_database()
    pg_server.drop(url)


def _admin(url: str):
    conn = psycopg2.connect(url)
    conn.autocommit = True
    return conn


def test_a_missing_database_and_a_missing_user_are_named(pg_server):
    with pytest.raises(ArchiveConnectionError, match="no database no_such_archive"):
        open_database(url=with_database(pg_server.url, "no_such_archive"))
    with pytest.raises(ArchiveConnectionError, match="no database user nobody_here"):
        open_database(url=as_user(pg_server.url, "nobody_here"))


def test_a_missing_privilege_is_named(pg_server, pg_archive):
    archive = pg_archive
    close_database()
    admin = _admin(pg_server.url)
    with admin.cursor() as cur:
        cur.execute("DROP ROLE IF EXISTS crmdesk_bare")
        cur.execute("CREATE ROLE crmdesk_bare LOGIN")
    try:
        with pytest.raises(ArchiveConnectionError, match="crmdesk_bare lacks a privilege"):
            open_database(url=as_user(archive, "crmdesk_bare"))
    finally:
        close_database()
        with admin.cursor() as cur:
            cur.execute("DROP ROLE crmdesk_bare")
        admin.close()
        open_database(url=archive)


def _drop_my_connection(pg_server) -> None:
    """What a server restart or a network cut does to this desk's connection."""
    pid = database.execute_sql("SELECT pg_backend_pid()").fetchone()[0]
    admin = _admin(pg_server.url)
    with admin.cursor() as cur:
        cur.execute("SELECT pg_terminate_backend(%s)", (pid,))
    admin.close()


def test_reads_and_new_changes_go_on_after_the_server_drops_the_connection(pg_server, pg_archive):
    Staff.create(name="赵经理", username="manager", roles="manager,sales")
    heard: list[str] = []
    add_connection_listener(heard.append)
    try:
        _drop_my_connection(pg_server)
        assert Staff.select().count() == 1  # read again on a new connection
        assert heard == ["lost", "restored"]
        _drop_my_connection(pg_server)
        with database.atomic():  # BEGIN on the dead connection: reconnected first
            Staff.create(name="李娜", username="lina", roles="sales")
        assert Staff.select().count() == 2
    finally:
        remove_connection_listener(heard.append)


def test_a_change_cut_off_before_commit_is_reported_unsaved_and_not_half_written(
        pg_server, pg_archive):
    def save_cut_off() -> None:
        with database.atomic():
            Staff.create(name="李娜", username="lina", roles="sales")
            _drop_my_connection(pg_server)
            Customer.select().count()

    with pytest.raises(ConnectionLostError, match="nothing was saved"):
        save_cut_off()
    assert Staff.select().where(Staff.username == "lina").count() == 0
    assert isinstance(database.obj, peewee.PostgresqlDatabase)

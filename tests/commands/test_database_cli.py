"""``crmdesk db init`` and ``crmdesk db upgrade`` as IT runs them."""
from __future__ import annotations

import logging
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

import pytest

from crmdesk.models.migrations import LATEST
from tests.shared_archive import SharedDatabase, owned_database

DESK_PASSWORD = "Desk-Secret-4711"
OWNER_PASSWORD = "Owner-Secret-0815"


@pytest.fixture
def crmdesk(crmdesk):
    """Run crmdesk in English with ``--debug`` (every SQL statement logged)."""
    return lambda *args: crmdesk("--lang", "en", "--debug", *args)


@pytest.fixture
def shared(pg_server) -> Iterator[SharedDatabase]:
    """An empty database owned by a role that is no superuser."""
    with owned_database(pg_server) as database_:
        yield database_


def _with_password(url: str, password: str) -> str:
    # The test server trusts local sockets, so the password is carried and never checked.
    parts = urlsplit(url)
    user, _, host = parts.netloc.rpartition("@")
    return urlunsplit((parts.scheme, f"{user}:{password}@{host}", parts.path, parts.query, ""))


@pytest.mark.parametrize("action", ["init", "upgrade"])
@pytest.mark.parametrize("target", ["sqlite:///{folder}/shared.sqlite3", "{folder}/archive.db"])
def test_db_refuses_anything_but_postgresql(crmdesk, tmp_path, action, target):
    url = target.format(folder=tmp_path)

    run = crmdesk("db", action, url)

    assert run.code == 1
    assert "PostgreSQL" in run.err
    assert "A SQLite archive needs no setting up" in run.err
    assert not (tmp_path / "shared.sqlite3").exists()
    assert not (tmp_path / "archive.db").exists()


def test_db_init_prints_the_desks_address_and_grants_but_never_a_password(
        crmdesk, shared, monkeypatch, caplog, data_dir):
    monkeypatch.setenv("CRMDESK_DESK_PASSWORD", DESK_PASSWORD)
    caplog.set_level(logging.DEBUG)

    run = crmdesk("db", "init", _with_password(shared.owner_url, OWNER_PASSWORD),
                  "--desk-role", shared.desk_role)

    assert (run.code, run.err) == (0, "")
    assert f"at version {LATEST}" in run.out
    assert f"Desk role {shared.desk_role} created" in run.out
    assert "SELECT, INSERT on tables: audit_entry" in run.out
    assert "SELECT on tables: schema_migration" in run.out
    assert f"{shared.desk_role}:<password>@" in run.out
    logs = caplog.text + "".join(p.read_text() for p in data_dir.rglob("*.log*"))
    for secret in (DESK_PASSWORD, OWNER_PASSWORD):
        assert secret not in run.out + run.err
        assert secret not in logs
    [(verifier,)] = shared.execute(
        f"SELECT rolpassword FROM pg_authid WHERE rolname = '{shared.desk_role}'")
    assert verifier.startswith(("SCRAM-SHA-256$", "md5"))


def test_db_init_twice_reapplies_grants_and_may_change_the_password(crmdesk, shared,
                                                                     monkeypatch):
    monkeypatch.setenv("CRMDESK_DESK_PASSWORD", DESK_PASSWORD)
    first = crmdesk("db", "init", shared.owner_url, "--desk-role", shared.desk_role)
    monkeypatch.delenv("CRMDESK_DESK_PASSWORD")

    again = crmdesk("db", "init", shared.owner_url, "--desk-role", shared.desk_role)
    new_password = crmdesk("db", "init", shared.owner_url, "--desk-role", shared.desk_role,
                           "--desk-password", "Another-Secret-99")

    assert (first.code, again.code, new_password.code) == (0, 0, 0)
    assert "already holds an archive" in again.out
    assert "grants were applied again" in again.out
    assert f"Desk role {shared.desk_role} already exists and was kept." in again.out
    assert "password was changed" not in again.out
    assert "Its password was changed." in new_password.out
    assert "Another-Secret-99" not in new_password.out + new_password.err


def test_db_init_without_a_password_for_a_new_role_says_how_to_give_one(crmdesk, shared):
    run = crmdesk("db", "init", shared.owner_url, "--desk-role", shared.desk_role)

    assert run.code == 1
    assert "CRMDESK_DESK_PASSWORD" in run.err
    assert shared.execute(
        f"SELECT 1 FROM pg_roles WHERE rolname = '{shared.desk_role}'") == []


def test_db_upgrade_prints_the_versions_and_a_desk_is_told_to_ask_for_it(crmdesk, shared,
                                                                         monkeypatch):
    monkeypatch.setenv("CRMDESK_DESK_PASSWORD", DESK_PASSWORD)
    assert crmdesk("db", "init", shared.owner_url, "--desk-role", shared.desk_role).code == 0
    shared.execute("ALTER TABLE customer DROP COLUMN consent_how; "
                   "DELETE FROM schema_migration WHERE version = 8", shared.owner)

    desk = crmdesk("--database", shared.desk_url, "customers")
    upgraded = crmdesk("db", "upgrade", shared.owner_url)
    current = crmdesk("db", "upgrade", shared.owner_url)
    desk_again = crmdesk("--database", shared.desk_url, "customers")

    assert desk.code == 1
    assert "older (version 7)" in desk.err
    assert "crmdesk db upgrade OWNER_URL" in desk.err
    assert upgraded.code == 0
    assert f"upgraded from schema version 7 to {LATEST}" in upgraded.out
    assert f"Grants applied again for the desk roles: {shared.desk_role}" in upgraded.out
    assert f"is up to date (schema version {LATEST})" in current.out
    assert (desk_again.code, desk_again.err) == (0, "")

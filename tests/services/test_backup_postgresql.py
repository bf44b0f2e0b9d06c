"""A PostgreSQL archive's own backups: private, verified pg_dump files in the usual rotation, the
password kept off command lines, restores only into an empty database and only for an
administrator or manager of the backup, and the check's findings."""
from __future__ import annotations

import datetime as dt
import logging
import subprocess
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2
import pytest

from crmdesk import i18n, paths
from crmdesk.models import AuditEntry, Customer, Staff
from crmdesk.models.db import close_database, database, open_database
from crmdesk.services import accounts, backup, backup_postgresql, customers, postgresql_tools
from crmdesk.services.backup_files import regular_backups
from crmdesk.services.context import Actor
from tests.backends import archive_digest

SECRET = "S3cret-pw"



@pytest.fixture(autouse=True)
def _english() -> None:
    """These tests read the messages in English."""
    i18n.set_language("en")

@pytest.fixture
def pg_archive(pg_server, tmp_path):
    """A fresh archive on the PostgreSQL test server, open, with a data folder of its own."""
    url = pg_server.new_archive()
    open_database(url=url)
    paths.data_dir(tmp_path / "data")
    yield url
    close_database()
    pg_server.drop(url)


@pytest.fixture
def empty_database(pg_server):
    """Call to point crmdesk at a new, empty database, as the restore procedure says."""
    made: list[str] = []

    def open_empty() -> str:
        made.append(pg_server.empty_database())
        close_database()
        open_database(url=made[-1])
        return made[-1]

    yield open_empty
    close_database()
    for url in made:
        pg_server.drop(url)


def _admin(url: str):
    conn = psycopg2.connect(url)
    conn.autocommit = True
    return conn


def _office() -> Actor:
    """The archive's administrator (also manager), a salesperson, and one customer."""
    admin = accounts.create_first_admin("管理员", "admin", "admin password")
    accounts.add_account(admin, "王芳", "wf", ("sales",), "sales password")
    card = customers.new_card(admin)
    card.values.update(name="张三", mobile="13800138000")
    customers.save_card(card, admin, accept_incomplete=True)
    return admin


def _touch(folder: Path, at: dt.datetime, suffix: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"crmdesk-{at:%Y%m%d-%H%M%S}{suffix}"
    path.write_bytes(b"")
    return path


def test_a_backup_is_a_private_verified_dump_rotated_with_the_others(pg_archive, tmp_path):
    admin = _office()
    folder = tmp_path / "backups"
    start = dt.datetime(2024, 1, 1, 18)
    old = [_touch(folder, start + dt.timedelta(days=d), suffix)
           for d, suffix in zip(range(0, 40, 2), [".sqlite3", ".dump"] * 10, strict=True)]

    result = backup.back_up(admin, folder, now=dt.datetime(2025, 3, 31, 12))

    assert result.path.name == "crmdesk-20250331-120000.dump"
    assert result.path.stat().st_mode & 0o777 == 0o600
    listing = subprocess.run([str(postgresql_tools.require_tool("pg_restore")), "--list",
                              str(result.path)], capture_output=True, text=True, check=True)
    assert " TABLE public customer " in listing.stdout
    assert result.removed and all(not path.exists() for path in result.removed)
    assert set(result.removed) <= set(old)
    assert result.path in regular_backups(folder)
    assert not list(folder.glob("*.part"))
    entry = AuditEntry.select().where(AuditEntry.action == "backup").get()
    assert str(result.path) in entry.details and entry.actor_name == "管理员"


def test_a_dump_failing_verification_is_dropped_and_no_older_backup_deleted(
        pg_archive, tmp_path, monkeypatch):
    folder = tmp_path / "backups"
    for days in range(0, 400, 10):
        _touch(folder, dt.datetime(2024, 1, 1, 18) + dt.timedelta(days=days), ".dump")
    before = regular_backups(folder)
    monkeypatch.setattr(backup_postgresql, "inspect_dump",
                        lambda path: (0, ["damaged: block 7 unreadable"]))

    with pytest.raises(backup.BackupRefused, match="block 7"):
        backup.back_up(None, folder, now=dt.datetime(2025, 6, 1, 12))

    assert regular_backups(folder) == before
    assert not list(folder.glob("*.part"))


def test_without_pg_dump_the_message_says_what_to_install(pg_archive, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs-here"))
    monkeypatch.setattr(postgresql_tools, "TOOL_FOLDERS", (str(tmp_path / "pg" / "*" / "bin"),))
    folder = tmp_path / "backups"

    assert "pg_dump was not found" in backup.unavailable_reason()
    with pytest.raises(backup.BackupError) as refused:
        backup.back_up(None, folder)
    assert "pg_dump was not found" in str(refused.value)
    assert "apt install postgresql-client" in str(refused.value)
    assert regular_backups(folder) == []
    with pytest.raises(backup.BackupError, match="pg_restore was not found"):
        backup.restore(None, tmp_path / "any.dump")


def test_the_newest_installed_version_is_found_when_not_on_path(tmp_path, monkeypatch):
    for version in ("9.6", "15", "13"):
        program = tmp_path / "pg" / version / "bin" / "pg_dump"
        program.parent.mkdir(parents=True)
        program.write_text("#!/bin/sh\n")
        program.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs-here"))
    monkeypatch.setattr(postgresql_tools, "TOOL_FOLDERS", (str(tmp_path / "pg" / "*" / "bin"),))
    assert postgresql_tools.find_tool("pg_dump") == tmp_path / "pg" / "15" / "bin" / "pg_dump"


def _with_login(url: str, user: str, password: str, **query: str) -> str:
    parts = urlsplit(url)
    host = parts.netloc.rsplit("@", 1)[-1]
    extra = "&".join(f"{key}={value}" for key, value in query.items())
    return urlunsplit((parts.scheme, f"{user}:{password}@{host}", parts.path,
                       "&".join(filter(None, [parts.query, extra])), ""))


def test_the_password_stays_off_command_lines_and_out_of_messages(
        pg_server, pg_archive, tmp_path, monkeypatch, caplog):
    role = "crmdesk_backup_reader"
    admin = _admin(pg_archive)
    with admin.cursor() as cur:
        cur.execute(f"DROP ROLE IF EXISTS {role}")
        cur.execute(f"CREATE ROLE {role} LOGIN PASSWORD '{SECRET}'")
        # Enough to open the archive, not enough to dump it.
        cur.execute(f"GRANT SELECT ON schema_migration, staff, audit_entry TO {role}")
    close_database()
    runs: list[tuple[list[str], dict[str, str]]] = []
    real_run = subprocess.run

    def recording_run(command, *args, **kwargs):
        runs.append((list(command), dict(kwargs.get("env") or {})))
        return real_run(command, *args, **kwargs)

    monkeypatch.setattr(postgresql_tools.subprocess, "run", recording_run)
    try:
        open_database(url=_with_login(pg_archive, role, SECRET, sslmode="disable",
                                      application_name="crmdesk-test"))
        with caplog.at_level(logging.DEBUG), pytest.raises(backup.BackupError) as refused:
            backup.back_up(None, tmp_path / "backups")
    finally:
        close_database()
        with admin.cursor() as cur:
            cur.execute(f"REVOKE ALL ON schema_migration, staff, audit_entry FROM {role}")
            cur.execute(f"DROP ROLE {role}")
        admin.close()
    assert "pg_dump could not back up" in str(refused.value)
    assert "permission denied" in str(refused.value)
    assert SECRET not in str(refused.value) and SECRET not in caplog.text
    [(command, env)] = runs
    assert not any(SECRET in argument for argument in command)
    assert env["PGPASSWORD"] == SECRET and env["PGUSER"] == role
    assert env["PGSSLMODE"] == "disable" and env["PGAPPNAME"] == "crmdesk-test"
    assert env["PGDATABASE"] == urlsplit(pg_archive).path.lstrip("/")
    assert not list((tmp_path / "backups").glob("*"))


def test_restore_goes_only_into_an_empty_database(pg_archive, tmp_path):
    admin = _office()
    saved = backup.back_up_to_file(admin, tmp_path / "saved.dump")
    before = archive_digest()

    with pytest.raises(backup.BackupError, match="restored only into an empty database"):
        backup.restore(admin, saved.path)

    assert archive_digest() == before


def _left_empty() -> bool:
    """The database holds a new archive nobody has used (what opening it empty gives)."""
    return Staff.select().count() == 0 and Customer.select().count() == 0


def test_restore_is_checked_against_the_accounts_in_the_backup(pg_archive, empty_database,
                                                               tmp_path):
    admin = _office()
    saved = backup.back_up_to_file(admin, tmp_path / "saved.dump")
    empty_database()

    for login, reason in ((None, "--user NAME"),
                          (backup.Login("admin", "wrong password"), "Wrong user name"),
                          (backup.Login("wf", "sales password"),
                           "Only a manager or administrator may do this")):
        with pytest.raises(backup.BackupError, match=reason):
            backup.restore(None, saved.path, login=login)
        assert _left_empty()

    result = backup.restore(None, saved.path, login=backup.Login("管理员", "admin password"))

    assert result.kept is None
    assert [c.name for c in Customer.select()] == ["张三"]
    assert {s.username for s in Staff.select()} == {"admin", "wf"}
    entry = AuditEntry.select().order_by(AuditEntry.seq.desc()).get()
    assert (entry.action, entry.actor_name) == ("restore", "管理员")
    assert backup.check() == []


def test_a_dump_from_a_newer_crmdesk_is_refused_before_anything_changes(
        pg_archive, empty_database, tmp_path):
    database.execute_sql("INSERT INTO schema_migration VALUES (99, 'future', now())")
    newer = tmp_path / "newer.dump"
    subprocess.run([str(postgresql_tools.require_tool("pg_dump")), "--format=custom",
                    f"--file={newer}", f"--dbname={pg_archive}"], check=True)
    empty_database()
    before = archive_digest()

    with pytest.raises(backup.BackupRefused, match="newer crmdesk"):
        backup.restore(None, newer)

    assert archive_digest() == before


def test_check_reports_what_a_careless_hand_at_the_server_breaks(pg_archive):
    _office()
    assert backup.check() == []
    customer_id = Customer.get().id
    database.execute_sql("ALTER TABLE card_reader DISABLE TRIGGER ALL")
    for staff_id in range(1000, 1025):
        database.execute_sql("INSERT INTO card_reader (customer_id, staff_id) VALUES (%s, %s)",
                             (customer_id, staff_id))
    database.execute_sql("SELECT setval(pg_get_serial_sequence('customer', 'id'), 1, false)")
    database.execute_sql("ALTER TABLE communication ADD CONSTRAINT crm_test_positive "
                         "CHECK (id > 0) NOT VALID")
    database.execute_sql("UPDATE audit_entry SET actor_name = 'someone else' WHERE seq = 1")

    problems = backup.check()

    text = "\n".join(problems)
    assert "the foreign keys of card_reader are switched off" in text
    assert text.count("refers to a missing staff") == 20
    assert "card_reader: 5 more rows refer to a missing staff" in text
    assert "customer_id_seq is behind the highest id of customer" in text
    assert "crm_test_positive on communication is not validated" in text
    assert "audit trail entry 1: content changed after it was recorded" in text
    assert len(problems) == 1 + 21 + 1 + 1 + 1


def test_a_backup_with_a_function_restores_into_a_database_that_already_has_it(
        pg_archive, empty_database, tmp_path):
    make = ("CREATE FUNCTION crmdesk_test_answer(text) RETURNS integer LANGUAGE sql "
            "AS 'SELECT 42'")
    database.execute_sql(make)
    saved = backup.back_up_to_file(None, tmp_path / "saved.dump")
    empty_database()
    database.execute_sql(make)  # as setting the new database up would have made it

    backup.restore(None, saved.path)

    assert database.execute_sql("SELECT crmdesk_test_answer('x')").fetchone() == (42,)
    assert backup.check() == []


def test_a_restore_into_a_new_database_destroys_again_what_the_source_archive_destroyed(
        pg_archive, empty_database, tmp_path):
    from crmdesk.services import retention

    admin = _office()
    card = customers.new_card(admin)
    card.values.update(name="李四", mobile="13900139000")
    gone_id = customers.save_card(card, admin, accept_incomplete=True).customer_id
    saved = backup.back_up_to_file(admin, tmp_path / "saved.dump")
    number = retention.destroy(admin, gone_id, "客户要求删除")
    empty_database()

    result = backup.restore(None, saved.path, login=backup.Login("admin", "admin password"))

    assert result.destroyed_again == (number,)
    assert [c.name for c in Customer.select()] == ["张三"]
    again = AuditEntry.get((AuditEntry.action == "destroy") & (AuditEntry.archive_no == number))
    assert "saved.dump" in again.details
    assert backup.check() == []


def test_another_archive_sharing_the_data_folder_keeps_its_own_numbers(
        pg_archive, empty_database, tmp_path):
    from crmdesk.services import destroyed, retention

    admin = _office()
    card = customers.new_card(admin)
    card.values.update(name="李四")
    number = retention.destroy(admin, customers.save_card(
        card, admin, accept_incomplete=True).customer_id, "客户要求删除")
    assert destroyed.registered() == {number}
    empty_database()
    _office()  # another office's archive, numbered from the same start

    assert destroyed.registered() == set()

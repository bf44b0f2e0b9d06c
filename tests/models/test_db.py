"""Opening the archive: safe SQLite settings on every connection, refusals that protect it."""
from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import peewee
import pytest

from crmdesk import i18n
from crmdesk.errors import ArchiveLocationError, ArchiveTooNewError
from crmdesk.models import Communication, Customer, Level
from crmdesk.models.db import close_database, database, is_sqlite, open_database
from crmdesk.models.migrations import LATEST


def _pragmas(run) -> dict[str, object]:
    return {name: run(f"PRAGMA {name}").fetchone()[0]
            for name in ("foreign_keys", "journal_mode", "synchronous", "busy_timeout")}


SAFE = {"foreign_keys": 1, "journal_mode": "wal", "synchronous": 2, "busy_timeout": 5000}


@pytest.mark.sqlite_only
def test_new_archive_connection_is_safe(archive):
    assert is_sqlite()
    assert _pragmas(database.execute_sql) == SAFE


@pytest.mark.sqlite_only
def test_reconnecting_applies_the_same_settings(archive):
    database.close()
    database.connect()
    assert _pragmas(database.execute_sql) == SAFE


@pytest.mark.sqlite_only
def test_connection_of_another_thread_applies_the_same_settings(archive):
    seen: dict[str, object] = {}

    def work() -> None:
        seen.update(_pragmas(database.execute_sql))
        database.close()

    worker = threading.Thread(target=work)
    worker.start()
    worker.join()
    assert seen == SAFE


def test_foreign_keys_are_enforced(archive):
    with pytest.raises(peewee.IntegrityError):
        Communication.create(customer=4242, seq=1, contacted_at="2026-03-02 10:00:00",
                             method="phone", record="无此客户")


@pytest.mark.sqlite_only
def test_archive_file_stays_in_wal_mode_for_other_programs(archive):
    close_database()
    with sqlite3.connect(archive) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_new_archive_starts_with_the_default_level_scheme(archive):
    codes = [lv.code for lv in Level.select().order_by(Level.sort_order)]
    assert codes == ["O", "H", "A", "B", "C", "战败"]
    assert Customer.select().count() == 0


@pytest.mark.parametrize("file_system", ["cifs", "nfs", "nfs4", "smb3", "fuse.sshfs"])
def test_archive_on_a_network_share_is_refused(tmp_path, monkeypatch, file_system):
    i18n.set_language("en")
    monkeypatch.setattr("crmdesk.models.db._mount_type", lambda path: file_system)
    path = tmp_path / "archive.sqlite3"
    with pytest.raises(ArchiveLocationError, match="network share") as refused:
        open_database(path)
    assert str(path) in str(refused.value)
    assert "PostgreSQL" in str(refused.value)
    assert not path.exists()


def test_archive_on_a_local_disk_is_accepted(tmp_path, monkeypatch):
    monkeypatch.setattr("crmdesk.models.db._mount_type", lambda path: "ext4")
    open_database(tmp_path / "archive.sqlite3")
    try:
        assert Level.select().count() == 6
    finally:
        close_database()


def test_archive_on_a_windows_share_path_is_refused(monkeypatch):
    monkeypatch.setattr("crmdesk.models.db._mount_type", lambda path: None)
    with pytest.raises(ArchiveLocationError):
        open_database(Path("//fileserver/crm/archive.sqlite3"))


def test_archive_from_a_newer_crmdesk_is_refused_untouched(tmp_path):
    i18n.set_language("en")
    path = tmp_path / "archive.sqlite3"
    open_database(path)
    database.execute_sql(
        "INSERT INTO schema_migration (version, name, applied_at) VALUES (?, ?, ?)",
        (LATEST + 1, "from the future", "2030-01-01 00:00:00"))
    close_database()
    with sqlite3.connect(path) as raw:
        before = raw.execute("SELECT sql FROM sqlite_master ORDER BY name").fetchall()

    with pytest.raises(ArchiveTooNewError, match="newer crmdesk") as refused:
        open_database(path)
    assert database.is_closed()
    assert str(LATEST + 1) in str(refused.value)
    with sqlite3.connect(path) as raw:
        assert raw.execute("SELECT sql FROM sqlite_master ORDER BY name").fetchall() == before
        versions = {v for (v,) in raw.execute("SELECT version FROM schema_migration")}
    assert LATEST + 1 in versions


def test_archive_is_opened_by_sqlite_url(tmp_path, monkeypatch):
    monkeypatch.delenv("CRMDESK_DATABASE_URL", raising=False)
    path = tmp_path / "by-url.sqlite3"
    open_database(url=f"sqlite:///{path}")
    try:
        assert is_sqlite()
        assert path.exists()
    finally:
        close_database()


def test_opening_needs_a_path_or_a_url(monkeypatch):
    monkeypatch.delenv("CRMDESK_DATABASE_URL", raising=False)
    with pytest.raises(ValueError, match="path or a URL"):
        open_database()

"""Backups made while desks save, verified before rotation; restore and the archive check.

Tests on the SQLite file's own workings (pages, snapshots, the copy kept) run on SQLite only; the
rest run on both backends (tests/services/test_backup_postgresql.py has PostgreSQL's own).
"""
from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from crmdesk import i18n, paths
from crmdesk.models import AuditEntry, Customer
from crmdesk.models.db import close_database, database, open_database
from crmdesk.models.migrations import LATEST, current_version
from crmdesk.services import backup, customers
from crmdesk.services.backup_files import backup_due, regular_backups, rotate, to_keep
from tests.archive_damage import insert_unchecked

SCHEMA_1 = Path(__file__).resolve().parents[1] / "data" / "archive_v1.sql"


def _rows(path: Path, sql: str) -> list[tuple]:
    with contextlib.closing(sqlite3.connect(path.resolve().as_uri() + "?mode=ro",
                                            uri=True)) as conn:
        return conn.execute(sql).fetchall()


def _names(path: Path) -> set[str]:
    return {row[0] for row in _rows(path, "SELECT name FROM customer")}


@pytest.fixture
def data_folder(archive: Path | str, tmp_path: Path) -> Path:
    """The data folder of the test's archive: the SQLite file's, or on PostgreSQL (which has
    no file) the one chosen at start, as ``--data-dir`` does."""
    if isinstance(archive, Path):
        return archive.parent
    return paths.data_dir(tmp_path / "data")


@pytest.fixture
def restore_target(backend, postgresql_server, archive):
    """Call to get ready for a restore: nothing on SQLite (a backup replaces the archive);
    on PostgreSQL, as documented, crmdesk pointed at a new, empty database."""
    opened: list[str] = []

    def prepare() -> None:
        if backend == "postgresql":
            opened.append(postgresql_server.empty_database())
            close_database()
            open_database(url=opened[-1])

    yield prepare
    for url in opened:
        close_database()
        postgresql_server.drop(url)


def corrupt_an_index(archive: Path) -> None:
    """Overwrite the root page of an index on the customer table (the archive still opens)."""
    close_database()
    with contextlib.closing(sqlite3.connect(archive)) as conn:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE type = 'index' AND "
                            "tbl_name = 'customer' ORDER BY rootpage DESC").fetchone()[0]
    with archive.open("r+b") as raw:
        raw.seek((root - 1) * page_size)
        raw.write(b"\xff" * 64)
    open_database(archive)


@pytest.mark.sqlite_only
def test_backup_while_another_desk_saves_is_one_consistent_snapshot(
        archive, manager, salesperson, complete_card, tmp_path):
    saved: list[str] = []
    stop = threading.Event()
    failures: list[BaseException] = []

    def desk() -> None:
        try:
            number = 0
            while not stop.is_set():
                number += 1
                card = complete_card(salesperson, mobile=f"139{number:08d}")
                saved.append(customers.save_card(card, salesperson).archive_no)
        except BaseException as exc:  # reported by the test below
            failures.append(exc)
        finally:
            database.close()

    other = threading.Thread(target=desk)
    other.start()
    try:
        while len(saved) < 3 and other.is_alive():
            time.sleep(0.01)
        results, during = [], 0
        for i in range(5):
            before = len(saved)
            results.append(backup.back_up_to_file(manager, tmp_path / f"copy{i}.sqlite3"))
            during += len(saved) - before
        time.sleep(0.05)
    finally:
        stop.set()
        other.join()
    assert not failures
    counts = []
    for result in results:
        assert _rows(result.path, "PRAGMA integrity_check") == [("ok",)]
        assert _rows(result.path, "PRAGMA foreign_key_check") == []
        assert _rows(result.path, "PRAGMA journal_mode") == [("delete",)]
        numbers = {row[0] for row in _rows(result.path, "SELECT archive_no FROM customer")}
        # Every customer arrives with its audit entry in one transaction: never one without.
        created = _rows(result.path, "SELECT count(*) FROM audit_entry WHERE action = 'create'")
        assert created == [(len(numbers),)]
        assert numbers <= set(saved)
        counts.append(len(numbers))
    assert 0 < counts[0] <= counts[-1] < len(saved)
    assert during > 0, "the other desk saved nothing while the backups ran"


def test_backup_goes_to_the_data_folders_backups_and_is_audited(archive, manager, backend,
                                                               data_folder):
    result = backup.back_up(manager)
    assert result.path.parent == data_folder / "backups"
    assert result.path.name.startswith("crmdesk-")
    assert result.path.suffix == {"sqlite": ".sqlite3", "postgresql": ".dump"}[backend]
    assert regular_backups(data_folder / "backups") == [result.path]
    assert not list(result.path.parent.glob("*.part"))
    entry = AuditEntry.select().where(AuditEntry.action == "backup").get()
    assert str(result.path) in entry.details


def _touch(folder: Path, at: dt.datetime) -> Path:
    path = folder / f"crmdesk-{at:%Y%m%d-%H%M%S}.sqlite3"
    path.write_bytes(b"")
    return path


def test_rotation_keeps_7_daily_4_weekly_12_monthly_and_the_3_newest(tmp_path):
    day = dt.date(2024, 1, 1)
    while day <= dt.date(2025, 3, 31):
        _touch(tmp_path, dt.datetime.combine(day, dt.time(18)))
        day += dt.timedelta(days=1)
    for hour in (9, 12):
        _touch(tmp_path, dt.datetime(2025, 3, 31, hour))
    other = [tmp_path / "crmdesk-before-restore-20240101-120000.sqlite3",
             tmp_path / "monthly-report.sqlite3", tmp_path / "crmdesk-20240101-180000.sqlite3.part"]
    for path in other:
        path.write_bytes(b"")

    removed = rotate(tmp_path)

    kept = sorted(path.name[8:23] for path in regular_backups(tmp_path))
    expected = sorted(
        ["20250331-090000", "20250331-120000", "20250331-180000"]  # the 3 newest
        + [f"202503{d:02d}-180000" for d in range(25, 31)]  # 7 days (with the 31st)
        + ["20250323-180000", "20250316-180000"]  # ISO weeks 12 and 11 (13: the 30th)
        + ["20250228-180000", "20250131-180000", "20241231-180000", "20241130-180000",
           "20241031-180000", "20240930-180000", "20240831-180000", "20240731-180000",
           "20240630-180000", "20240531-180000", "20240430-180000"])  # 12 months
    assert kept == expected
    assert len(removed) == 456 + 2 - len(expected)
    assert all(path.exists() for path in other)


def test_rotation_counts_days_that_have_backups_not_calendar_days():
    every_other_day = [Path(f"crmdesk-202401{d:02d}-180000.sqlite3") for d in range(20, 0, -2)]
    kept_days = {int(path.name[14:16]) for path in to_keep(every_other_day)}
    assert {20, 18, 16, 14, 12, 10, 8} <= kept_days


def test_a_backup_is_due_once_a_day(tmp_path):
    now = dt.datetime(2025, 3, 31, 12)
    assert backup_due(tmp_path, now)
    _touch(tmp_path, now - dt.timedelta(hours=25))
    assert backup_due(tmp_path, now)
    recent = _touch(tmp_path, now - dt.timedelta(hours=23))
    assert not backup_due(tmp_path, now)
    recent.unlink()
    _touch(tmp_path, now + dt.timedelta(days=2))  # the clock was put back
    assert backup_due(tmp_path, now)


def test_a_daily_backup_is_made_only_when_due(archive, manager, data_folder):
    now = dt.datetime(2025, 3, 31, 12)
    assert backup.back_up_if_due(manager, now=now) is not None
    assert backup.back_up_if_due(manager, now=now + dt.timedelta(hours=5)) is None
    assert backup.back_up_if_due(manager, now=now + dt.timedelta(hours=25)) is not None


@pytest.mark.sqlite_only
def test_a_backup_failing_verification_is_dropped_and_no_older_one_is_deleted(
        archive, manager, add_customer):
    add_customer()
    start = dt.datetime(2024, 1, 1, 18)
    for days in range(0, 400, 10):
        backup.back_up(manager, now=start + dt.timedelta(days=days))
    before = regular_backups(archive.parent / "backups")
    corrupt_an_index(archive)

    with pytest.raises(backup.BackupRefused) as refused:
        backup.back_up(manager, now=start + dt.timedelta(days=500))

    assert refused.value.problems
    assert regular_backups(archive.parent / "backups") == before
    assert not list((archive.parent / "backups").glob("*.part"))


def test_a_restored_backup_brings_the_customers_back_and_takes_new_saves(
        archive, manager, add_customer, data_folder, restore_target):
    add_customer(name="张三")
    saved = backup.back_up(manager)
    add_customer(name="李四", mobile="13900001111")
    restore_target()

    result = backup.restore(manager, saved.path)

    assert result.schema == LATEST
    assert [c.name for c in Customer.select()] == ["张三"]
    assert AuditEntry.select().order_by(AuditEntry.seq.desc()).get().action == "restore"
    assert backup.check() == []
    add_customer(name="王五", mobile="13900002222")  # the restored archive takes saves
    assert {c.name for c in Customer.select()} == {"张三", "王五"}
    assert backup.check() == []


@pytest.mark.sqlite_only
def test_restore_brings_back_the_backup_and_keeps_the_current_archive(
        archive, manager, add_customer):
    add_customer(name="张三")
    saved = backup.back_up(manager)
    add_customer(name="李四", mobile="13900001111")

    result = backup.restore(manager, saved.path)

    assert [c.name for c in Customer.select()] == ["张三"]
    assert _names(result.kept) == {"张三", "李四"}
    assert result.kept.parent == archive.parent / "backups"
    assert backup.inspect_file(result.kept)[1] == []
    assert AuditEntry.select().order_by(AuditEntry.seq.desc()).get().action == "restore"
    assert backup.check() == []
    add_customer(name="王五", mobile="13900002222")  # the reopened archive takes saves
    close_database()
    open_database(archive)
    assert {c.name for c in Customer.select()} == {"张三", "王五"}


@pytest.mark.sqlite_only
def test_restoring_over_a_damaged_archive_repairs_it_and_keeps_the_damaged_one(
        archive, manager, add_customer):
    add_customer(name="张三")
    saved = backup.back_up(manager)
    corrupt_an_index(archive)
    assert backup.check()

    result = backup.restore(manager, saved.path)

    assert backup.check() == []
    assert [c.name for c in Customer.select()] == ["张三"]
    assert backup.inspect_file(result.kept)[1]  # kept as it was found, damage and all


@pytest.mark.sqlite_only
def test_restoring_a_backup_from_an_older_crmdesk_brings_it_up_to_date(archive, manager,
                                                                        tmp_path):
    older = tmp_path / "schema-1.sqlite3"
    with contextlib.closing(sqlite3.connect(older)) as raw:
        raw.executescript(SCHEMA_1.read_text(encoding="utf-8"))

    result = backup.restore(manager, older)

    assert result.schema == 1
    assert current_version(database.obj) == LATEST
    assert Customer.select().count() == 5
    assert backup.check() == []


def _refused_and_unchanged(data_folder: Path, manager, path: Path, reason: str) -> None:
    i18n.set_language("en")
    names = {c.name for c in Customer.select()}
    with pytest.raises(backup.BackupRefused, match=reason):
        backup.restore(manager, path)
    assert {c.name for c in Customer.select()} == names
    assert not list((data_folder / "backups").glob("crmdesk-before-restore-*"))


def test_restore_refuses_a_file_that_is_not_a_backup(archive, manager, add_customer, backend,
                                                     data_folder, tmp_path):
    add_customer()
    text = tmp_path / "notes.backup"
    text.write_text("not a database", encoding="utf-8")
    reason = {"sqlite": "not a readable SQLite archive",
              "postgresql": "not a PostgreSQL backup"}[backend]
    _refused_and_unchanged(data_folder, manager, text, reason)
    _refused_and_unchanged(data_folder, manager, tmp_path / "missing.backup", "does not exist")


@pytest.mark.sqlite_only
def test_restore_refuses_a_sqlite_file_that_is_not_an_archive(archive, manager, add_customer,
                                                              tmp_path):
    add_customer()
    other = tmp_path / "other.sqlite3"
    with contextlib.closing(sqlite3.connect(other)) as conn:
        conn.execute("CREATE TABLE things (x)")
    _refused_and_unchanged(archive.parent, manager, other, "crmdesk")


@pytest.mark.sqlite_only
def test_restore_refuses_a_damaged_or_newer_backup(archive, manager, add_customer, tmp_path):
    add_customer()
    damaged = backup.back_up_to_file(manager, tmp_path / "damaged.sqlite3").path
    with contextlib.closing(sqlite3.connect(damaged)) as conn:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        root = conn.execute("SELECT max(rootpage) FROM sqlite_master WHERE "
                            "tbl_name = 'customer'").fetchone()[0]
    with damaged.open("r+b") as raw:
        raw.seek((root - 1) * page_size)
        raw.write(b"\xff" * 64)
    _refused_and_unchanged(archive.parent, manager, damaged, "damaged")

    newer = backup.back_up_to_file(manager, tmp_path / "newer.sqlite3").path
    with contextlib.closing(sqlite3.connect(newer)) as conn, conn:
        conn.execute("INSERT INTO schema_migration VALUES (99, 'future', '2030-01-01')")
    _refused_and_unchanged(archive.parent, manager, newer, "99")


@pytest.mark.sqlite_only
def test_check_reports_a_damaged_page(archive, add_customer):
    add_customer()
    assert backup.check() == []
    corrupt_an_index(archive)
    assert backup.check()


def test_check_reports_a_broken_link(archive, add_customer):
    customer_id = add_customer()
    assert backup.check() == []
    insert_unchecked(archive, "card_reader", {"customer_id": customer_id, "staff_id": 999})
    problems = backup.check()
    assert len(problems) == 1
    assert "card_reader" in problems[0]

"""The encrypted archive: nothing readable in its file, its write-ahead log or its backups; each
account unlocks it with its own password, the recovery key when all are lost; plain archives
convert without losing a row.

Archives here are made as a first start makes them (``archive_keys.prepare_new_archive`` then
``open_database``), not by the suite's ``archive`` fixture, which makes plain ones.
"""
from __future__ import annotations

import contextlib
import sqlite3
import time
from pathlib import Path

import pytest
from argon2 import profiles

from crmdesk import i18n
from crmdesk.errors import ArchiveLockedError
from crmdesk.models import Staff
from crmdesk.models.cipher import forget_key, is_encrypted_file, key_for
from crmdesk.models.db import close_database, database, open_database
from crmdesk.services import (
    accounts,
    archive_keys,
    backup,
    customers,
    encryption,
    key_slots,
    recovery_login,
)
from crmdesk.services.backup_files import regular_backups, rotate
from crmdesk.services.context import Actor
from crmdesk.services.restore_login import Login

pytestmark = pytest.mark.sqlite_only
SCHEMA_1 = Path(__file__).resolve().parents[1] / "data" / "archive_v1.sql"
ADMIN_PASSWORD = "admin-secret-1"
SALES_PASSWORD = "sales-secret-1"
SECRETS = ("张三丰", "13698765432", "幸福路88号")


@pytest.fixture
def encrypted(tmp_path: Path):
    """A new encrypted archive with an administrator and a salesperson; yields (path, admin,
    recovery key)."""
    path = tmp_path / "data" / "archive.sqlite3"
    path.parent.mkdir()
    assert archive_keys.prepare_new_archive(path)
    open_database(path)
    admin = accounts.create_first_admin("管理员", "admin", ADMIN_PASSWORD)
    recovery_key = archive_keys.take_recovery_key()
    accounts.add_account(admin, "王强", "wq", ("sales",), SALES_PASSWORD)
    yield path, admin, recovery_key
    close_database()


def _locked(path: Path) -> None:
    """Close the archive and forget its key, as a new run of crmdesk starts."""
    close_database()
    forget_key(path)


def _add_customer(seller: Actor) -> None:
    card = customers.new_card(seller)
    card.values.update(name=SECRETS[0], mobile=SECRETS[1], address=SECRETS[2])
    customers.save_card(card, seller, accept_incomplete=True)


def _seller() -> Actor:
    return Actor.of(Staff.get(Staff.username == "wq"))


def _holds_secret(path: Path) -> bool:
    data = path.read_bytes()
    return any(s.encode("utf-8") in data or s.encode("utf-16-le") in data for s in SECRETS)


def test_no_name_mobile_or_address_in_the_file_its_log_or_a_backup(encrypted, tmp_path):
    path, admin, _recovery = encrypted
    _add_customer(_seller())
    wal = path.with_name(path.name + "-wal")
    assert wal.exists() and wal.stat().st_size > 0
    made = backup.back_up_to_file(admin, tmp_path / "usb" / "copy.sqlite3").path
    files = [path, wal, made, key_slots.path_for(made), key_slots.path_for(path)]
    assert [f for f in files if _holds_secret(f)] == []
    assert is_encrypted_file(path) and is_encrypted_file(made)
    # The test's own probe finds the same words in a plain archive: it is not blind.
    assert any(_holds_secret(f) for f in (encryption_plain_copy(path, tmp_path),))


def encryption_plain_copy(path: Path, tmp_path: Path) -> Path:
    """The open archive's rows written to a plain file, to show the probe would see them."""
    plain = tmp_path / "plain.sqlite3"
    with contextlib.closing(sqlite3.connect(plain)) as conn:
        conn.execute("CREATE TABLE t (v TEXT)")
        for (name, mobile, address) in database.execute_sql(
                "SELECT name, mobile, address FROM customer").fetchall():
            conn.execute("INSERT INTO t VALUES (?)", (f"{name}{mobile}{address}",))
        conn.commit()
    return plain


def test_files_are_readable_by_their_owner_only(encrypted, tmp_path):
    path, admin, _recovery = encrypted
    _add_customer(_seller())
    made = backup.back_up(admin).path
    for file in (path, path.with_name(path.name + "-wal"), key_slots.path_for(path), made,
                 key_slots.path_for(made)):
        assert file.stat().st_mode & 0o077 == 0, file


def test_the_file_does_not_open_without_a_key(encrypted):
    path, _admin, _recovery = encrypted
    _locked(path)
    with pytest.raises(ArchiveLockedError):
        open_database(path)
    with contextlib.closing(sqlite3.connect(path)) as conn, \
            pytest.raises(sqlite3.DatabaseError, match="not a database"):
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()


def test_every_account_unlocks_with_its_own_password_and_not_with_a_wrong_one(encrypted):
    path, _admin, _recovery = encrypted
    for username, password in (("admin", ADMIN_PASSWORD), ("wq", SALES_PASSWORD)):
        _locked(path)
        for wrong in (("wq" if username == "admin" else "admin", password),
                      (username, password + "x"), ("nobody", password)):
            with pytest.raises(ArchiveLockedError):
                archive_keys.unlock(path, *wrong)
        archive_keys.unlock(path, username, password)
        open_database(path)
        assert accounts.log_in(username, password).name


def test_the_recovery_key_opens_it_and_resets_an_administrators_password(encrypted):
    path, _admin, recovery_key = encrypted
    assert recovery_key and len(recovery_key.replace("-", "")) == 32
    _locked(path)
    wrong = ("B" if recovery_key[0] == "A" else "A") + recovery_key[1:]
    with pytest.raises(ArchiveLockedError):
        archive_keys.unlock_with_recovery_key(path, wrong)
    archive_keys.unlock_with_recovery_key(path, recovery_key.lower().replace("-", " "))
    open_database(path)
    recovery_login.reset_admin_password(recovery_key, "admin", "a-new-password")
    _locked(path)
    archive_keys.unlock(path, "admin", "a-new-password")
    open_database(path)
    assert accounts.log_in("admin", "a-new-password").name == "管理员"


def test_a_password_change_keeps_the_other_accounts_working(encrypted):
    path, _admin, recovery_key = encrypted
    seller = _seller()
    accounts.change_own_password(seller, SALES_PASSWORD, "sales-secret-2")
    for username, password in (("admin", ADMIN_PASSWORD), ("wq", "sales-secret-2")):
        _locked(path)
        archive_keys.unlock(path, username, password)
        open_database(path)
    _locked(path)
    with pytest.raises(ArchiveLockedError):
        archive_keys.unlock(path, "wq", SALES_PASSWORD)
    archive_keys.unlock_with_recovery_key(path, recovery_key)


def test_an_administrators_reset_and_deactivation_rewrite_the_slots(encrypted):
    path, admin, _recovery = encrypted
    seller = _seller()
    accounts.set_password(admin, seller.staff_id, "reset-by-admin")
    _locked(path)
    archive_keys.unlock(path, "wq", "reset-by-admin")
    open_database(path)
    accounts.deactivate(admin, seller.staff_id)
    _locked(path)
    with pytest.raises(ArchiveLockedError):
        archive_keys.unlock(path, "wq", "reset-by-admin")


def test_set_up_needs_no_password_until_the_first_one_is_set(tmp_path):
    path = tmp_path / "archive.sqlite3"
    archive_keys.prepare_new_archive(path)
    open_database(path)
    assert key_slots.read(path).setup is not None
    _locked(path)
    assert not archive_keys.needs_unlocking(path)  # the set-up slot opens it
    open_database(path)
    accounts.create_first_admin("管理员", "admin", ADMIN_PASSWORD)
    assert archive_keys.take_recovery_key() is not None
    assert archive_keys.take_recovery_key() is None  # shown once
    slots = key_slots.read(path)
    assert slots.setup is None and set(slots.accounts) == {"admin"}
    _locked(path)
    assert archive_keys.needs_unlocking(path)


def test_encrypted_backups_carry_their_key_file_and_check_opens_them(encrypted):
    path, admin, _recovery = encrypted
    _add_customer(_seller())
    made = backup.back_up(admin).path
    assert key_slots.path_for(made).is_file()
    assert backup.inspect_file(made, key_for(path))[1] == []
    assert backup.inspect_file(made, bytes(32))[1] != []  # a wrong key does not read it
    assert backup.check() == []


def test_rotation_removes_a_backup_together_with_its_key_file(tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    names = [f"crmdesk-2026010{day}-100000.sqlite3" for day in range(1, 10)] + [
        f"crmdesk-2025{month:02d}01-100000.sqlite3" for month in range(1, 13)]
    for name in names:
        (folder / name).write_bytes(b"x")
        key_slots.path_for(folder / name).write_text("{}")
    removed = rotate(folder)
    assert removed
    for path in removed:
        assert not key_slots.path_for(path).exists()
    for path in regular_backups(folder):
        assert key_slots.path_for(path).exists()


def test_a_restore_needs_a_password_valid_in_the_backup(encrypted, tmp_path):
    path, admin, _recovery = encrypted
    _add_customer(_seller())
    made = backup.back_up_to_file(admin, tmp_path / "usb" / "then.sqlite3").path
    accounts.change_own_password(admin, ADMIN_PASSWORD, "admin-secret-2")
    accounts.add_account(admin, "李娜", "lina", ("sales",), "lina-secret-1")
    i18n.set_language("en")
    with pytest.raises(backup.BackupError, match="encrypted"):
        backup.restore(admin, made)
    with pytest.raises(backup.BackupError):
        backup.restore(admin, made, login=Login("admin", "admin-secret-2"))
    result = backup.restore(admin, made, login=Login("admin", ADMIN_PASSWORD))
    assert Staff.get_or_none(Staff.username == "lina") is None
    assert result.waiting == ()
    assert key_slots.path_for(result.kept).is_file()
    # Passwords as the backup knows them open the restored archive; the later ones do not.
    for username, password in (("admin", ADMIN_PASSWORD), ("wq", SALES_PASSWORD)):
        _locked(path)
        archive_keys.unlock(path, username, password)
        open_database(path)
        accounts.log_in(username, password)
    _locked(path)
    with pytest.raises(ArchiveLockedError):
        archive_keys.unlock(path, "lina", "lina-secret-1")


def test_restoring_a_plain_backup_encrypts_it(encrypted, tmp_path):
    path, admin, _recovery = encrypted
    close_database()
    older = tmp_path / "older" / "archive.sqlite3"
    older.parent.mkdir()
    open_database(older)  # a plain archive, as crmdesk made them before
    admin_id = Staff.create(name="管理员", username="admin", roles="admin,manager").id
    accounts.set_password(None, admin_id, "plain-admin-1")
    accounts.add_account(Actor.of(Staff.get_by_id(admin_id)), "王强", "wq", ("sales",),
                         SALES_PASSWORD)
    _add_customer(_seller())
    close_database()
    open_database(path)

    result = backup.restore(admin, older, login=Login("admin", "plain-admin-1"))

    assert is_encrypted_file(path) and not _holds_secret(path)
    assert [row[0] for row in database.execute_sql("SELECT name FROM customer")] == [SECRETS[0]]
    assert backup.check() == []
    assert result.waiting == ("wq",)  # their password differs from the archive's hash
    _locked(path)
    archive_keys.unlock(path, "admin", "plain-admin-1")
    open_database(path)


def _every_row(conn) -> dict[str, list[tuple]]:
    tables = [name for (name,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name")]
    return {name: sorted(map(repr, conn.execute(f'SELECT * FROM "{name}"').fetchall()))
            for name in tables}


def _without(tables: dict[str, list], names: set[str]) -> dict[str, list]:
    return {name: rows for name, rows in tables.items() if name not in names}


@pytest.mark.parametrize("made_by", ["this version", "schema 1"])
def test_a_plain_archive_converts_without_losing_a_row(tmp_path, made_by):
    path = tmp_path / "archive.sqlite3"
    if made_by == "schema 1":
        with contextlib.closing(sqlite3.connect(path)) as raw:
            raw.executescript(SCHEMA_1.read_text(encoding="utf-8"))
    open_database(path)
    admin_id = Staff.create(name="管理员", username="admin", roles="admin,manager").id
    admin = Actor.of(Staff.get_by_id(admin_id))
    accounts.set_password(None, admin_id, ADMIN_PASSWORD)
    accounts.add_account(admin, "王强", "wq", ("sales",), SALES_PASSWORD)
    _add_customer(_seller())
    close_database()
    with contextlib.closing(sqlite3.connect(path)) as conn:
        before = _every_row(conn)
    open_database(path)

    with pytest.raises(encryption.EncryptionError):
        encryption.encrypt_archive(admin, "wrong-password")
    result = encryption.encrypt_archive(admin, ADMIN_PASSWORD)

    assert is_encrypted_file(path) and not _holds_secret(path)
    assert not is_encrypted_file(result.kept) and _holds_secret(result.kept)
    assert result.recovery_key and result.waiting == ("wq",)
    with contextlib.closing(sqlite3.connect(result.kept)) as conn:
        kept = _every_row(conn)
    after = {name: sorted(map(repr, database.execute_sql(f'SELECT * FROM "{name}"').fetchall()))
             for name in kept}
    # Every row of every table is there; the conversion adds its own audit entry, and the
    # password typed again for it its login (also in the kept copy, made after it).
    audit_tables = {"audit_entry", "counter"}
    assert _without(after, audit_tables) == _without(kept, audit_tables)
    assert set(kept["audit_entry"]) < set(after["audit_entry"])
    assert len(after["audit_entry"]) == len(kept["audit_entry"]) + 1
    assert _without(kept, audit_tables | {"staff"}) == _without(before, audit_tables | {"staff"})
    # The salesperson gets a slot at their first login on the open archive.
    accounts.log_in("wq", SALES_PASSWORD)
    _locked(path)
    archive_keys.unlock(path, "wq", SALES_PASSWORD)
    open_database(path)
    _locked(path)
    archive_keys.unlock_with_recovery_key(path, result.recovery_key)
    open_database(path)


def test_unwrapping_at_the_shipped_cost_stays_under_three_tenths_of_a_second(monkeypatch):
    shipped = profiles.RFC_9106_LOW_MEMORY
    monkeypatch.setattr(key_slots, "KDF_COST", {"time_cost": shipped.time_cost,
                                                "memory_cost": shipped.memory_cost,
                                                "parallelism": shipped.parallelism})
    key = bytes(range(32))
    slot = key_slots.seal_for_account(key, "admin", ADMIN_PASSWORD)
    assert slot["memory_cost"] == 64 * 1024 and slot["time_cost"] == 3
    # The work itself (processor time of all its threads): other programs sharing the
    # processor slow the clock on the wall, not this.
    started = time.process_time()
    assert key_slots.open_account_slot(slot, "admin", ADMIN_PASSWORD) == key
    assert time.process_time() - started < 0.3

"""The encrypted archive from the command line: a first start makes one, every command unlocks
it with --user's password (CRMDESK_PASSWORD), backups and restores keep it encrypted, a plain
archive converts with ``crmdesk encrypt``, and the recovery key gives a lost password back."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from crmdesk import paths
from crmdesk.models.cipher import forget_key, is_encrypted_file
from crmdesk.models.db import close_database, open_database
from crmdesk.services import accounts
from crmdesk.services.key_slots import path_for

pytestmark = pytest.mark.sqlite_only
ADMIN = "admin-secret-1"
SALES = "sales-secret-1"
RECOVERY = re.compile(r"\b([A-Z2-7]{4}(?:-[A-Z2-7]{4}){7})\b")


@pytest.fixture
def as_user(crmdesk, data_dir, monkeypatch):
    """Run crmdesk as a user with a password, as a new run of the program (no key in memory)."""

    def run(user: str | None, password: str | None, *args: str, new_password: str | None = None):
        for name, value in (("CRMDESK_PASSWORD", password),
                            ("CRMDESK_NEW_PASSWORD", new_password)):
            if value is None:
                monkeypatch.delenv(name, raising=False)
            else:
                monkeypatch.setenv(name, value)
        forget_key(paths.archive_path(data_dir))
        return crmdesk("--lang", "en", *(["--user", user] if user else []), *args)

    return run


def _first_start(as_user) -> str:
    made = as_user(None, None, "staff", "first-admin", "管理员", "--username", "admin",
                   new_password=ADMIN)
    assert made.code == 0, made.err
    return RECOVERY.search(made.out).group(1)


def test_first_start_staff_a_command_as_them_backup_and_restore(as_user, data_dir, tmp_path,
                                                                monkeypatch):
    recovery_key = _first_start(as_user)
    archive = paths.archive_path(data_dir)
    assert is_encrypted_file(archive)
    added = as_user("admin", ADMIN, "staff", "add", "王强", "--username", "wq", "--roles",
                    "sales", "--with-password", new_password=SALES)
    assert added.code == 0, added.err
    registered = as_user("admin", ADMIN, "visit", "add", "--name", "张三丰", "--phone",
                         "13912345678", "--purpose", "看车", "--salesperson", "wq")
    assert registered.code == 0, registered.err
    assert as_user("wq", SALES, "customers", "--json").code == 0
    assert b"13912345678" not in archive.read_bytes()
    refused = as_user("wq", "not-the-password", "staff", "list")
    assert refused.code == 1 and "stays locked" in refused.err

    saved = tmp_path / "usb" / "saved.sqlite3"
    assert as_user("admin", ADMIN, "backup", "-o", str(saved)).code == 0
    assert is_encrypted_file(saved) and path_for(saved).is_file()
    assert as_user("admin", ADMIN, "staff", "password", "admin", new_password="admin-secret-2"
                   ).code == 0
    assert as_user("admin", ADMIN, "check").code == 1  # the old password no longer unlocks

    wrong = as_user("admin", "admin-secret-2", "restore", str(saved))
    assert wrong.code == 1 and "valid when it was made" in wrong.err
    monkeypatch.setenv("CRMDESK_BACKUP_PASSWORD", ADMIN)  # the password the backup knows
    restored = as_user("admin", "admin-secret-2", "restore", str(saved))
    assert restored.code == 0, restored.err
    monkeypatch.delenv("CRMDESK_BACKUP_PASSWORD")
    # The archive is as the backup was: its passwords open it, the later one does not.
    assert as_user("admin", "admin-secret-2", "check").code == 1
    assert as_user("admin", ADMIN, "check").code == 0
    assert as_user("wq", SALES, "staff", "list").code == 0
    monkeypatch.setenv("CRMDESK_RECOVERY_KEY", recovery_key)
    assert as_user(None, None, "recover", "admin", new_password="admin-secret-3").code == 0


def test_encrypt_converts_a_plain_archive_and_names_who_waits(as_user, data_dir):
    data_dir.mkdir()
    archive = paths.archive_path(data_dir)
    open_database(archive)  # a plain archive, as crmdesk made them before
    admin = accounts.create_first_admin("管理员", "admin", ADMIN)
    accounts.add_account(admin, "王强", "wq", ("sales",), SALES)
    close_database()

    done = as_user("admin", ADMIN, "encrypt")

    assert done.code == 0, done.err
    assert is_encrypted_file(archive)
    kept = re.search(r"kept in (\S+): keep", done.out).group(1)
    assert Path(kept).is_file() and not is_encrypted_file(Path(kept))
    assert RECOVERY.search(done.out) and "wq" in done.out
    assert as_user("admin", ADMIN, "staff", "list").code == 0
    assert as_user("wq", SALES, "staff", "list").code == 1  # no slot until a login on an open one


def test_the_recovery_key_gives_an_administrator_a_new_password(as_user, monkeypatch):
    recovery_key = _first_start(as_user)
    monkeypatch.setenv("CRMDESK_RECOVERY_KEY", recovery_key.lower())
    reset = as_user(None, None, "recover", "admin", new_password="admin-secret-9")
    assert reset.code == 0, reset.err
    monkeypatch.delenv("CRMDESK_RECOVERY_KEY")
    assert as_user("admin", "admin-secret-9", "staff", "list").code == 0
    monkeypatch.setenv("CRMDESK_RECOVERY_KEY", "AAAA-" * 7 + "AAAA")
    refused = as_user(None, None, "recover", "admin", new_password="admin-secret-8")
    assert refused.code == 1 and "recovery key" in refused.err


def test_a_damaged_encrypted_archive_is_checked_and_restored(as_user, data_dir, tmp_path):
    _first_start(as_user)
    archive = paths.archive_path(data_dir)
    saved = tmp_path / "saved.sqlite3"
    assert as_user("admin", ADMIN, "backup", "-o", str(saved)).code == 0
    with archive.open("r+b") as raw:
        raw.seek(4096)
        raw.write(b"\0" * 8192)  # pages of the schema overwritten

    assert as_user("admin", ADMIN, "check").code == 1
    restored = as_user("admin", ADMIN, "restore", str(saved))

    assert restored.code == 0, restored.err
    assert "damaged archive is kept" in restored.out
    assert is_encrypted_file(archive) and path_for(archive).is_file()
    assert as_user("admin", ADMIN, "check").code == 0


def test_a_first_password_set_by_any_command_shows_the_recovery_key(as_user):
    loaded = as_user(None, None, "demo", "--customers", "5", "--password", "demo-secret-1")
    assert loaded.code == 0, loaded.err
    assert RECOVERY.search(loaded.err)
    assert as_user("manager", "demo-secret-1", "customers", "--json").code == 0

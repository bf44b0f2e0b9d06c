"""A damaged or missing archive file: check and restore work without opening it, and a data
folder that has had an archive never silently gets a new, empty one."""
from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from crmdesk import paths
from crmdesk.cli import main
from crmdesk.models import Customer, Staff
from crmdesk.models.db import close_database, open_database
from crmdesk.services import accounts, customers

pytestmark = pytest.mark.sqlite_only  # about the archive file itself
PASSWORD = "boss-pass-1"


@pytest.fixture
def folder(tmp_path, monkeypatch) -> Iterator[Path]:
    """A data folder with an archive (an administrator, two customers) and a backup of it."""
    for variable in ("CRMDESK_USER", "CRMDESK_PASSWORD", "CRMDESK_DATABASE_URL"):
        monkeypatch.delenv(variable, raising=False)
    data = tmp_path / "data"
    data.mkdir()
    open_database(paths.archive_path(data))
    boss = accounts.create_first_admin("赵经理", "boss", PASSWORD)
    accounts.add_account(boss, "王强", "wq", ("sales",), "sales-pass-1")
    for name in ("张三", "李四"):
        card = customers.new_card(boss)
        card.values.update(name=name)
        customers.save_card(card, boss, accept_incomplete=True)
    close_database()
    monkeypatch.setenv("CRMDESK_PASSWORD", PASSWORD)
    assert crmdesk(data, "--user", "boss", "backup", "-o", str(tmp_path / "saved.sqlite3")) == 0
    yield data
    close_database()


def crmdesk(data: Path, *args: str) -> int:
    code = main(["--data-dir", str(data), "--lang", "en", *args])
    close_database()
    return code


def _cut_in_half(path: Path) -> None:
    os.truncate(path, path.stat().st_size // 2)


def _zero_first_page(path: Path) -> None:
    with path.open("r+b") as raw:
        raw.write(b"\0" * 4096)


@pytest.mark.parametrize("damage", [_cut_in_half, _zero_first_page])
def test_check_reports_a_damaged_file_and_restore_puts_the_backup_back(folder, tmp_path, capsys,
                                                                       damage):
    archive = paths.archive_path(folder)
    damage(archive)
    assert crmdesk(folder, "--user", "boss", "customers") == 1
    refused = capsys.readouterr().err
    assert "run crmdesk check, or restore a backup" in refused
    assert crmdesk(folder, "check") == 1
    assert "The archive has problems" in capsys.readouterr().out

    code = crmdesk(folder, "--user", "boss", "restore", str(tmp_path / "saved.sqlite3"))
    out = capsys.readouterr().out
    assert code == 0, out
    assert "damaged archive is kept in" in out
    assert list((folder / "backups").glob("crmdesk-damaged-*.sqlite3"))
    assert crmdesk(folder, "--user", "boss", "check") == 0
    open_database(archive)
    assert Customer.select().count() == 2


def test_restore_over_a_damaged_file_checks_the_password_of_the_backups_account(
        folder, tmp_path, capsys, monkeypatch):
    archive = paths.archive_path(folder)
    _cut_in_half(archive)
    damaged = archive.read_bytes()
    monkeypatch.setenv("CRMDESK_PASSWORD", "wrong password")
    assert crmdesk(folder, "--user", "boss", "restore", str(tmp_path / "saved.sqlite3")) == 1
    assert "Not restored" in capsys.readouterr().err
    assert archive.read_bytes() == damaged
    assert not list(folder.glob("*.restoring"))


def test_a_missing_archive_is_not_replaced_by_an_empty_one(folder, tmp_path, capsys):
    archive = paths.archive_path(folder)
    archive.unlink()
    assert crmdesk(folder, "--user", "boss", "customers") == 1
    err = capsys.readouterr().err
    assert "There is no archive in" in err and "crmdesk restore FILE" in err
    assert not archive.exists()
    assert crmdesk(folder, "--user", "boss", "restore", str(tmp_path / "saved.sqlite3")) == 0
    open_database(archive)
    assert Customer.select().count() == 2
    assert Staff.select().count() == 2


def test_a_new_data_folder_still_gets_a_new_archive(tmp_path):
    fresh = tmp_path / "new-office"
    assert crmdesk(fresh, "staff", "list") == 0
    assert paths.archive_path(fresh).exists()


def test_a_salesperson_of_the_backup_may_not_restore_it(folder, tmp_path, capsys,
                                                         monkeypatch):
    archive = paths.archive_path(folder)
    _cut_in_half(archive)
    monkeypatch.setenv("CRMDESK_PASSWORD", "sales-pass-1")
    assert crmdesk(folder, "--user", "wq", "restore", str(tmp_path / "saved.sqlite3")) == 1
    assert "administrator or manager" in capsys.readouterr().err
    assert crmdesk(folder, "check") == 1


def test_passwords_wiped_outside_crmdesk_lock_the_archive_and_restore_brings_them_back(
        folder, tmp_path, capsys):
    archive = paths.archive_path(folder)
    with sqlite3.connect(archive) as raw:
        raw.execute("UPDATE staff SET password_hash = NULL")
    raw.close()
    assert crmdesk(folder, "customers") == 1  # no fall-back to set-up mode, where all is open
    assert crmdesk(folder, "--user", "boss", "customers") == 1
    assert "changed outside crmdesk" in capsys.readouterr().err
    assert crmdesk(folder, "--user", "boss", "restore", str(tmp_path / "saved.sqlite3")) == 0
    capsys.readouterr()
    assert crmdesk(folder, "--user", "boss", "customers", "--json") == 0
    assert "张三" in capsys.readouterr().out


def test_a_file_error_nobody_foresaw_is_one_line(folder, capsys, monkeypatch):
    def full_disk(*_args, **_kwargs):
        raise OSError(28, "No space left on device", "/media/usb/list.xlsx")

    monkeypatch.setattr("crmdesk.services.search.find_ids", full_disk)
    assert crmdesk(folder, "--user", "boss", "customers") == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "/media/usb/list.xlsx" in err and "No space" in err


def test_an_existing_file_is_replaced_only_with_force_and_never_a_device(folder, tmp_path,
                                                                         capsys):
    target = tmp_path / "list.xlsx"
    target.write_bytes(b"someone's own workbook")
    assert crmdesk(folder, "--user", "boss", "export", "customers", str(target)) == 1
    assert "--force" in capsys.readouterr().err
    assert target.read_bytes() == b"someone's own workbook"
    assert crmdesk(folder, "--user", "boss", "export", "customers", str(target), "--force") == 0
    assert target.read_bytes().startswith(b"PK")
    # A link to nowhere stands for anything that is not a plain file (a device, a pipe): were
    # it followed, the write would land in a folder of this test, not on the system.
    dangling = tmp_path / "link.xlsx"
    dangling.symlink_to(tmp_path / "nowhere" / "file.xlsx")
    for command in (["export", "customers", str(dangling), "--force"],
                    ["template", str(dangling), "--force"],
                    ["print", "roster", "-o", str(dangling), "--force"]):
        assert crmdesk(folder, "--user", "boss", *command) == 1, command
        assert "not a plain file" in capsys.readouterr().err


def test_backup_to_a_file_replaces_only_an_earlier_backup(folder, tmp_path, capsys):
    notes = tmp_path / "notes.txt"
    notes.write_text("minutes of the Monday meeting", encoding="utf-8")
    assert crmdesk(folder, "--user", "boss", "backup", "-o", str(notes)) == 1
    assert "not a crmdesk backup" in capsys.readouterr().err
    assert notes.read_text(encoding="utf-8") == "minutes of the Monday meeting"
    earlier = tmp_path / "saved.sqlite3"
    assert crmdesk(folder, "--user", "boss", "backup", "-o", str(earlier)) == 0
    dangling = tmp_path / "link.sqlite3"
    dangling.symlink_to(tmp_path / "nowhere" / "file")
    assert crmdesk(folder, "--user", "boss", "backup", "-o", str(dangling)) == 1
    assert "not a plain file" in capsys.readouterr().err
    assert dangling.is_symlink() and not (tmp_path / "nowhere").exists()

"""``crmdesk backup [-o FILE]``, ``crmdesk restore FILE`` and ``crmdesk check``."""
from __future__ import annotations

from pathlib import Path

import pytest

from crmdesk.cli import main
from crmdesk.models import Customer, Staff
from crmdesk.models.db import close_database, open_database
from crmdesk.services import accounts, customers
from crmdesk.services.backup_files import regular_backups
from crmdesk.services.context import Actor
from tests.archive_damage import insert_unchecked
from tests.backends import location_options


def backups_of(archive: Path | str) -> Path:
    """The backups/ folder of the data folder the command line is pointed at."""
    return Path(location_options(archive)[1]) / "backups"


@pytest.fixture
def desk(archive, monkeypatch) -> Path | str:
    """An archive with a salesperson and a manager; no logins set up yet."""
    for variable in ("CRMDESK_USER", "CRMDESK_PASSWORD", "CRMDESK_DATABASE_URL"):
        monkeypatch.delenv(variable, raising=False)
    Staff.create(name="王强", username="wq", roles="sales")
    Staff.create(name="赵经理", username="boss", roles="manager")
    return archive


def run(archive: Path | str, capsys, *args: str, user: str = "boss") -> tuple[int, str, str]:
    code = main([*location_options(archive), "--lang", "en", "--user", user, *args])
    out, err = capsys.readouterr()
    return code, out, err


def add(name: str, mobile: str) -> None:
    seller = Actor.of(Staff.get(Staff.username == "wq"))
    card = customers.new_card(seller)
    card.values.update(name=name, mobile=mobile)
    customers.save_card(card, seller, accept_incomplete=True)


def test_backup_writes_a_verified_backup_into_the_data_folder(desk, capsys):
    add("张三", "13800138000")
    code, out, err = run(desk, capsys, "backup")
    assert (code, err) == (0, "")
    [made] = regular_backups(backups_of(desk))
    assert str(made) in out
    assert "verified" in out


def test_backup_to_a_named_file_or_a_chosen_folder(desk, capsys, tmp_path):
    target = tmp_path / "usb" / "archive-copy.backup"
    assert run(desk, capsys, "backup", "-o", str(target))[0] == 0
    assert target.is_file()
    assert regular_backups(backups_of(desk)) == []
    folder = tmp_path / "share"
    folder.mkdir()
    assert run(desk, capsys, "backup", "-o", str(folder))[0] == 0
    assert len(regular_backups(folder)) == 1


@pytest.mark.sqlite_only
def test_restore_brings_back_a_backup_and_says_where_the_old_archive_is(desk, capsys,
                                                                        tmp_path):
    add("张三", "13800138000")
    saved = tmp_path / "saved.sqlite3"
    run(desk, capsys, "backup", "-o", str(saved))
    add("李四", "13912345678")

    code, out, _err = run(desk, capsys, "restore", str(saved))

    assert code == 0
    assert [c.name for c in Customer.select()] == ["张三"]
    [kept] = (desk.parent / "backups").glob("crmdesk-before-restore-*.sqlite3")
    assert str(kept) in out


def test_restore_of_a_file_that_is_not_an_archive_fails_and_changes_nothing(desk, capsys,
                                                                          backend, tmp_path):
    add("张三", "13800138000")
    notes = tmp_path / "notes.txt"
    notes.write_text("hello", encoding="utf-8")

    code, _out, err = run(desk, capsys, "restore", str(notes))

    assert code == 1
    assert "notes.txt cannot be restored" in err
    assert {"sqlite": "not a readable SQLite archive",
            "postgresql": "not a PostgreSQL backup"}[backend] in err
    assert [c.name for c in Customer.select()] == ["张三"]


def test_check_exits_0_on_a_sound_archive_and_1_listing_problems(desk, capsys):
    add("张三", "13800138000")
    code, out, _err = run(desk, capsys, "check")
    assert code == 0
    assert "intact" in out
    insert_unchecked(desk, "card_reader", {"customer_id": 424242, "staff_id": 1})

    code, out, _err = run(desk, capsys, "check")

    assert code == 1
    assert "card_reader row 1 refers to a missing customer" in out


def test_only_managers_and_administrators_back_up_and_restore(desk, capsys, monkeypatch,
                                                              tmp_path):
    admin = accounts.create_first_admin("管理员", "admin", "admin password")
    accounts.add_account(admin, "王芳", "wf", ("sales",), "sales password")
    monkeypatch.setenv("CRMDESK_PASSWORD", "sales password")
    code, _out, err = run(desk, capsys, "backup", user="wf")
    assert code == 1
    assert "Only a manager or administrator may do this; you are 王芳" in err
    code, _out, err = run(desk, capsys, "restore", str(tmp_path / "any.sqlite3"), user="wf")
    assert code == 1
    assert "Only a manager or administrator may do this; you are 王芳" in err
    monkeypatch.setenv("CRMDESK_PASSWORD", "admin password")
    assert run(desk, capsys, "backup", user="admin")[0] == 0


@pytest.fixture
def server(pg_server, monkeypatch):
    """The PostgreSQL test server, and the databases a test made on it (dropped afterwards)."""
    postgresql_server = pg_server
    for variable in ("CRMDESK_USER", "CRMDESK_PASSWORD", "CRMDESK_DATABASE_URL"):
        monkeypatch.delenv(variable, raising=False)
    made: list[str] = []
    yield postgresql_server, made
    close_database()
    for url in made:
        postgresql_server.drop(url)


def test_a_postgresql_backup_is_restored_into_an_empty_database_by_its_administrator(
        server, capsys, monkeypatch, tmp_path):
    postgresql, made = server
    office = postgresql.new_archive()
    made.append(office)
    open_database(url=office)
    admin = accounts.create_first_admin("管理员", "admin", "admin password")
    accounts.add_account(admin, "王芳", "wf", ("sales",), "sales password")
    card = customers.new_card(admin)
    card.values.update(name="张三", mobile="13800138000")
    customers.save_card(card, admin, accept_incomplete=True)
    saved = tmp_path / "office.dump"
    monkeypatch.setenv("CRMDESK_PASSWORD", "admin password")
    assert run(office, capsys, "backup", "-o", str(saved), user="admin")[0] == 0
    code, _out, err = run(office, capsys, "restore", str(saved), user="admin")
    assert code == 1
    assert "restored only into an empty database" in err

    fresh = postgresql.empty_database()
    made.append(fresh)
    monkeypatch.setenv("CRMDESK_PASSWORD", "sales password")
    code, _out, err = run(fresh, capsys, "restore", str(saved), user="wf")
    assert code == 1
    assert "Not restored" in err and "Only a manager or administrator" in err
    assert Staff.select().count() == 0
    monkeypatch.setenv("CRMDESK_PASSWORD", "admin password")

    code, out, err = run(fresh, capsys, "restore", str(saved), user="admin")

    assert (code, err) == (0, "")
    assert "into the empty database" in out
    assert [c.name for c in Customer.select()] == ["张三"]
    code, out, _err = run(fresh, capsys, "check", user="admin")
    assert code == 0 and "intact" in out

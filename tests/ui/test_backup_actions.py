"""The window's "Back up now…" and "Restore…", and its automatic backups."""
from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QLabel, QMessageBox

from crmdesk import i18n, paths
from crmdesk.i18n import _
from crmdesk.models import AuditEntry, Customer, Staff
from crmdesk.models.db import close_database, open_database
from crmdesk.services import backup, customers, postgresql_tools
from crmdesk.services.backup_files import regular_backups
from crmdesk.services.context import Actor
from crmdesk.ui import backup_actions
from crmdesk.ui.backup_actions import BackupActions
from crmdesk.ui.main_window import MainWindow


@pytest.fixture(autouse=True)
def desk_settings(tmp_path, monkeypatch) -> QSettings:
    """This computer's settings, kept in the test's own folder."""
    stored = QSettings(str(tmp_path / "desk.ini"), QSettings.Format.IniFormat)
    monkeypatch.setattr(backup_actions, "settings", lambda: stored)
    return stored


@pytest.fixture
def data_folder(archive: Path | str, tmp_path: Path) -> Path:
    """The data folder of the test's archive: the SQLite file's, or on PostgreSQL the one
    chosen at start."""
    if isinstance(archive, Path):
        return archive.parent
    return paths.data_dir(tmp_path / "data")


def actions_of(window: MainWindow) -> BackupActions:
    return window.findChild(BackupActions)


def add(actor, name: str, mobile: str) -> None:
    card = customers.new_card(actor)
    card.values.update(name=name, mobile=mobile)
    customers.save_card(card, actor, accept_incomplete=True)


def test_backup_entries_sit_in_the_archive_menu_above_quit(window):
    entries = window.menu(_("&Archive")).actions()
    names = [action.objectName() for action in entries]
    assert entries[-2].isSeparator()
    assert names.index("backUpNow") < names.index("restoreArchive") < len(names) - 2


def test_a_salesperson_gets_no_backup_entries(qtbot, archive, salesperson, boxes):
    desk = MainWindow(salesperson, str(archive))
    qtbot.addWidget(desk)
    assert desk.findChild(QAction, "backUpNow") is None
    assert desk.findChild(QAction, "restoreArchive") is None
    assert actions_of(desk) is not None  # automatic backups run for everyone
    desk.tasks.wait()


def test_back_up_now_runs_in_the_background_and_remembers_the_folder(
        window, qtbot, boxes, tmp_path, monkeypatch, desk_settings):
    folder = tmp_path / "usb"
    folder.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    release = threading.Event()
    real_write = backup.write_backup

    def slow_write(target: Path) -> backup.BackupResult:
        release.wait(10)
        return real_write(target)

    monkeypatch.setattr(backup, "write_backup", slow_write)

    window.findChild(QAction, "backUpNow").trigger()

    assert regular_backups(folder) == []  # the window is back while the backup still runs
    assert boxes.shown == []
    release.set()
    qtbot.waitUntil(lambda: bool(boxes.shown), timeout=10000)
    [made] = regular_backups(folder)
    assert str(made) in boxes.texts()
    assert desk_settings.value(backup_actions.FOLDER_KEY) == str(folder)


def test_the_daily_backup_is_made_once_a_day_in_the_background(window, qtbot, data_folder):
    actions = actions_of(window)
    actions.back_up_if_due()
    qtbot.waitUntil(lambda: not actions.busy, timeout=10000)
    actions.back_up_if_due()
    qtbot.waitUntil(lambda: not actions.busy, timeout=10000)
    assert len(regular_backups(data_folder / "backups")) == 1


def test_a_backup_is_made_when_the_application_quits(window, data_folder, desk_settings,
                                                      tmp_path):
    desk_settings.setValue(backup_actions.FOLDER_KEY, str(tmp_path / "unplugged-drive"))
    actions_of(window).back_up_on_quit()
    # The chosen drive is not there: the backup goes to the data folder rather than nowhere.
    assert len(regular_backups(data_folder / "backups")) == 1
    entry = AuditEntry.select().where(AuditEntry.action == "backup").get()
    assert '"automatic": true' in entry.details


@pytest.mark.sqlite_only
def test_restore_asks_first_then_brings_back_the_backup_and_reloads_the_list(
        window, qtbot, boxes, manager, monkeypatch, tmp_path):
    add(manager, "张三", "13800138000")
    saved = backup.back_up_to_file(manager, tmp_path / "saved.sqlite3").path
    add(manager, "李四", "13912345678")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(saved), ""))
    restore = window.findChild(QAction, "restoreArchive")

    boxes.answer = QMessageBox.StandardButton.No
    restore.trigger()
    window.tasks.wait()
    assert Customer.select().count() == 2

    boxes.answer = QMessageBox.StandardButton.Yes
    restore.trigger()
    qtbot.waitUntil(lambda: len(boxes.shown) == 3, timeout=10000)
    assert [c.name for c in Customer.select()] == ["张三"]
    qtbot.waitUntil(lambda: window.customers.model.rowCount() == 1, timeout=10000)
    [kept] = (tmp_path / "backups").glob("crmdesk-before-restore-*.sqlite3")
    assert str(kept) in boxes.shown[-1][1]


@pytest.mark.sqlite_only
def test_restore_refuses_a_damaged_file_and_changes_nothing(window, qtbot, boxes, manager,
                                                            monkeypatch, tmp_path):
    add(manager, "张三", "13800138000")
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"SQLite format 3\x00" + b"\x07" * 5000)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(junk), ""))
    boxes.answer = QMessageBox.StandardButton.Yes

    window.findChild(QAction, "restoreArchive").trigger()

    qtbot.waitUntil(lambda: len(boxes.shown) == 2, timeout=10000)
    assert "junk.sqlite3" in boxes.shown[-1][1]
    assert [c.name for c in Customer.select()] == ["张三"]
    assert not list((tmp_path / "backups").glob("crmdesk-before-restore-*"))


@pytest.fixture
def postgresql_window(qtbot, postgresql_server, boxes, tmp_path):
    """Call to open the main window on a new PostgreSQL archive, acting as a manager."""
    if postgresql_server is None:
        pytest.skip("needs a PostgreSQL test server (CRMDESK_TEST_DATABASE_URL)")
    i18n.set_language("en")
    made: list[tuple[str, MainWindow]] = []

    def open_window() -> MainWindow:
        url = postgresql_server.new_archive()
        open_database(url=url)
        paths.data_dir(tmp_path / "data")
        manager = Actor.of(Staff.create(name="赵经理", username="manager", roles="manager,sales"))
        desk = MainWindow(manager, url)
        qtbot.addWidget(desk)
        desk.show()
        made.append((url, desk))
        return desk

    yield open_window
    for url, desk in made:
        desk.tasks.wait()
        close_database()
        postgresql_server.drop(url)


def test_restore_on_postgresql_explains_the_procedure_and_replaces_nothing(
        postgresql_window, boxes, monkeypatch):
    desk = postgresql_window()
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        lambda *a, **k: pytest.fail("no file is chosen on PostgreSQL"))

    desk.findChild(QAction, "restoreArchive").trigger()

    [(_title, text)] = boxes.shown
    assert "empty database" in text
    assert "restore FILE" in text


def test_without_pg_dump_the_window_says_automatic_backups_are_off(
        postgresql_window, boxes, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs-here"))
    monkeypatch.setattr(postgresql_tools, "TOOL_FOLDERS", ())
    monkeypatch.setattr(QFileDialog, "getExistingDirectory",
                        lambda *a, **k: pytest.fail("no folder is asked for without pg_dump"))
    desk = postgresql_window()

    notice = desk.findChild(QLabel, "backupsOff")
    assert notice is not None and notice.isVisible()
    assert "pg_dump was not found" in notice.toolTip()
    assert not actions_of(desk).timer.isActive()
    desk.findChild(QAction, "backUpNow").trigger()
    assert "apt install postgresql-client" in boxes.texts()

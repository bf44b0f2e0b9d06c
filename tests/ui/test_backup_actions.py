"""The window's "Back up now…" and "Restore…", and its automatic backups."""
from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMessageBox

from crmdesk.i18n import _
from crmdesk.models import AuditEntry, Customer
from crmdesk.services import backup, customers
from crmdesk.services.backup_files import regular_backups
from crmdesk.ui import backup_actions
from crmdesk.ui.backup_actions import BackupActions
from crmdesk.ui.main_window import MainWindow


@pytest.fixture(autouse=True)
def desk_settings(tmp_path, monkeypatch) -> QSettings:
    """This computer's settings, kept in the test's own folder."""
    stored = QSettings(str(tmp_path / "desk.ini"), QSettings.Format.IniFormat)
    monkeypatch.setattr(backup_actions, "settings", lambda: stored)
    return stored


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


@pytest.mark.sqlite_only
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


@pytest.mark.sqlite_only
def test_the_daily_backup_is_made_once_a_day_in_the_background(window, qtbot, archive):
    actions = actions_of(window)
    actions.back_up_if_due()
    qtbot.waitUntil(lambda: not actions.busy, timeout=10000)
    actions.back_up_if_due()
    qtbot.waitUntil(lambda: not actions.busy, timeout=10000)
    assert len(regular_backups(archive.parent / "backups")) == 1


@pytest.mark.sqlite_only
def test_a_backup_is_made_when_the_application_quits(window, archive, desk_settings,
                                                      tmp_path):
    desk_settings.setValue(backup_actions.FOLDER_KEY, str(tmp_path / "unplugged-drive"))
    actions_of(window).back_up_on_quit()
    # The chosen drive is not there: the backup goes to the data folder rather than nowhere.
    assert len(regular_backups(archive.parent / "backups")) == 1
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

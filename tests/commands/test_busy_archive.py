"""Another desk holding the archive's write lock is reported as busy, never as damage."""
from __future__ import annotations

import contextlib
import sqlite3
import threading

import pytest

from crmdesk import i18n
from crmdesk.cli import main
from crmdesk.models.connection_events import add_connection_listener, remove_connection_listener
from crmdesk.models.db import close_database
from tests.backends import location_options


@pytest.mark.sqlite_only
def test_a_write_waiting_too_long_for_another_desk_says_busy(archive, capsys, monkeypatch):
    i18n.set_language("en")
    monkeypatch.setattr("crmdesk.models.db.SQLITE_TIMEOUT_S", 0.2)
    monkeypatch.setattr("crmdesk.models.sqlite.BUSY_PATIENCE_S", 1.0)
    close_database()
    with contextlib.closing(sqlite3.connect(archive, isolation_level=None)) as other_desk:
        other_desk.execute("BEGIN IMMEDIATE")
        code = main([*location_options(archive), "--lang", "en", "visit", "add",
                     "--name", "张三", "--phone", "13800138000"])
        other_desk.execute("ROLLBACK")
    err = capsys.readouterr().err
    assert code == 1
    assert "another desk is saving" in err
    assert "restore" not in err and "check" not in err


@pytest.mark.sqlite_only
def test_a_write_waits_its_turn_while_another_desk_saves(archive, capsys, monkeypatch):
    """A lock held longer than SQLite's own timeout is waited out, with the wait announced."""
    monkeypatch.setattr("crmdesk.models.db.SQLITE_TIMEOUT_S", 0.1)
    close_database()
    heard: list[str] = []
    add_connection_listener(heard.append)
    other_desk = sqlite3.connect(archive, isolation_level=None, check_same_thread=False)
    try:
        other_desk.execute("BEGIN IMMEDIATE")
        release = threading.Timer(1.0, other_desk.execute, ["ROLLBACK"])
        release.start()
        code = main([*location_options(archive), "--lang", "en", "staff", "add", "王芳",
                     "--username", "wangfang", "--roles", "sales"])
        release.join()
    finally:
        remove_connection_listener(heard.append)
        other_desk.close()
    assert code == 0, capsys.readouterr().err
    assert heard == ["busy", "free"]

"""What a backup verifies, and what it leaves to the archive check.

A backup is a page copy of the archive: each written copy is read page by page (quick_check),
its links (foreign_key_check) and its schema checked before it replaces anything. Comparing every
index with its table (integrity_check) is the archive's own check, ``crmdesk check``.
"""
from __future__ import annotations

import contextlib
import sqlite3
import threading
from pathlib import Path

import pytest

from crmdesk.output_files import OutputFileError
from crmdesk.services import backup

pytestmark = pytest.mark.sqlite_only


class Statements(list):
    """The statements run on the connections the backup service opens to files, and the
    thread that ran each."""

    def __init__(self) -> None:
        super().__init__()
        self.threads: dict[str, int] = {}

    def run(self, sql: str) -> None:
        self.append(sql)
        self.threads[sql.strip().upper()] = threading.get_ident()


@pytest.fixture
def statements(monkeypatch) -> Statements:
    seen = Statements()
    connect = backup._connect

    def traced(*args, **kwargs):
        conn = connect(*args, **kwargs)
        conn.set_trace_callback(seen.run)
        return conn

    monkeypatch.setattr(backup, "_connect", traced)
    return seen


def _pragmas(seen: list[str], name: str) -> int:
    return sum(1 for sql in seen if sql.strip().upper() == f"PRAGMA {name.upper()}")


def test_a_backup_is_read_page_by_page_and_the_full_check_is_left_to_check(
        archive, manager, add_customer, statements, tmp_path):
    add_customer()
    backup.back_up_to_file(manager, tmp_path / "copy.sqlite3")
    assert _pragmas(statements, "quick_check") == 1
    assert _pragmas(statements, "foreign_key_check") == 1
    assert _pragmas(statements, "integrity_check") == 0
    # The links are checked beside the pages, not after them.
    assert (statements.threads["PRAGMA FOREIGN_KEY_CHECK"]
            != statements.threads["PRAGMA QUICK_CHECK"])

    statements.clear()
    assert backup.check() == []
    assert _pragmas(statements, "integrity_check") == 1


def test_replacing_an_earlier_backup_checks_only_the_new_copy(
        archive, manager, add_customer, statements, tmp_path):
    add_customer()
    target = tmp_path / "copy.sqlite3"
    backup.back_up_to_file(manager, target)
    statements.clear()
    backup.back_up_to_file(manager, target)
    assert _pragmas(statements, "quick_check") == 1


def test_a_file_that_only_looks_like_an_archive_is_not_replaced(archive, manager, tmp_path):
    target = tmp_path / "notes.sqlite3"
    with contextlib.closing(sqlite3.connect(target)) as conn:
        conn.execute("CREATE TABLE note (text TEXT)")
        conn.commit()
    with pytest.raises(OutputFileError):
        backup.back_up_to_file(manager, target)
    assert _tables(target) == {"note"}


def _tables(path: Path) -> set[str]:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}

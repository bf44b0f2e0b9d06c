"""Backups copied from the archive file while desks in other processes save, plain and encrypted.

A backup copies the file's bytes and its write-ahead log under one read transaction
(``services.backup_snapshot``); whatever the desks and the checkpoints do meanwhile, each backup
must open (with the archive's key), pass integrity_check and hold one committed state: every
customer with the audit entry saved in the same transaction.
"""
from __future__ import annotations

import contextlib
import os
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from crmdesk.models import Staff, cipher
from crmdesk.models.db import close_database, database, open_database
from crmdesk.services import archive_keys, backup, backup_snapshot
from crmdesk.services.context import Actor

pytestmark = pytest.mark.sqlite_only
REPO = Path(__file__).resolve().parents[2]
DESK = Path(__file__).with_name("saving_desk.py")
DESKS = 2
BACKUPS = 6
WAIT_S = 60
WAL_HEADER, FRAME_HEADER = 32, 24


@pytest.fixture(params=["plain", "encrypted"])
def archive_file(request, tmp_path: Path) -> Iterator[Path]:
    """A new archive, plain or encrypted, open here, with a manager and a salesperson."""
    path = tmp_path / "data" / "archive.sqlite3"
    path.parent.mkdir()
    if request.param == "encrypted":
        assert archive_keys.prepare_new_archive(path)
    open_database(path)
    Staff.create(name="赵经理", username="manager", roles="manager,sales")
    Staff.create(name="王强", username="sales", roles="sales")
    yield path
    close_database()


def _manager() -> Actor:
    return Actor.of(Staff.get(Staff.username == "manager"))


def _read(path: Path, sql: str, key: bytes | None) -> list[tuple]:
    with contextlib.closing(backup_snapshot.connect(path, read_only=True, key=key)) as conn:
        return conn.execute(sql).fetchall()


def _assert_one_committed_state(path: Path, key: bytes | None) -> set[str]:
    """The backup at ``path`` is sound and consistent; return its archive numbers."""
    assert cipher.is_encrypted_file(path) == (key is not None)
    assert _read(path, "PRAGMA integrity_check", key) == [("ok",)]
    assert _read(path, "PRAGMA foreign_key_check", key) == []
    assert _read(path, "PRAGMA journal_mode", key) == [("delete",)]
    assert not backup_snapshot.companion(path, "-wal").exists()
    numbers = {row[0] for row in _read(path, "SELECT archive_no FROM customer", key)}
    created = _read(path, "SELECT count(*) FROM audit_entry WHERE action = 'create'", key)
    assert created == [(len(numbers),)]  # never a customer without its audit entry
    return numbers


class Desk:
    """A saving desk in its own process; its acknowledged archive numbers arrive on a queue."""

    def __init__(self, archive: Path, errors: Path) -> None:
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(
            [str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])]))
        self._errors = errors.open("w")
        self.process = subprocess.Popen(
            [sys.executable, str(DESK), str(archive), "sales"], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=self._errors, text=True, env=env)
        key = cipher.key_for(archive)
        self.process.stdin.write((key.hex() if key else "") + "\n")  # type: ignore[union-attr]
        self.process.stdin.flush()  # type: ignore[union-attr]
        self.saved: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:  # type: ignore[union-attr]
            if line.startswith("saved "):
                self.saved.put(line.split(" ", 1)[1].strip())

    def stop(self) -> None:
        self.process.kill()
        self.process.wait()
        self.process.stdin.close()  # type: ignore[union-attr]
        self._errors.close()


def _checkpoints(archive: Path, stop: threading.Event) -> None:
    """Checkpoint the archive over and over, as desks do when their log grows."""
    key = cipher.key_for(archive)
    with contextlib.closing(backup_snapshot.connect(archive, key=key)) as conn:
        while not stop.is_set():
            conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
            time.sleep(0.005)


def test_backups_while_desks_in_other_processes_save_hold_one_committed_state(
        archive_file, tmp_path):
    key = cipher.key_for(archive_file)
    desks = [Desk(archive_file, tmp_path / f"desk{i}-errors.txt") for i in range(DESKS)]
    stop = threading.Event()
    checkpointer = threading.Thread(target=_checkpoints, args=(archive_file, stop))
    checkpointer.start()
    results, during = [], 0
    try:
        for desk in desks:  # every desk is saving before the first backup
            desk.saved.get(timeout=WAIT_S)
        for i in range(BACKUPS):
            before = sum(desk.saved.qsize() for desk in desks)
            results.append(backup.back_up_to_file(_manager(), tmp_path / f"copy{i}.sqlite3"))
            during += sum(desk.saved.qsize() for desk in desks) - before
    finally:
        stop.set()
        checkpointer.join()
        for desk in desks:
            desk.stop()
    errors = "".join((tmp_path / f"desk{i}-errors.txt").read_text() for i in range(DESKS))
    assert all(desk.process.returncode == -9 for desk in desks), errors
    assert during > 0, "the desks saved nothing while the backups ran"
    in_archive = {row[0] for row in _read(archive_file, "SELECT archive_no FROM customer", key)}
    schema = backup.inspect_file(archive_file)[0]
    counts = []
    for result in results:
        numbers = _assert_one_committed_state(result.path, key)
        assert numbers <= in_archive
        assert backup.inspect_file(result.path, key) == (schema, [])
        counts.append(len(numbers))
    assert counts == sorted(counts) and counts[0] > 0


def _checkpoint_all(archive: Path, key: bytes | None) -> None:
    with contextlib.closing(backup_snapshot.connect(archive, key=key)) as conn:
        busy, frames, done = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    assert busy == 0 and frames == done


def _up_to_first_commit(log: bytes) -> bytes:
    """The log's header and frames up to the end of its first transaction."""
    frame = FRAME_HEADER + int.from_bytes(log[8:12], "big")  # the log header names the page size
    end = WAL_HEADER
    while int.from_bytes(log[end + 4:end + 8], "big") == 0:  # a commit frame holds the size
        end += frame
    return log[:end + frame]


def test_a_log_that_starts_again_during_the_copy_is_left_out(archive_file, tmp_path,
                                                            monkeypatch):
    """The log's header and first frames are copied, then a desk saves and the log starts
    again over them, then the rest is copied: replaying the first frames alone would put
    older pages over newer ones, so the file alone, as the backup began, is the backup."""
    key = cipher.key_for(archive_file)
    _checkpoint_all(archive_file, key)  # the log starts again with the next transaction
    for number in range(20):  # small transactions changing the same pages
        Staff.create(name=f"职员{number}", username=f"staff{number}", roles="sales")
        Staff.update(name=f"改名{number}").where(Staff.username == "sales").execute()
    _checkpoint_all(archive_file, key)
    log = backup_snapshot.companion(archive_file, "-wal")
    staff_before = _read(archive_file, "SELECT id, name FROM staff ORDER BY id", key)
    child_copy = backup_snapshot._child_copy

    def copy_while_the_log_starts_again(source: Path, target: Path) -> None:
        if source != log:
            child_copy(source, target)
            return
        old = log.read_bytes()
        first = _up_to_first_commit(old)
        with database.atomic():  # more pages than the first transaction: they overwrite it all
            for number in range(100):
                Staff.create(name="新" * 300, username=f"new{number}", roles="sales")
        new = log.read_bytes()
        after_first = slice(len(first), len(first) + FRAME_HEADER)
        assert new[after_first] != old[after_first]  # the log did start again over it
        target.write_bytes(first + new[len(first):])

    monkeypatch.setattr(backup_snapshot, "_child_copy", copy_while_the_log_starts_again)
    result = backup.back_up_to_file(_manager(), tmp_path / "copy.sqlite3")

    _assert_one_committed_state(result.path, key)
    assert _read(result.path, "SELECT id, name FROM staff ORDER BY id", key) == staff_before


def test_without_cp_the_pages_are_copied_through_sqlite(archive_file, tmp_path, monkeypatch):
    key = cipher.key_for(archive_file)
    monkeypatch.setattr(backup_snapshot, "copies_in_child", lambda: False)
    monkeypatch.setattr(backup_snapshot, "_child_copy", lambda *args: pytest.fail(str(args)))
    result = backup.back_up_to_file(_manager(), tmp_path / "copy.sqlite3")
    assert _assert_one_committed_state(result.path, key) == set()
    assert oct(result.path.stat().st_mode & 0o777) == oct(0o600)


def test_the_copy_and_its_log_are_readable_by_their_owner_only(archive_file, tmp_path,
                                                               monkeypatch):
    modes: list[int] = []
    child_copy = backup_snapshot._child_copy

    def noting_modes(source: Path, target: Path) -> None:
        child_copy(source, target)
        if target.exists():
            modes.append(target.stat().st_mode & 0o777)

    monkeypatch.setattr(backup_snapshot, "_child_copy", noting_modes)
    result = backup.back_up_to_file(_manager(), tmp_path / "copy.sqlite3")
    assert modes and set(modes) == {0o600}
    assert result.path.stat().st_mode & 0o777 == 0o600


def test_a_failed_copy_leaves_no_file_behind(archive_file, tmp_path, monkeypatch):
    monkeypatch.setattr(backup_snapshot, "COPY_IN_CHILD",
                        ("-c", "import sys; sys.exit('No space left on device')"))  # a full disk
    with pytest.raises(backup.BackupError, match="No space left on device"):
        backup.back_up_to_file(_manager(), tmp_path / "copy.sqlite3")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]

"""The kill test: a desk killed at any moment loses no acknowledged save and corrupts nothing.

A writer process (``crash_writer.py``) saves cards through the services in a loop and prints each
archive number once its save has returned. It is killed with SIGKILL after a random delay: during
opening, in the middle of a save's transaction, while committing or checkpointing. After every
kill the archive must pass ``PRAGMA integrity_check`` and hold every acknowledged save.
"""
from __future__ import annotations

import contextlib
import os
import queue
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from crmdesk.models import Staff
from crmdesk.models.db import close_database, open_database
from crmdesk.services import audit

REPO = Path(__file__).resolve().parents[2]
WRITER = Path(__file__).with_name("crash_writer.py")
TRIALS = 50
LONGEST_RUN_S = 0.4
ANSWER_WITHIN_S = 20


class Writer:
    """The writer process and its output, read line by line on a thread of the test."""

    def __init__(self, archive: Path, username: str, errors: Path) -> None:
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(
            [str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])]))
        self._errors = errors.open("w")
        self.process = subprocess.Popen(
            [sys.executable, str(WRITER), str(archive), username], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=self._errors, text=True, bufsize=1, env=env)
        self.lines: queue.Queue[str] = queue.Queue()
        self.child = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:  # type: ignore[union-attr]
            self.lines.put(line.strip())

    def send(self, command: str) -> None:
        self.process.stdin.write(command + "\n")  # type: ignore[union-attr]
        self.process.stdin.flush()  # type: ignore[union-attr]

    def until(self, prefix: str, acknowledged: set[str]) -> str:
        """The next line starting with ``prefix``; "saved" lines on the way are collected."""
        deadline = time.monotonic() + ANSWER_WITHIN_S
        while True:
            try:
                line = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"the writer did not say {prefix!r} in time") from None
            if line.startswith("saved "):
                acknowledged.add(line.split(" ", 1)[1])
            if line.startswith(prefix):
                return line

    def start_child(self, acknowledged: set[str]) -> int:
        """Fork a new writer; return its process id."""
        self.send("write")
        self.child = int(self.until("child ", acknowledged).split()[1])
        return self.child

    def kill_child(self, acknowledged: set[str]) -> int:
        """SIGKILL the writer and collect it; return the signal that ended it."""
        os.kill(self.child, signal.SIGKILL)
        self.send("reap")
        ended_by = int(self.until("reaped ", acknowledged).split()[2])
        self.child = 0
        return ended_by

    def close(self) -> None:
        if self.child:  # a test that failed half-way leaves no writer behind
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.child, signal.SIGKILL)
        self.process.stdin.close()  # type: ignore[union-attr]
        try:
            self.process.wait(timeout=ANSWER_WITHIN_S)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._errors.close()


def _examine(archive: Path) -> tuple[list[tuple], set[str]]:
    """Integrity and foreign-key check results and the archive numbers present, read afresh."""
    with contextlib.closing(sqlite3.connect(archive)) as conn:
        checked = conn.execute("PRAGMA integrity_check").fetchall()
        checked += conn.execute("PRAGMA foreign_key_check").fetchall()
        present = {row[0] for row in conn.execute("SELECT archive_no FROM customer")}
    return checked, present


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the writer forks (POSIX only)")
def test_killing_a_saving_desk_loses_no_acknowledged_save_and_corrupts_nothing(tmp_path):
    archive = tmp_path / "archive.sqlite3"
    open_database(archive)
    Staff.create(name="王强", username="sales", roles="sales")
    close_database()
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    acknowledged: set[str] = set()
    killed_after_saves = 0
    writer = Writer(archive, "sales", tmp_path / "writer-errors.txt")
    try:
        writer.until("ready", acknowledged)
        for trial in range(TRIALS):
            before = len(acknowledged)
            writer.start_child(acknowledged)
            time.sleep(rng.uniform(0, LONGEST_RUN_S))
            ended_by = writer.kill_child(acknowledged)
            errors = (tmp_path / "writer-errors.txt").read_text()
            assert ended_by == signal.SIGKILL, f"the writer stopped by itself:\n{errors}"
            killed_after_saves += len(acknowledged) > before
            checked, present = _examine(archive)
            where = f"trial {trial}, seed {seed}"
            assert checked == [("ok",)], where
            assert acknowledged <= present, f"{where}: lost {sorted(acknowledged - present)}"
    finally:
        writer.close()
    assert killed_after_saves >= TRIALS // 2  # most kills landed while saving, not opening
    open_database(archive)
    try:
        assert audit.verify() == []  # each save's audit entry committed with it, or neither
    finally:
        close_database()

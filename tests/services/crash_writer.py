"""A desk that saves cards until it is killed: the writer of the kill test.

Run as ``python crash_writer.py ARCHIVE USERNAME``. It imports crmdesk once, prints "ready",
and then for each line "write" on stdin forks a child that prints "child <pid>", opens the
archive through ``open_database`` and saves new cards of USERNAME through ``save_card`` in a
loop, printing "saved <archive no>" once each save has returned (its transaction committed).
The test kills the child with SIGKILL; the line "reap" makes this process collect it and print
"reaped <pid> <signal>". Forking spares each trial the second it takes to import crmdesk, which
keeps 50 trials well inside a minute on a busy machine; each child opens the archive itself, so
it is killed as a desk would be.
"""
from __future__ import annotations

import os
import sys
import tempfile
import traceback
from pathlib import Path

from crmdesk.models import Staff
from crmdesk.models.db import close_database, open_database
from crmdesk.services import customers
from crmdesk.services.context import Actor


def say(line: str) -> None:
    """Write one whole line in one system call, so a kill never leaves half of it behind."""
    os.write(sys.stdout.fileno(), f"{line}\n".encode())


def save_until_killed(archive: Path, username: str) -> None:
    """Open the archive and save one complete new card after another, acknowledging each."""
    open_database(archive)
    actor = Actor.of(Staff.get(Staff.username == username))
    pid, number = os.getpid(), 0
    while True:
        number += 1
        card = customers.new_card(actor)
        card.values.update(
            name=f"测试客户{pid}-{number}", mobile=f"139{(pid * 1000 + number) % 10**8:08d}",
            address="上海市长宁路1号", source="visit", consent=True, needs="家用代步",
            employer="华信科技有限公司")
        result = customers.save_card(card, actor)
        say(f"saved {result.archive_no}")


def warm_up() -> None:
    """Save one card in a scratch archive, so the children find every lazy table loaded."""
    with tempfile.TemporaryDirectory() as folder:
        open_database(Path(folder) / "scratch.sqlite3")
        try:
            staff = Staff.create(name="预热", username="warm-up", roles="sales")
            card = customers.new_card(Actor.of(staff))
            card.values.update(name="预热客户", mobile="13800138000", address="上海市长宁路1号",
                               source="visit", consent=True, needs="家用代步",
                               employer="华信科技有限公司")
            customers.save_card(card, Actor.of(staff))
        finally:
            close_database()


def serve(archive: Path, username: str) -> None:
    """Fork a writer for each "write", collect it on "reap"."""
    warm_up()
    say("ready")
    child = 0
    for line in sys.stdin:
        command = line.strip()
        if command == "write":
            child = os.fork()
            if child == 0:
                try:
                    say(f"child {os.getpid()}")
                    save_until_killed(archive, username)
                except BaseException:
                    traceback.print_exc()
                finally:
                    os._exit(1)
        elif command == "reap" and child:
            _pid, status = os.waitpid(child, 0)
            signal = os.WTERMSIG(status) if os.WIFSIGNALED(status) else 0
            say(f"reaped {child} {signal}")
            child = 0


if __name__ == "__main__":
    serve(Path(sys.argv[1]), sys.argv[2])

"""``crmdesk watch``: another desk's changes, as they happen, only what the user may see."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from crmdesk.models import Staff
from crmdesk.models.db import close_database, open_database
from crmdesk.services import accounts, customers
from crmdesk.services.context import Actor
from tests.backends import location_options

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "sales-pass-1"


@pytest.fixture
def desks(archive):
    """王强 (sales, with a password, who watches) and 李娜 (sales) in the archive."""
    admin = accounts.create_first_admin("管理员", "admin", "admin-pass-1")
    accounts.add_account(admin, "王强", "wq", ("sales",), PASSWORD)
    accounts.add_account(admin, "李娜", "ln", ("sales",), "other-pass-1")
    return archive


def _save(actor: Actor, name: str, mark: str = "normal") -> str:
    card = customers.new_card(actor)
    card.values.update(name=name, confidentiality=mark)
    return customers.save_card(card, actor, accept_incomplete=True).archive_no


def test_watch_prints_what_other_desks_do_and_stops_cleanly_on_sigterm(desks):
    close_database()
    env = {**os.environ, "CRMDESK_PASSWORD": PASSWORD, "QT_QPA_PLATFORM": "offscreen"}
    watcher = subprocess.Popen(
        [sys.executable, "-m", "crmdesk", *location_options(desks), "--lang", "en",
         "--user", "wq", "watch", "--json", "--kinds", "customers"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert "Watching" in watcher.stderr.readline()
        open_database(desks)
        lina = Actor.of(Staff.get(Staff.username == "ln"))
        _save(lina, "绝密客户", mark="secret")
        shown = _save(lina, "普通客户")
        line = json.loads(watcher.stdout.readline())
        assert line["kind"] == "customers" and line["archive_nos"] == [shown]
        watcher.send_signal(signal.SIGTERM)
        out, _err = watcher.communicate(timeout=30)
    finally:
        if watcher.poll() is None:
            watcher.kill()
    assert watcher.returncode == 0
    assert out.strip() == ""  # nothing more: the top-secret archive was never shown

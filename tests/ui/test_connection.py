"""Starting on an archive that cannot be opened: the cause, Retry, settings; the lost line."""
from __future__ import annotations

import argparse

import pytest

from crmdesk.errors import ArchiveConnectionError
from crmdesk.models import connection_events
from crmdesk.ui import app
from crmdesk.ui.connection_status import ConnectionStatus
from crmdesk.ui.dialogs.connection import ConnectionProblemDialog, ConnectionSettingsDialog


def _args(**values) -> argparse.Namespace:
    base = {"data_dir": None, "database": None, "debug": False, "lang": None, "user": None}
    return argparse.Namespace(**{**base, **values})


@pytest.fixture
def attempts(monkeypatch, tmp_path):
    """open_archive fails twice with the server down, then opens; records the URLs tried."""
    tried: list[tuple[str | None, str | None]] = []

    def open_archive(args, url=None, password=None):
        tried.append((url, password))
        if len(tried) < 3:
            raise ArchiveConnectionError("The archive server office-pc cannot be reached.")

    monkeypatch.setattr("crmdesk.cli.open_archive", open_archive)
    monkeypatch.setenv("CRMDESK_DATA_DIR", str(tmp_path))
    return tried


def test_a_server_down_at_start_offers_retry_then_opens(qapp, monkeypatch, attempts):
    shown: list[str] = []

    def exec_problem(dialog):
        shown.append(dialog.message.text())
        return ConnectionProblemDialog.RETRY

    monkeypatch.setattr(ConnectionProblemDialog, "exec", exec_problem)
    location = app.open_at_start(_args(database="postgresql://crm@office-pc/crmdesk"))
    assert location == "postgresql://crm@office-pc/crmdesk"
    assert shown == ["The archive server office-pc cannot be reached."] * 2
    assert len(attempts) == 3


def test_connection_settings_change_where_it_connects_and_keep_no_password(
        qapp, monkeypatch, attempts):
    answers = iter([ConnectionProblemDialog.SETTINGS, ConnectionProblemDialog.RETRY])
    monkeypatch.setattr(ConnectionProblemDialog, "exec", lambda dialog: next(answers))

    def fill(dialog):
        dialog.host.setText("192.168.1.20")
        dialog.user.setText("desk")
        dialog.password.setText("pw-typed")
        dialog.sslmode.setCurrentText("require")
        return True

    monkeypatch.setattr(ConnectionSettingsDialog, "exec", fill)
    location = app.open_at_start(_args(database="postgresql://crm@office-pc/crmdesk"))
    url = "postgresql://desk@192.168.1.20:5432/crmdesk?sslmode=require"
    assert attempts[1:] == [(url, "pw-typed"), (url, "pw-typed")]
    assert location == url and "pw-typed" not in location


def test_quitting_the_problem_dialog_ends_the_start(qapp, monkeypatch, attempts):
    monkeypatch.setattr(ConnectionProblemDialog, "exec", lambda dialog: 0)
    assert app.open_at_start(_args()) is None


@pytest.mark.parametrize(("trouble", "over", "words"), [
    ("lost", "restored", ("retrying", "重试")),
    ("busy", "free", ("Another desk", "工作台")),
], ids=["server connection lost", "another desk saving"])
def test_the_status_bar_says_what_the_archive_waits_for_and_clears_after(qtbot, trouble, over,
                                                                         words):
    status = ConnectionStatus()
    qtbot.addWidget(status)
    status.show()
    connection_events.tell(trouble)
    qtbot.waitUntil(status.isVisible)
    assert any(word in status.text() for word in words)
    connection_events.tell(over)
    qtbot.waitUntil(lambda: not status.isVisible())

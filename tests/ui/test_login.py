"""Logging in, the first administrator, and the idle lock that keeps the open card."""
from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from crmdesk.services import accounts
from crmdesk.ui.dialogs.login import FirstAdminDialog, LoginDialog, UnlockDialog
from crmdesk.ui.idle_lock import IdleLock


def test_first_admin_dialog_creates_the_administrator(qtbot, archive):
    dialog = FirstAdminDialog()
    qtbot.addWidget(dialog)
    dialog.name.setText("周经理")
    dialog.password.setText("good password")
    dialog.repeat.setText("good password")
    dialog.submit()
    assert dialog.actor is not None and dialog.actor.name == "周经理"
    assert accounts.accounts_exist()


def test_login_dialog_shows_why_and_keeps_the_user_name(qtbot, archive):
    accounts.create_first_admin("周经理", "admin", "good password")
    dialog = LoginDialog("admin")
    qtbot.addWidget(dialog)
    dialog.password.setText("bad password")
    dialog.submit()
    assert dialog.actor is None
    assert dialog.error.text()
    assert dialog.username.text() == "admin"
    dialog.password.setText("good password")
    dialog.submit()
    assert dialog.actor is not None


def test_idle_window_locks_and_unlocks_keeping_the_typed_card(qtbot, window, archive):
    from crmdesk.models import Staff

    accounts.set_password(None, window.actor.staff_id, "manager password")
    assert Staff.get_by_id(window.actor.staff_id).password_hash
    window.card.editor("name").setText("未保存的客户")
    lock = IdleLock(window, window.actor, minutes=0)
    seen = {}

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        seen["dialog"] = dialog
        seen["hidden"] = not window.centralWidget().isVisible()
        dialog.password.setText("manager password")
        dialog.submit()

    QTimer.singleShot(50, answer)
    lock.check()

    assert isinstance(seen["dialog"], UnlockDialog)
    assert seen["hidden"]
    assert window.centralWidget().isVisible()
    assert window.card.editor("name").value() == "未保存的客户"


def test_a_closed_window_never_locks(qtbot, window, monkeypatch):
    asked = []
    monkeypatch.setattr(UnlockDialog, "exec", lambda dialog: asked.append(dialog) or 0)
    lock = IdleLock(window, window.actor, minutes=0)
    window.close()
    assert not window.isVisible()

    lock.check()

    assert asked == [] and not lock.locked

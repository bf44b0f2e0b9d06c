"""The encrypted archive in the window: unlocked before it opens (by a login, which then is not
asked again, or by the recovery key), the recovery key shown to the first administrator, and a
plain archive's administrator asked to encrypt it."""
from __future__ import annotations

import argparse

import pytest
from PySide6.QtWidgets import QDialog, QMessageBox

from crmdesk import paths
from crmdesk.models.cipher import forget_key, is_encrypted_file
from crmdesk.models.db import close_database, open_database
from crmdesk.services import accounts, archive_keys
from crmdesk.ui import app
from crmdesk.ui.dialogs import archive_key
from crmdesk.ui.dialogs.archive_key import EncryptArchiveDialog, UnlockArchiveDialog

pytestmark = pytest.mark.sqlite_only
PASSWORD = "admin-secret-1"


@pytest.fixture
def locked(tmp_path):
    """An encrypted archive with an administrator, closed and its key forgotten; yields the
    file and the recovery key."""
    path = paths.archive_path(tmp_path)
    archive_keys.prepare_new_archive(path)
    open_database(path)
    accounts.create_first_admin("管理员", "admin", PASSWORD)
    recovery_key = archive_keys.take_recovery_key()
    close_database()
    forget_key(path)
    yield path, recovery_key
    close_database()


def test_unlock_dialog_refuses_a_wrong_password_and_keeps_the_right_login(qtbot, locked):
    path, _recovery = locked
    dialog = UnlockArchiveDialog(path, "admin")
    qtbot.addWidget(dialog)
    dialog.password.setText("wrong password")
    dialog.submit()
    assert dialog.error.text() and dialog.result() != QDialog.DialogCode.Accepted
    dialog.password.setText(PASSWORD)
    dialog.submit()
    assert dialog.credentials == ("admin", PASSWORD)
    assert dialog.password.text() == ""
    open_database(path)
    # The login that unlocked is not asked for again.
    assert app.log_in_at_start("admin", dialog.credentials).name == "管理员"


def test_unlock_dialog_takes_the_recovery_key(qtbot, locked):
    path, recovery_key = locked
    dialog = UnlockArchiveDialog(path)
    qtbot.addWidget(dialog)
    dialog.use_recovery.setChecked(True)
    dialog.recovery.setText(recovery_key.lower())
    dialog.submit()
    assert dialog.error.text() == ""
    open_database(path)


def test_the_first_administrator_is_shown_the_recovery_key(qtbot, tmp_path, monkeypatch):
    path = paths.archive_path(tmp_path)
    archive_keys.prepare_new_archive(path)
    open_database(path)
    shown: list[str] = []
    monkeypatch.setattr(archive_key.RecoveryKeyDialog, "exec",
                        lambda self: shown.append(self._key) or 1)
    accounts.create_first_admin("管理员", "admin", PASSWORD)
    archive_key.show_recovery_key()
    assert len(shown) == 1 and len(shown[0]) == 39
    close_database()


def test_a_plain_archives_administrator_is_asked_to_encrypt_it(qtbot, tmp_path, monkeypatch):
    path = paths.archive_path(tmp_path)
    open_database(path)
    admin = accounts.create_first_admin("管理员", "admin", PASSWORD)

    def answer(self):
        self.password.setText(PASSWORD)
        self.submit()
        return self.result()

    monkeypatch.setattr(EncryptArchiveDialog, "exec", answer)
    monkeypatch.setattr(archive_key.RecoveryKeyDialog, "exec", lambda self: 1)
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: told.append(text))
    archive_key.offer_encryption(admin)
    assert is_encrypted_file(path)
    assert told and "before-encryption" in told[0]
    close_database()


def test_start_asks_nothing_for_a_plain_archive(qtbot, tmp_path):
    args = argparse.Namespace(data_dir=str(tmp_path), database=None)
    assert app.unlock_before_open(args, None) == archive_key.Unlocking(cancelled=False)


def test_restoring_into_an_encrypted_archive_asks_for_the_backups_password(qtbot, locked,
                                                                           tmp_path,
                                                                           monkeypatch):
    path, _recovery = locked
    plain = tmp_path / "plain.sqlite3"
    plain.write_bytes(b"")
    archive_keys.unlock(path, "admin", PASSWORD)
    open_database(path)
    admin = accounts.log_in("admin", PASSWORD)
    asked: list[archive_key.BackupLoginDialog] = []

    def answer(self):
        asked.append(self)
        self.password.setText(PASSWORD)
        self.submit()
        return self.result()

    monkeypatch.setattr(archive_key.BackupLoginDialog, "exec", answer)
    go_on, login = archive_key.backup_login(plain, admin)
    assert go_on and login is not None and (login.name, login.password) == ("admin", PASSWORD)
    assert asked[0].username.text() == "admin"

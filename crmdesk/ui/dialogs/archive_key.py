"""The encrypted archive in the window: unlocking it before it opens, showing a recovery key
to print, and converting a plain archive when its administrator logs in."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtGui import QFont, QGuiApplication, QTextDocument
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from crmdesk.errors import CrmError
from crmdesk.i18n import _
from crmdesk.models.cipher import is_encrypted_file
from crmdesk.services import accounts, archive_keys
from crmdesk.services.context import Actor
from crmdesk.services.restore_login import Login
from crmdesk.ui.dialogs.login import _Form

if TYPE_CHECKING:
    from crmdesk.services.encryption import EncryptionResult


class _KeyForm(_Form):
    """The login dialogs' form (an error line, OK/Cancel) opened by an explanation; ``attempt``
    unlocks or converts rather than logging in, so ``actor`` stays None."""

    def __init__(self, title: str, intro: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        note = QLabel(intro, self)
        note.setWordWrap(True)
        self.form.addRow(note)

    def secret_field(self, name: str) -> QLineEdit:
        field = self._password_field()
        field.setObjectName(name)
        return field

    def attempt(self) -> None:  # type: ignore[override]
        raise NotImplementedError


class UnlockArchiveDialog(_KeyForm):
    """User name and password (or the recovery key) unlocking an encrypted archive file;
    ``credentials`` keeps the user name and password for the login that follows."""

    def __init__(self, archive: Path, username: str = "", parent: QWidget | None = None) -> None:
        super().__init__(_("Unlock the archive"), _(
            "The archive {path} is encrypted. Log in to unlock it.").format(path=archive), parent)
        self._archive = archive
        self.credentials: tuple[str, str] | None = None
        self.username = QLineEdit(username, self)
        self.username.setObjectName("username")
        self.password = self.secret_field("password")
        self.use_recovery = QCheckBox(_("Every password is lost: use the recovery key"), self)
        self.use_recovery.setObjectName("useRecovery")
        self.recovery = QLineEdit(self)
        self.recovery.setObjectName("recoveryKey")
        self.recovery.setPlaceholderText("XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX")
        self.recovery.setVisible(False)
        self.use_recovery.toggled.connect(self._recovery_chosen)
        self.form.addRow(_("User name"), self.username)
        self.form.addRow(_("Password"), self.password)
        self.form.addRow(self.use_recovery)
        self.form.addRow(self.recovery)
        self.finish_layout()
        (self.password if username else self.username).setFocus()

    def _recovery_chosen(self, chosen: bool) -> None:
        self.recovery.setVisible(chosen)
        self.username.setEnabled(not chosen)
        self.password.setEnabled(not chosen)
        (self.recovery if chosen else self.password).setFocus()

    def attempt(self) -> None:
        if self.use_recovery.isChecked():
            archive_keys.unlock_with_recovery_key(self._archive, self.recovery.text())
            return
        name, password = self.username.text().strip(), self.password.text()
        self.password.clear()
        archive_keys.unlock(self._archive, name, password)
        self.credentials = (name, password)


class RecoveryKeyDialog(QDialog):
    """A newly issued recovery key, to print or copy and keep locked away."""

    def __init__(self, recovery_key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("The archive's recovery key"))
        self._key = recovery_key
        layout = QVBoxLayout(self)
        note = QLabel(_("Print this recovery key or write it down, and keep it locked away. "
                        "When every password is lost it is the only way into the archive and "
                        "its backups. It is shown only now."), self)
        note.setWordWrap(True)
        shown = QLabel(recovery_key, self)
        shown.setObjectName("recoveryKey")
        font = QFont("monospace", 16)
        font.setStyleHint(QFont.StyleHint.Monospace)
        shown.setFont(font)
        shown.setTextInteractionFlags(shown.textInteractionFlags().TextSelectableByMouse)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok, self)
        copy = QPushButton(_("Copy"), self)
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(self._key))
        printing = QPushButton(_("Print…"), self)
        printing.clicked.connect(self.print_key)
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(printing, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.accepted.connect(self.accept)
        for widget in (note, shown, buttons):
            layout.addWidget(widget)

    def print_key(self) -> None:
        """Print the key on one page with what it is for."""
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter()
        if QPrintDialog(printer, self).exec() != QDialog.DialogCode.Accepted:
            return
        page = QTextDocument()
        page.setPlainText("\n\n".join([_("crmdesk: the archive's recovery key"), self._key, _(
            "Keep this page locked away. It opens the archive and its backups when every "
            "password is lost.")]))
        page.print_(printer)


class EncryptArchiveDialog(_KeyForm):
    """The administrator's question at login: encrypt this plain archive now?"""

    def __init__(self, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(_("Encrypt the archive"), _(
            "This archive is stored unencrypted: whoever copies the file can read every "
            "customer. Encrypt it now? A plain backup is kept first. Type your password to "
            "go on."), parent)
        self._actor = actor
        self.result_of: EncryptionResult | None = None
        self.password = self.secret_field("password")
        self.form.addRow(_("Password"), self.password)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Encrypt"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Later"))
        self.finish_layout()

    def attempt(self) -> None:
        password = self.password.text()
        self.password.clear()
        from crmdesk.services import encryption

        self.result_of = encryption.encrypt_archive(self._actor, password)


def show_recovery_key(parent: QWidget | None = None) -> None:
    """Show the recovery key just issued for the open archive, if there is one."""
    recovery_key = archive_keys.take_recovery_key()
    if recovery_key:
        RecoveryKeyDialog(recovery_key, parent).exec()


def offer_encryption(actor: Actor, parent: QWidget | None = None) -> None:
    """Ask an administrator who logs in to a plain SQLite archive to encrypt it."""
    from crmdesk.services import encryption  # with the backup module: after the login

    if "admin" not in actor.roles or not encryption.may_be_encrypted():
        return
    dialog = EncryptArchiveDialog(actor, parent)
    if not dialog.exec() or dialog.result_of is None:
        return
    done = dialog.result_of
    text = _("The archive is encrypted. The plain copy made before is kept in {path}: keep it "
             "locked away or delete it once you are sure.").format(path=done.kept)
    if done.waiting:
        text += "\n\n" + _("These accounts get their key at their next login at a desk where "
                           "the archive is open, or when you set their password: {names}"
                           ).format(names=", ".join(done.waiting))
    QMessageBox.information(parent, _("Encrypt the archive"), text)
    if done.recovery_key:
        RecoveryKeyDialog(done.recovery_key, parent).exec()


class Unlocking(NamedTuple):
    """What unlocking at start came to: given up, and the login that unlocked (if any)."""

    cancelled: bool
    credentials: tuple[str, str] | None = None


def unlock_at_start(archive: Path, username: str = "") -> Unlocking:
    """Before an encrypted archive file opens: ask for a login (or the recovery key) until it
    unlocks. Nothing is asked for a plain archive or one still being set up."""
    try:
        needed = archive_keys.needs_unlocking(archive)
    except CrmError as exc:  # the key file is missing or unreadable
        QMessageBox.critical(None, _("Unlock the archive"), str(exc))
        return Unlocking(cancelled=True)
    if not needed:
        return Unlocking(cancelled=False)
    dialog = UnlockArchiveDialog(archive, username)
    if not dialog.exec():
        return Unlocking(cancelled=True)
    return Unlocking(cancelled=False, credentials=dialog.credentials)


class BackupLoginDialog(_KeyForm):
    """Who restores an encrypted backup (or into an encrypted archive): a user name and the
    password valid when the backup was made."""

    def __init__(self, backup: Path, username: str, parent: QWidget | None = None) -> None:
        super().__init__(_("Restore the archive"), _(
            "Type a user name and the password that was valid when {name} was made.").format(
                name=backup.name), parent)
        self.login: Login | None = None
        self.username = QLineEdit(username, self)
        self.username.setObjectName("username")
        self.password = self.secret_field("password")
        self.form.addRow(_("User name"), self.username)
        self.form.addRow(_("Password"), self.password)
        self.finish_layout()
        self.password.setFocus()

    def attempt(self) -> None:
        self.login = Login(self.username.text().strip(), self.password.text())
        self.password.clear()


def backup_login(backup: Path, actor: Actor | None, parent: QWidget | None = None
                 ) -> tuple[bool, Login | None]:
    """Ask who restores ``backup`` when its keys are involved (an encrypted backup or archive):
    (go on, the login); a plain backup into a plain archive asks nothing."""
    from crmdesk.services import encryption

    if not (is_encrypted_file(backup) or encryption.is_encrypted()):
        return True, None
    username = next((account["username"] for account in accounts.staff_accounts()
                     if actor is not None and account["id"] == actor.staff_id), "")
    dialog = BackupLoginDialog(backup, username, parent)
    return (bool(dialog.exec()), dialog.login)

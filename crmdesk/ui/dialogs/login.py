"""Logging in at start, creating the first administrator, unlocking an idle window and
changing one's own password."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from crmdesk.errors import CrmError
from crmdesk.i18n import _
from crmdesk.services import accounts, card_templates
from crmdesk.services.context import Actor
from crmdesk.ui.dialogs.card_template import TemplatePicker


class _Form(QDialog):
    """A small form with an error line and OK/Cancel; subclasses decide what OK does."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.actor: Actor | None = None
        self.form = QFormLayout(self)
        self.error = QLabel(self)
        self.error.setObjectName("error")
        self.error.setStyleSheet("color: #c5221f;")
        self.error.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

    def finish_layout(self) -> None:
        self.form.addRow(self.error)
        self.form.addRow(self.buttons)
        self.setMinimumWidth(380)

    def _password_field(self) -> QLineEdit:
        field = QLineEdit(self)
        field.setEchoMode(QLineEdit.EchoMode.Password)
        return field

    def submit(self) -> None:
        try:
            self.actor = self.attempt()
        except CrmError as exc:
            self.error.setText(str(exc))
            return
        self.accept()

    def attempt(self) -> Actor:
        raise NotImplementedError


class LoginDialog(_Form):
    """User name and password; the result is in ``actor``."""

    def __init__(self, username: str = "", parent: QWidget | None = None) -> None:
        super().__init__(_("Log in to crmdesk"), parent)
        self.username = QLineEdit(username, self)
        self.username.setObjectName("username")
        self.password = self._password_field()
        self.password.setObjectName("password")
        self.form.addRow(_("User name"), self.username)
        self.form.addRow(_("Password"), self.password)
        self.finish_layout()
        (self.password if username else self.username).setFocus()

    def attempt(self) -> Actor:
        actor = accounts.log_in(self.username.text().strip(), self.password.text())
        self.password.clear()
        return actor

    def submit(self) -> None:
        super().submit()
        self.password.clear()


class FirstAdminDialog(_Form):
    """A new archive's first account: the administrator, who is also a manager."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_("Welcome to crmdesk"), parent)
        self.form.addRow(QLabel(_("This archive has no accounts yet. Create the "
                                  "administrator's account:"), self))
        self.name = QLineEdit(self)
        self.username = QLineEdit("admin", self)
        self.password = self._password_field()
        self.repeat = self._password_field()
        self.form.addRow(_("Name"), self.name)
        self.form.addRow(_("User name"), self.username)
        self.form.addRow(_("Password"), self.password)
        self.form.addRow(_("Password again"), self.repeat)
        self.template = TemplatePicker(parent=self)
        self.form.addRow(_("Card template"), self.template)
        self.finish_layout()

    def attempt(self) -> Actor:
        if self.password.text() != self.repeat.text():
            raise CrmError(_("The two passwords differ."))
        actor = accounts.create_first_admin(self.name.text().strip(),
                                            self.username.text().strip(), self.password.text())
        card_templates.apply_template(self.template.key(), actor)
        return actor


class UnlockDialog(_Form):
    """The idle lock: the same person types their password to go on where they left off."""

    def __init__(self, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(_("crmdesk is locked"), parent)
        self._who = actor
        self.form.addRow(QLabel(_("{name} stepped away. Type the password to go on; nothing "
                                  "was lost.").format(name=actor.name), self))
        self.password = self._password_field()
        self.password.setObjectName("password")
        self.form.addRow(_("Password"), self.password)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Quit crmdesk"))
        self.finish_layout()

    def attempt(self) -> Actor:
        ok = accounts.verify_password(self._who, self.password.text())
        self.password.clear()
        if not ok:
            raise CrmError(_("Wrong password."))
        return self._who


class ChangePasswordDialog(_Form):
    """Change one's own password: the current one, then the new one twice."""

    def __init__(self, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(_("Change my password"), parent)
        self._who = actor
        self.current = self._password_field()
        self.current.setObjectName("current")
        self.password = self._password_field()
        self.password.setObjectName("password")
        self.repeat = self._password_field()
        self.repeat.setObjectName("repeat")
        self.form.addRow(QLabel(_("Changing the password of {name}.").format(name=actor.name),
                                self))
        self.form.addRow(_("Current password"), self.current)
        self.form.addRow(_("New password"), self.password)
        self.form.addRow(_("New password again"), self.repeat)
        self.finish_layout()

    def attempt(self) -> Actor:
        if self.password.text() != self.repeat.text():
            raise CrmError(_("The two new passwords differ."))
        accounts.change_own_password(self._who, self.current.text(), self.password.text())
        return self._who

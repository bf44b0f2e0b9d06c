"""When the archive cannot be opened at start: the cause, Retry, and the connection settings.

The settings name a PostgreSQL server (host, port, database, user, TLS). The URL is kept in
the desk's settings without its password; the password is kept in the operating system's
keyring when one is available and the user asks for it, otherwise it is asked each time.
"""
from __future__ import annotations

from urllib.parse import quote, unquote, urlsplit

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from crmdesk.i18n import _
from crmdesk.ui import keyring_store

DEFAULT_PORT = 5432
SSL_MODES = ("prefer", "require", "verify-full", "disable")


class ConnectionProblemDialog(QDialog):
    """The cause in plain words, with Retry, Connection settings… and Quit."""

    RETRY, SETTINGS = 1, 2

    def __init__(self, message: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("crmdesk cannot open the archive"))
        layout = QVBoxLayout(self)
        self.message = QLabel(message, self)
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(self)
        retry = buttons.addButton(_("Retry"), QDialogButtonBox.ButtonRole.AcceptRole)
        settings = buttons.addButton(_("Connection settings…"),
                                     QDialogButtonBox.ButtonRole.ActionRole)
        quit_button = buttons.addButton(_("Quit"), QDialogButtonBox.ButtonRole.RejectRole)
        retry.setObjectName("retry")
        settings.setObjectName("settings")
        retry.clicked.connect(lambda: self.done(self.RETRY))
        settings.clicked.connect(lambda: self.done(self.SETTINGS))
        quit_button.clicked.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)


class ConnectionSettingsDialog(QDialog):
    """Host, port, database, user, password and TLS of the office's PostgreSQL archive."""

    def __init__(self, url: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Connection settings"))
        parts = urlsplit(url) if url.startswith(("postgresql://", "postgres://")) else None
        query = dict(p.split("=", 1) for p in (parts.query.split("&") if parts else []) if "=" in p)
        form = QFormLayout(self)
        self.host = QLineEdit(parts.hostname or "" if parts else "", self)
        self.port = QSpinBox(self)
        self.port.setRange(1, 65535)
        self.port.setValue(parts.port or DEFAULT_PORT if parts else DEFAULT_PORT)
        self.database = QLineEdit(parts.path.lstrip("/") if parts else "crmdesk", self)
        self.user = QLineEdit(unquote(parts.username or "") if parts else "", self)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.sslmode = QComboBox(self)
        self.sslmode.addItems(SSL_MODES)
        self.sslmode.setCurrentText(query.get("sslmode", "prefer"))
        self.remember = QCheckBox(_("Keep the password in this computer's keyring"), self)
        self.remember.setEnabled(keyring_store.available())
        if not keyring_store.available():
            self.remember.setToolTip(_("No keyring on this computer: the password is asked at "
                                       "each start (or kept in ~/.pgpass)."))
        for name, widget in (("host", self.host), ("database", self.database),
                             ("user", self.user), ("password", self.password)):
            widget.setObjectName(name)
        form.addRow(_("Server (host)"), self.host)
        form.addRow(_("Port"), self.port)
        form.addRow(_("Database"), self.database)
        form.addRow(_("Database user"), self.user)
        form.addRow(_("Password"), self.password)
        form.addRow(_("TLS (sslmode)"), self.sslmode)
        form.addRow(self.remember)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.setMinimumWidth(420)

    def url(self) -> str:
        """The archive's URL as chosen, without the password."""
        user = quote(self.user.text().strip(), safe="")
        host = self.host.text().strip()
        netloc = f"{user}@{host}:{self.port.value()}" if user else f"{host}:{self.port.value()}"
        database = quote(self.database.text().strip(), safe="")
        return f"postgresql://{netloc}/{database}?sslmode={self.sslmode.currentText()}"

    def typed_password(self) -> str | None:
        """The password typed (None when left empty: ~/.pgpass or the keyring supply it)."""
        return self.password.text() or None

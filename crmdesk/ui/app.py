"""Starting the window: fonts, translations, the archive, who is at the desk."""
from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys

from PySide6.QtCore import QLibraryInfo, QLocale, QSettings, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from crmdesk import i18n, paths
from crmdesk.errors import CrmError
from crmdesk.log import LOG_FILE
from crmdesk.services.accounts import accounts_exist
from crmdesk.services.context import Actor
from crmdesk.ui import keyring_store
from crmdesk.ui.dialogs.archive_key import Unlocking
from crmdesk.ui.dialogs.connection import ConnectionProblemDialog, ConnectionSettingsDialog
from crmdesk.ui.dialogs.login import FirstAdminDialog, LoginDialog
from crmdesk.ui.errors import install_excepthook
from crmdesk.ui.qt_translation import AccessKeyFallback, FileDialogLocale
from crmdesk.ui.window_modules import WindowModules

log = logging.getLogger(__name__)
FONT_POINT_SIZE = 10


def register_font() -> str:
    """Register the bundled CJK font with Qt and return its family name ('' if it failed)."""
    font_id = QFontDatabase.addApplicationFont(str(paths.FONT_FILE))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if not families:
        log.error("could not load the bundled font %s", paths.FONT_FILE)
        return ""
    return families[0]


def install_font(app: QApplication) -> None:
    """Make the bundled font the application font so Chinese renders everywhere."""
    family = register_font()
    if family:
        app.setFont(QFont(family, FONT_POINT_SIZE))


def install_qt_translation(app: QApplication) -> None:
    """Translate Qt's own dialogs (buttons such as Save/Cancel) when the UI is Chinese."""
    if i18n.language() != "zh_CN":
        return
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(QLocale(QLocale.Language.Chinese, QLocale.Country.China), "qtbase", "_",
                       folder):
        app.installTranslator(translator)
        # Installed last, so it is asked first, and answers only what the catalogue lacks.
        app.installTranslator(AccessKeyFallback(app))
        FileDialogLocale(app, QLocale(QLocale.Language.Chinese, QLocale.Country.China))


def log_in_at_start(username: str | None,
                    unlocked_by: tuple[str, str] | None = None) -> Actor | None:
    """Log in (or, on an archive without accounts, create its administrator); None if cancelled.

    ``unlocked_by`` is the login that just unlocked the encrypted archive: it is not asked for
    again. A new administrator is shown the recovery key; an administrator of a plain archive
    is asked to encrypt it.
    """
    from crmdesk.services.accounts import LoginError, log_in
    from crmdesk.ui.dialogs.archive_key import offer_encryption, show_recovery_key

    actor = None
    if unlocked_by is not None:
        with contextlib.suppress(LoginError):  # locked or inactive: the dialog says which
            actor = log_in(*unlocked_by)
    if actor is None:
        dialog = LoginDialog(username or "") if accounts_exist() else FirstAdminDialog()
        modules = WindowModules(dialog)  # the window's modules load while the user types
        actor = dialog.actor if dialog.exec() else None
        modules.wait()
    if actor is not None:
        show_recovery_key()
        offer_encryption(actor)
    return actor


def open_at_start(args: argparse.Namespace) -> str | None:
    """Open the archive, offering Retry and the connection settings while it fails.

    Returns where the archive is (for the status bar), or None when the user gave up.
    """
    from crmdesk.cli import archive_url, open_archive
    from crmdesk.models.db import shown_location

    saved = QSettings()
    url = archive_url(args) or str(saved.value("database_url", "")) or None
    # Only a database server has a password to keep; a SQLite file never does.
    password = keyring_store.load(url) if url and not url.startswith("sqlite") else None
    while True:
        try:
            open_archive(args, url, password)
        except CrmError as exc:
            choice = ConnectionProblemDialog(str(exc)).exec()
            if choice == ConnectionProblemDialog.RETRY:
                continue
            if choice != ConnectionProblemDialog.SETTINGS:
                return None
            dialog = ConnectionSettingsDialog(url or "")
            if dialog.exec():
                url, password = dialog.url(), dialog.typed_password() or password
                saved.setValue("database_url", url)
                if password and dialog.remember.isChecked():
                    keyring_store.save(url, password)
            continue
        return shown_location(url, paths.archive_path(paths.data_dir(args.data_dir)))


def unlock_before_open(args: argparse.Namespace, username: str | None) -> Unlocking:
    """An encrypted archive file in the data folder is unlocked (login or recovery key) before
    it is opened; nothing is asked for a plain one or a database URL."""
    from crmdesk.cli import archive_url
    from crmdesk.ui.dialogs.archive_key import unlock_at_start

    if archive_url(args) or QSettings().value("database_url", ""):
        return Unlocking(cancelled=False)
    return unlock_at_start(paths.archive_path(paths.data_dir(args.data_dir)), username or "")


def run_gui(args: argparse.Namespace) -> int:
    """Open the archive chosen on the command line and run the main window until it closes."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName("crmdesk")
    app.setApplicationName("crmdesk")
    if args.lang is None:
        i18n.set_language(str(QSettings().value("language", i18n.DEFAULT_LANGUAGE)))
    install_font(app)
    install_qt_translation(app)
    username = args.user or os.environ.get("CRMDESK_USER")
    unlocking = unlock_before_open(args, username)
    if unlocking.cancelled:
        return 0
    location = open_at_start(args)
    if location is None:
        return 1
    actor = log_in_at_start(username, unlocking.credentials)
    if actor is None:
        return 0
    folder = paths.data_dir(args.data_dir)
    install_excepthook(str(paths.log_dir(folder) / LOG_FILE))
    from crmdesk.ui.desk_session import DeskSession  # the main window loads after the login

    session = DeskSession(location)  # kept until the program ends: it hands the desk over
    session.start(actor)
    return app.exec()

"""Office settings (managers and administrators): the branch as printouts name it, and the
numbers the office's rules run on. Every field is checked at once; a refusal keeps the form."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from crmdesk.errors import CrmError
from crmdesk.i18n import _
from crmdesk.services import office
from crmdesk.services.context import Actor
from crmdesk.services.visibility import Duty, may
from crmdesk.ui.idle_lock import IdleLock

if TYPE_CHECKING:
    from crmdesk.ui.main_window import MainWindow

LOGO_PREVIEW_HEIGHT = 40


class OfficeSettingsDialog(QDialog):
    """The office settings form; ``saved`` holds the names of the settings changed."""

    def __init__(self, actor: Actor | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Office settings"))
        self._actor = actor
        self.saved: list[str] = []
        current = office.office_settings()
        self.logo = current.branch_logo
        self.branch_name = QLineEdit(current.branch_name, self)
        self.branch_name.setObjectName("branchName")
        self.branch_address = QLineEdit(current.branch_address, self)
        self.branch_address.setObjectName("branchAddress")
        self.logo_preview = QLabel(self)
        self.logo_preview.setObjectName("logoPreview")
        choose_logo = QPushButton(_("Choose…"), self)
        choose_logo.clicked.connect(self.choose_logo)
        self.remove_logo = QPushButton(_("Remove"), self)
        self.remove_logo.clicked.connect(lambda: self.set_logo(b""))
        logo_row = QHBoxLayout()
        for widget in (self.logo_preview, choose_logo, self.remove_logo):
            logo_row.addWidget(widget)
        logo_row.addStretch(1)
        branch = QGroupBox(_("The branch, as every printout names it"), self)
        branch_form = QFormLayout(branch)
        branch_form.addRow(_("Branch name"), self.branch_name)
        branch_form.addRow(_("Branch address"), self.branch_address)
        branch_form.addRow(_("Logo (optional)"), logo_row)
        self.numbers: dict[str, QSpinBox] = {}
        rules = QGroupBox(_("The office's rules"), self)
        rules_form = QFormLayout(rules)
        for key, rule in office.NUMBERS.items():
            box = QSpinBox(self)
            box.setObjectName(key)
            value = getattr(current, key)
            if key in office.OPTIONAL_NUMBERS:
                box.setRange(rule.low - 1, rule.high)  # the lowest step means "no limit"
                box.setSpecialValueText(_("no limit"))
                box.setValue(rule.low - 1 if value is None else value)
            else:
                box.setRange(rule.low, rule.high)
                box.setValue(value)
            self.numbers[key] = box
            rules_form.addRow(_(rule.label), box)
        self.renewed = QCheckBox(_("Each contact by the owner starts the protection again"),
                                 self)
        self.renewed.setObjectName("protectionRenewedByContact")
        self.renewed.setChecked(current.protection_renewed_by_contact)
        self.renewed.setToolTip(_("Off: the handbook's rule, two months from when the owner got "
                                  "the customer, whatever contacts follow."))
        rules_form.addRow("", self.renewed)
        self.backup_folder = QLineEdit(current.backup_folder, self)
        self.backup_folder.setObjectName("backupFolder")
        self.backup_folder.setPlaceholderText(_("the data folder's backups/"))
        choose_folder = QPushButton(_("Choose…"), self)
        choose_folder.clicked.connect(self.choose_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.backup_folder, 1)
        folder_row.addWidget(choose_folder)
        rules_form.addRow(_("Backup folder"), folder_row)
        self.error = QLabel(self)
        self.error.setObjectName("error")
        self.error.setStyleSheet("color: #c5221f;")
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(branch)
        layout.addWidget(rules)
        layout.addWidget(QLabel(_("Changes apply at every desk; each is on the audit trail."),
                                self))
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.set_logo(self.logo)
        self.setMinimumWidth(560)

    def set_logo(self, data: bytes) -> None:
        """Show ``data`` as the logo to save (empty: none)."""
        self.logo = data
        pixmap = QPixmap()
        if data and pixmap.loadFromData(data):
            self.logo_preview.setPixmap(pixmap.scaledToHeight(
                LOGO_PREVIEW_HEIGHT, Qt.TransformationMode.SmoothTransformation))
        else:
            self.logo_preview.setPixmap(QPixmap())
            self.logo_preview.setText(_("(unreadable picture)") if data else _("none"))
        self.remove_logo.setEnabled(bool(data))

    def choose_logo(self) -> None:
        """Pick a PNG or JPEG picture for the logo."""
        path, _selected = QFileDialog.getOpenFileName(
            self, _("Logo"), "", _("Pictures (*.png *.jpg *.jpeg)"))
        if path:
            try:
                self.set_logo(Path(path).read_bytes())
            except OSError as exc:
                self.error.setText(_("Cannot read {path}: {reason}").format(
                    path=path, reason=exc.strerror or exc))

    def choose_folder(self) -> None:
        """Pick the folder for automatic backups."""
        folder = QFileDialog.getExistingDirectory(self, _("Backup folder"),
                                                  self.backup_folder.text())
        if folder:
            self.backup_folder.setText(folder)

    def values(self) -> office.OfficeSettings:
        """The settings as the form holds them."""
        numbers: dict[str, int | None] = {}
        for key, box in self.numbers.items():
            empty = key in office.OPTIONAL_NUMBERS and box.value() == box.minimum()
            numbers[key] = None if empty else box.value()
        return office.OfficeSettings(
            branch_name=self.branch_name.text(), branch_address=self.branch_address.text(),
            branch_logo=self.logo, backup_folder=self.backup_folder.text(),
            protection_renewed_by_contact=self.renewed.isChecked(), **numbers)

    def save(self) -> None:
        """Store the settings; a refusal is listed above the buttons and the form stays."""
        try:
            self.saved = office.save_office_settings(self._actor, self.values())
        except CrmError as exc:
            self.error.setText(str(exc))
            return
        self.accept()


def install(window: MainWindow) -> None:
    """Offer the office settings to managers and administrators in the archive menu."""
    if not may(window.actor, Duty.BUSINESS_SETTINGS):
        return

    def open_settings() -> None:
        dialog = OfficeSettingsDialog(window.actor, window)
        if dialog.exec() and dialog.saved:
            lock = window.findChild(IdleLock)
            if lock is not None:
                lock.set_minutes(float(dialog.values().idle_lock_minutes))
            window.statusBar().showMessage(_("Office settings saved."), 8000)

    window.add_archive_entries([window.action(_("Office settings…"), open_settings,
                                              name="officeSettings")])

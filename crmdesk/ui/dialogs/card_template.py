"""Choosing the office's ready-made card (展厅 / 电话销售 / 单位大客户): a picker shown when the
office is set up, and the dialog where a manager or administrator picks another later."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from crmdesk.i18n import _
from crmdesk.services import card_templates
from crmdesk.services.context import Actor
from crmdesk.services.visibility import Duty, may
from crmdesk.ui.errors import attempt

if TYPE_CHECKING:
    from crmdesk.ui.main_window import MainWindow


class TemplatePicker(QWidget):
    """The templates in a drop-down, with what the chosen one shows and its levels."""

    def __init__(self, chosen: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.choice = QComboBox(self)
        self.choice.setObjectName("cardTemplate")
        for template in card_templates.templates():
            self.choice.addItem(template.label, template.key)
        self.choice.setCurrentIndex(max(self.choice.findData(chosen), 0))
        self.about = QLabel(self)
        self.about.setWordWrap(True)
        self.choice.currentIndexChanged.connect(self._describe)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.choice)
        layout.addWidget(self.about)
        self._describe()

    def key(self) -> str:
        """The key of the template chosen."""
        return str(self.choice.currentData())

    def _describe(self) -> None:
        self.about.setText(card_templates.TEMPLATES[self.key()].about)


class CardTemplateDialog(QDialog):
    """Pick another ready-made card; the form and the levels follow at every desk."""

    def __init__(self, actor: Actor | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._actor = actor
        self.setWindowTitle(_("Card template"))
        current = card_templates.current_template()
        self.picker = TemplatePicker(current, self)
        note = QLabel(_("Hidden fields keep what they hold and come back under a template "
                        "that shows them; levels customers use are kept."), self)
        note.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Apply | QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Apply).clicked.connect(self.apply)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("The office's card and levels:"), self))
        layout.addWidget(self.picker)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)

    def apply(self) -> None:
        """Ask once, then apply the template chosen."""
        if QMessageBox.question(self, self.windowTitle(), _(
                "Use the card template “{name}”? It replaces the hidden fields and the level "
                "scheme.").format(name=self.picker.choice.currentText())
                ) != QMessageBox.StandardButton.Yes:
            return
        key, actor = self.picker.key(), self._actor
        if attempt(self, self.windowTitle(),
                   lambda: card_templates.apply_template(key, actor)):
            self.accept()


def install(window: MainWindow) -> None:
    """Offer the card template to managers and administrators in the archive menu."""
    if not may(window.actor, Duty.BUSINESS_SETTINGS):
        return

    def open_templates() -> None:
        if CardTemplateDialog(window.actor, window).exec():
            window.statusBar().showMessage(_("Card template applied."), 8000)

    window.add_archive_entries([window.action(_("Card template…"), open_templates,
                                              name="cardTemplates")])

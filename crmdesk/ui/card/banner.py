"""The line above an open card saying how it must be handled: 机密/绝密, or only to look at.

A card opened read-only (the front desk at a salesperson's customer) also has every editor
locked, so nothing can be typed that could never be saved.
"""
from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTableWidget,
    QWidget,
)

from crmdesk.i18n import _

STYLES = {
    "secret": "background: #b3261e; color: white; font-weight: bold; padding: 4px 8px;",
    "confidential": "background: #f9ab00; color: black; font-weight: bold; padding: 4px 8px;",
    "read_only": "background: #e8eaed; color: #202124; padding: 4px 8px;",
}


def banner_text(confidentiality: str | None, read_only: bool, owner: str) -> tuple[str, str]:
    """The banner's text and style key for a card ('' when the card needs none)."""
    parts, style = [], ""
    if confidentiality == "secret":
        parts.append(_("绝密 (top secret): only its owner and the people a manager named may "
                       "read this archive. Do not copy it or pass it on."))
        style = "secret"
    elif confidentiality == "confidential":
        parts.append(_("机密 (confidential): only its owner and managers may read this "
                       "archive."))
        style = "confidential"
    if read_only:
        parts.append(_("Read-only: {owner}'s customer. You may look at and print the card, "
                       "not change it.").format(owner=owner or _("no owner")))
        style = style or "read_only"
    return " ".join(parts), style


class CardBanner(QLabel):
    """Shown only for a 机密/绝密 card or one opened read-only."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cardBanner")
        self.setWordWrap(True)
        self.hide()

    def show_for(self, confidentiality: str | None, read_only: bool, owner: str) -> None:
        """Say how the card on screen must be handled, or hide."""
        text, style = banner_text(confidentiality, read_only, owner)
        self.setText(text)
        self.setStyleSheet(STYLES.get(style, ""))
        self.setVisible(bool(text))

# The edit triggers a table had before it was first locked.
_UNLOCKED_TRIGGERS = "unlockedEditTriggers"


def lock_editors(widgets: Iterable[QWidget], locked: bool) -> None:
    """Make each of ``widgets`` (field editors, record tables) and what they hold read-only."""
    for top in widgets:
        for widget in [top, *top.findChildren(QWidget)]:
            if isinstance(widget, QLineEdit | QPlainTextEdit):
                if not isinstance(widget.parent(), QComboBox):
                    widget.setReadOnly(locked)
            elif isinstance(widget, QComboBox | QAbstractButton):
                widget.setEnabled(not locked)
            elif isinstance(widget, QTableWidget):
                # Not "editTriggers": that names the table's own Qt property, which would
                # give back the locked triggers on unlocking.
                if widget.property(_UNLOCKED_TRIGGERS) is None:
                    widget.setProperty(_UNLOCKED_TRIGGERS, int(widget.editTriggers().value))
                widget.setEditTriggers(
                    QAbstractItemView.EditTrigger.NoEditTriggers if locked else
                    QAbstractItemView.EditTrigger(widget.property(_UNLOCKED_TRIGGERS)))

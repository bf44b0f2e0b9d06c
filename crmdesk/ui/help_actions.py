"""The Help menu: the short manual (F1) and the list of keyboard shortcuts, before "About".

The shortcut list is read from the window's own actions, so it names every shortcut this
person's window has and nothing it lacks.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QUrl
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from crmdesk import i18n, paths
from crmdesk.i18n import _

if TYPE_CHECKING:
    from pathlib import Path

    from crmdesk.ui.main_window import MainWindow

MANUAL_KEY = "F1"


def manual_file(language: str | None = None) -> Path:
    """The manual in ``language`` (default: the interface's), else the English one."""
    chosen = paths.RESOURCES_DIR / "manual" / f"{language or i18n.language()}.html"
    return chosen if chosen.exists() else paths.RESOURCES_DIR / "manual" / "en.html"


class ManualWindow(QDialog):
    """The manual, with links between its sections; stays open beside the main window."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("crmdesk manual"))
        self.browser = QTextBrowser(self)
        self.browser.setObjectName("manual")
        self.browser.setOpenExternalLinks(False)
        self.browser.setSource(QUrl.fromLocalFile(str(manual_file())))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.resize(720, 620)


def shortcuts(window: QWidget) -> list[tuple[str, str]]:
    """(what, keys) of every action with a shortcut in ``window``, each once, by keys."""
    found: dict[tuple[str, str], None] = {}
    for action in window.findChildren(QAction):
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        if keys and action.isEnabled():
            found[(action.text().replace("&", "").rstrip("…"), keys)] = None
    return sorted(found, key=lambda pair: (len(pair[1]), pair[1], pair[0]))


class ShortcutsDialog(QDialog):
    """The keyboard shortcuts of the window, two columns: what and keys."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setWindowTitle(_("Keyboard shortcuts"))
        rows = shortcuts(window)
        self.table = QTableWidget(len(rows), 2, self)
        self.table.setObjectName("shortcuts")
        self.table.setHorizontalHeaderLabels([_("What"), _("Keys")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        for row, (what, keys) in enumerate(rows):
            self.table.setItem(row, 0, QTableWidgetItem(what))
            self.table.setItem(row, 1, QTableWidgetItem(keys))
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.ResizeToContents)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(460, 520)


def install(window: MainWindow) -> None:
    """Put the manual (F1) and the shortcut list at the top of the Help menu."""
    manual: list[ManualWindow] = []

    def show_manual() -> None:
        if not manual:
            manual.append(ManualWindow(window))
        manual[0].show()
        manual[0].raise_()

    entries = [window.action(_("Manual"), show_manual, MANUAL_KEY, "manual"),
               window.action(_("Keyboard shortcuts"), lambda: ShortcutsDialog(window).exec(),
                             None, "shortcutList")]
    menu = window.menu(_("&Help"))
    first = menu.actions()[0] if menu.actions() else None
    menu.insertActions(first, entries)
    if first is not None:
        menu.insertSeparator(first)

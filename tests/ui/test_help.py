"""Help: the manual on F1 in the interface's language, the window's shortcuts listed."""
from __future__ import annotations

from PySide6.QtGui import QAction

from crmdesk import i18n
from crmdesk.ui.help_actions import ManualWindow, ShortcutsDialog, manual_file, shortcuts


def test_f1_opens_the_manual_in_chinese(qtbot, window):
    action = window.findChild(QAction, "manual")
    assert action.shortcut().toString() == "F1"
    action.trigger()
    manual = window.findChild(ManualWindow)
    assert manual is not None and manual.isVisible()
    text = manual.browser.toPlainText()
    assert "简明手册" in text and "F2" in text and "Ctrl+L" in text


def test_the_manual_falls_back_to_english(monkeypatch):
    assert manual_file("en").name == "en.html"
    assert manual_file("fr").name == "en.html"
    monkeypatch.setattr(i18n, "language", lambda: "zh_CN")
    assert manual_file().name == "zh_CN.html"


def test_the_shortcut_list_names_the_windows_own_shortcuts(qtbot, window):
    keys = dict((keys, what) for what, keys in shortcuts(window))
    for key in ("F1", "F2", "Ctrl+L", "Ctrl+F", "Ctrl+S", "Ctrl+Shift+Q"):
        assert key in keys, key
    dialog = ShortcutsDialog(window)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == len(keys)


def test_help_lists_manual_and_shortcuts_before_about(window):
    menus = [a.menu() for a in window.menuBar().actions() if a.menu()]
    help_menu = next(m for m in menus if "manual" in [a.objectName() for a in m.actions()])
    entries = [a.text() for a in help_menu.actions() if not a.isSeparator()]
    assert entries[:2] == [window.findChild(QAction, "manual").text(),
                           window.findChild(QAction, "shortcutList").text()]
    assert len(entries) == 3  # and About

"""Qt's own file dialog in Chinese: the file types and the list's sizes and dates."""
from __future__ import annotations

import re

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QFileDialog, QFileSystemModel, QLineEdit

from crmdesk.ui.qt_translation import (
    DATE_COLUMN,
    SIZE_COLUMN,
    AccessKeyFallback,
    FileDialogLocale,
    FileListLocale,
)

CHINA = QLocale(QLocale.Language.Chinese, QLocale.Country.China)
TYPE_COLUMN = 2


def test_a_folder_is_called_a_folder_in_chinese(qapp):
    from crmdesk.ui.app import install_qt_translation

    install_qt_translation(qapp)
    # Qt 6 asks for the type names under a class its Chinese catalogue does not know yet.
    assert AccessKeyFallback().translate("QAbstractFileIconProvider", "Folder",
                                         "All other platforms") == "文件夹"
    assert AccessKeyFallback().translate("QAbstractFileIconProvider", "No such words") is None


def _listed(qtbot, model: QFileSystemModel, folder) -> None:
    root = model.setRootPath(str(folder))
    qtbot.waitUntil(lambda: model.rowCount(root) == 2, timeout=5000)


def test_the_file_list_writes_dates_and_sizes_the_crmdesk_way(qtbot, tmp_path):
    (tmp_path / "备份").mkdir()
    (tmp_path / "客户.xlsx").write_bytes(b"x" * 1500)
    source = QFileSystemModel()
    listed = FileListLocale(CHINA)
    listed.setSourceModel(source)
    _listed(qtbot, source, tmp_path)
    rows = {}
    for row in range(listed.rowCount(listed.mapFromSource(source.index(str(tmp_path))))):
        parent = listed.mapFromSource(source.index(str(tmp_path)))
        cells = [listed.index(row, c, parent).data() for c in range(4)]
        rows[cells[0]] = cells
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", rows["客户.xlsx"][DATE_COLUMN])
    assert rows["客户.xlsx"][SIZE_COLUMN] == CHINA.formattedDataSize(
        1500, 1, QLocale.DataSizeFormat.DataSizeTraditionalFormat)
    assert rows["备份"][SIZE_COLUMN] == ""


def test_a_file_dialog_gets_the_list_when_it_takes_the_focus(qtbot, qapp, tmp_path):
    FileDialogLocale(qapp, CHINA)
    dialog = QFileDialog(None, "", str(tmp_path))
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitActive(dialog)
    dialog.findChild(QLineEdit, "fileNameEdit").setFocus()
    qtbot.waitUntil(lambda: isinstance(dialog.proxyModel(), FileListLocale), timeout=3000)

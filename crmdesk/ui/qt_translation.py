"""Qt's own words (file dialogs, standard buttons) in Chinese, including those Qt renamed or moved.

Qt's Chinese catalogue predates some of its strings gaining an access key ("&Look in:",
"Files of &type:") and the file type names ("Folder") moving to another class, so the file
dialog showed them in English. A fallback translator looks such a string up again without its
access key, or where the catalogue keeps it.

Qt's own file dialog (used where the desktop offers none) also writes sizes and dates by the
computer's regional settings, which on a computer without any are English and day month year;
its list then shows them as the rest of crmdesk does.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QIdentityProxyModel,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTranslator,
)
from PySide6.QtWidgets import QApplication, QFileDialog, QFileSystemModel, QTreeView, QWidget

# Classes Qt 6 moved strings to -> the class under which Qt's catalogue still has them.
FORMER_CONTEXTS = {"QAbstractFileIconProvider": "QFileDialog"}
# QFileSystemModel's columns that Qt writes by the regional settings.
SIZE_COLUMN, DATE_COLUMN = 1, 3
DATE_FORMAT = "yyyy-MM-dd HH:mm"


class AccessKeyFallback(QTranslator):
    """Translates a string by its text without '&', or under the class that used to hold it,
    when the catalogues lack the string itself."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._busy = False

    def isEmpty(self) -> bool:
        return False

    def translate(self, context: str, source: str, disambiguation: str | None = None,
                  n: int = -1) -> str | None:
        # None is Qt's null string, "not translated here": the next catalogue is asked.
        former = FORMER_CONTEXTS.get(context)
        if self._busy or not source or ("&" not in source and former is None):
            return None
        plain = source.replace("&", "")
        self._busy = True  # the lookup below asks every translator again, this one included
        try:
            if former is not None:  # the old catalogue has no disambiguation for these
                found = QCoreApplication.translate(former, plain, None, n)
            else:
                found = QCoreApplication.translate(context, plain, disambiguation, n)
        finally:
            self._busy = False
        return found if found != plain else None


class FileListLocale(QIdentityProxyModel):
    """A file dialog's list with dates as yyyy-mm-dd hh:mm and sizes in ``locale``'s words."""

    def __init__(self, locale: QLocale, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._locale = locale

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        source = self.sourceModel()
        if (role != Qt.ItemDataRole.DisplayRole or not isinstance(source, QFileSystemModel)
                or index.column() not in (SIZE_COLUMN, DATE_COLUMN)):
            return super().data(index, role)
        info = source.fileInfo(self.mapToSource(index))
        if index.column() == DATE_COLUMN:
            return info.lastModified().toString(DATE_FORMAT)
        if not info.isFile():
            return ""
        return self._locale.formattedDataSize(
            info.size(), 1, QLocale.DataSizeFormat.DataSizeTraditionalFormat)


class FileDialogLocale(QObject):
    """Gives every file dialog of the program the ``FileListLocale`` list when it takes the
    focus (the static QFileDialog functions offer no other hook, and an application-wide event
    filter would see every event of the program)."""

    def __init__(self, app: QApplication, locale: QLocale) -> None:
        super().__init__(app)
        self._locale = locale
        app.focusChanged.connect(self._focus_changed)

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        dialog = new.window() if new is not None else None
        if isinstance(dialog, QFileDialog):
            self.apply(dialog)

    def apply(self, dialog: QFileDialog) -> None:
        """Show ``dialog``'s list the crmdesk way (once; a dialog's own proxy is kept)."""
        if dialog.proxyModel() is None:
            dialog.setProxyModel(FileListLocale(self._locale, dialog))
            details = dialog.findChild(QTreeView, "treeView")
            if details is not None:  # the column was sized for the regional settings' dates
                details.header().resizeSection(
                    DATE_COLUMN, details.fontMetrics().horizontalAdvance("2026-12-31 23:59") + 16)

"""A grey sentence in the middle of an empty table, so an empty list says why it is empty."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractItemView, QLabel

NOTE_STYLE = "color: #80868b; padding: 12px;"


class EmptyNote(QLabel):
    """Shown over ``view``'s empty area whenever its model has no rows."""

    def __init__(self, view: QAbstractItemView, text: str) -> None:
        super().__init__(text, view.viewport())
        self.setObjectName("emptyNote")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
        self.setStyleSheet(NOTE_STYLE)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self._view = view
        view.viewport().installEventFilter(self)
        model = view.model()
        for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved,
                       model.layoutChanged):
            signal.connect(self.update_visibility)
        self.update_visibility()

    def say(self, text: str) -> None:
        """Change what the empty table says (for instance after a search)."""
        self.setText(text)

    def update_visibility(self, *_args: object) -> None:
        """Show the note only while the table has no rows, spread over its viewport."""
        self.resize(self._view.viewport().size())
        self.setVisible(self._view.model().rowCount() == 0)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.resize(self._view.viewport().size())
        return False

"""Column widths of a list: shared out to fit the list's width, then as each user left them.

Until a user drags a column, the columns share the view's width by weight (a name gets more
room than a level code), so every column shows without scrolling sideways. Once dragged, the
widths are kept per user and list, and the same user finds them again at the next start.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QEvent, QObject, QSettings, QTimer
from PySide6.QtWidgets import QStyle, QTableView

SAVE_DELAY_MS = 400
MIN_WIDTH = 36


def shared_widths(total: int, weights: Sequence[int], minimum: Sequence[int]) -> list[int]:
    """``total`` pixels shared by ``weights``, each column at least its ``minimum``."""
    widths = [max(m, total * w // max(sum(weights), 1)) for w, m in zip(weights, minimum,
                                                                         strict=True)]
    excess = sum(widths) - total
    # Take what the minimums added back from the widest columns.
    while excess > 0 and any(w > m for w, m in zip(widths, minimum, strict=True)):
        widest = max(range(len(widths)), key=lambda i: widths[i] - minimum[i])
        cut = min(excess, widths[widest] - minimum[widest])
        widths[widest] -= cut
        excess -= cut
    return widths


class ColumnWidths(QObject):
    """Keeps ``view``'s column widths fitted to its width, or as ``user`` last left them."""

    def __init__(self, view: QTableView, list_name: str, user: str,
                 weights: Sequence[int], samples: Mapping[int, str] | None = None) -> None:
        super().__init__(view)
        self._view = view
        self._weights = list(weights)
        # Text a column must show whole (an archive number): its width is the column's least.
        self._samples = dict(samples or {})
        self._key = f"columns/{user}/{list_name}"
        self._applying = False
        self._dragged = False
        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(SAVE_DELAY_MS)
        self._save_timer.timeout.connect(self.save)
        header = view.horizontalHeader()
        header.setStretchLastSection(False)
        saved = QSettings().value(self._key)
        if isinstance(saved, list | tuple) and len(saved) == len(self._weights):
            self._dragged = True
            self._set([int(w) for w in saved])
        header.sectionResized.connect(self._resized)
        view.viewport().installEventFilter(self)

    def _minimums(self) -> list[int]:
        header = self._view.horizontalHeader()
        metrics = header.fontMetrics()
        model = self._view.model()
        titles = [str(model.headerData(c, header.orientation()) or "")
                  for c in range(len(self._weights))]
        cells = self._view.fontMetrics()
        # Room for the title and the sort arrow, and for a sample of what the column holds.
        return [max(MIN_WIDTH, metrics.horizontalAdvance(title) + 24,
                    cells.horizontalAdvance(self._samples.get(c, "")) + 14)
                for c, title in enumerate(titles)]

    def needed_width(self) -> int:
        """The view's width that shows every column at its least width without scrolling
        sideways, with room for the vertical scroll bar."""
        view = self._view
        bar = view.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, view)
        return sum(self._minimums()) + bar + 2 * view.frameWidth()

    def fit(self) -> None:
        """Share the view's width out by weight (until the user drags a column)."""
        if self._dragged:
            return
        self._set(shared_widths(self._view.viewport().width(), self._weights, self._minimums()))

    def _set(self, widths: Sequence[int]) -> None:
        self._applying = True
        for column, width in enumerate(widths):
            self._view.setColumnWidth(column, width)
        self._applying = False

    def _resized(self, *_args: object) -> None:
        if not self._applying:
            self._dragged = True
            self._save_timer.start()

    def widths(self) -> list[int]:
        """The columns' widths now."""
        return [self._view.columnWidth(c) for c in range(len(self._weights))]

    def save(self) -> None:
        """Keep the widths for this user and list."""
        QSettings().setValue(self._key, self.widths())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.fit()
        return False

"""One tile of a home page: a title, a figure that opens the tile's list, and its first lines.

Clicking the figure (or a line that names no archive) opens the list the tile summarises;
clicking a line that names an archive opens that card.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from crmdesk.services.workbench import Line, Tile

CUSTOMER_ROLE = Qt.ItemDataRole.UserRole + 1
SHOWN_LINES = 10  # lines visible without scrolling: a duty list, the office's salespeople


def line_text(line: Line) -> str:
    """A line as a tile and a list show it."""
    return f"{line.title}    {line.detail}" if line.detail else line.title


class TileView(QFrame):
    """A tile; ``opened`` asks for its list, ``customer_chosen`` for a card."""

    opened = Signal()
    customer_chosen = Signal(int)

    def __init__(self, key: str, title: str, parent: QWidget | None = None,
                 warn_when_any: bool = False) -> None:
        super().__init__(parent)
        self.key = key
        self.setObjectName(f"tile_{key}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._warn = warn_when_any
        self.title = QLabel(title, self)
        self.title.setStyleSheet("font-size: 12pt; font-weight: bold;")
        self.figure = QPushButton("…", self)
        self.figure.setObjectName(f"tile_{key}_figure")
        self.figure.setFlat(True)
        self.figure.setCursor(Qt.CursorShape.PointingHandCursor)
        self.figure.clicked.connect(self.opened.emit)
        self.lines = QListWidget(self)
        self.lines.setObjectName(f"tile_{key}_lines")
        self.lines.setFrameShape(QFrame.Shape.NoFrame)
        self.lines.setUniformItemSizes(True)
        line_height = self.lines.fontMetrics().lineSpacing() + 4
        self.lines.setFixedHeight(line_height * SHOWN_LINES + 2 * self.lines.frameWidth() + 4)
        self.lines.itemClicked.connect(self._line_clicked)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.figure)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.lines)
        self._show_figure("…", False)

    def show_tile(self, tile: Tile, figure: str | None = None) -> None:
        """Show the tile's count (or ``figure`` in its place) and its lines."""
        self._show_figure(str(tile.count) if figure is None else figure,
                          self._warn and tile.count > 0)
        self.lines.clear()
        for line in tile.lines:
            item = QListWidgetItem(line_text(line), self.lines)
            item.setData(CUSTOMER_ROLE, line.customer_id)
            item.setToolTip(line_text(line))

    def _show_figure(self, text: str, warn: bool) -> None:
        self.figure.setText(text)
        colour = "#c5221f" if warn else "#1a4f8b"
        self.figure.setStyleSheet(
            f"font-size: 22pt; font-weight: bold; color: {colour}; padding: 0 8px;")

    def _line_clicked(self, item: QListWidgetItem) -> None:
        customer_id = item.data(CUSTOMER_ROLE)
        if customer_id is None:
            self.opened.emit()
        else:
            self.customer_chosen.emit(int(customer_id))

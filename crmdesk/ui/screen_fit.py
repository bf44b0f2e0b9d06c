"""Windows sized for the screen they open on: an office PC may have only 1366 x 768."""
from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

# Room left for the window's frame and title bar.
FRAME = QSize(40, 60)


def fitted_size(widget: QWidget, wanted: QSize) -> QSize:
    """``wanted``, shrunk to fit the screen ``widget`` shows on (its frame and the task bar
    left out), so no window opens larger than the screen."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        return wanted
    room = screen.availableSize()
    return QSize(min(wanted.width(), room.width() - FRAME.width()),
                 min(wanted.height(), room.height() - FRAME.height()))

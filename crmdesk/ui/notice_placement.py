"""Where a notice pops up: in the corner by the bell, clear of any modal dialog.

A notice is not modal and stays on top, so wherever it lands it hides what is beneath: it
goes just above the bell at the window's bottom right, where the status bar and the card's
last lines are, and never over a dialog that is waiting for an answer (the visit form, a
question); when that corner is taken, it tries the screen's other corners.
"""
from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtWidgets import QApplication, QWidget

MARGIN = 8
# The window manager's frame and title bar around a window not yet shown.
FRAME = QSize(4, 32)


def _inside(rect: QRect, room: QRect) -> QRect:
    """``rect`` moved (not resized) as little as needed to lie within ``room``."""
    x = max(room.left(), min(rect.left(), room.right() - rect.width() + 1))
    y = max(room.top(), min(rect.top(), room.bottom() - rect.height() + 1))
    return QRect(QPoint(x, y), rect.size())


def _overlap(rect: QRect, avoid: Sequence[QRect]) -> int:
    shared = (rect.intersected(other) for other in avoid)
    return sum(part.width() * part.height() for part in shared if not part.isEmpty())


def notice_position(size: QSize, bell: QRect, room: QRect, avoid: Sequence[QRect]) -> QPoint:
    """Top-left corner for a notice of ``size`` (with its frame): right-aligned just above
    ``bell``, inside ``room`` (the screen's available area) and off every rectangle of ``avoid``
    (all in screen coordinates). When the corner by the bell is covered, the screen's bottom
    right, top right, bottom left and top left follow; if all are covered, the least covered."""
    near_bell = QRect(QPoint(bell.right() - size.width() + 1,
                             bell.top() - size.height() - MARGIN), size)
    inner = room.adjusted(MARGIN, MARGIN, -MARGIN, -MARGIN)
    corners = [QRect(QPoint(0, 0), size) for _ in range(4)]
    corners[0].moveBottomRight(inner.bottomRight())
    corners[1].moveTopRight(inner.topRight())
    corners[2].moveBottomLeft(inner.bottomLeft())
    corners[3].moveTopLeft(inner.topLeft())
    candidates = [_inside(near_bell, room), *corners]
    clear = [rect for rect in candidates if _overlap(rect, avoid) == 0]
    chosen = clear[0] if clear else min(candidates, key=lambda rect: _overlap(rect, avoid))
    return chosen.topLeft()


def modal_dialogs(besides: QWidget | None = None) -> list[QRect]:
    """Where the visible modal windows are (a dialog waiting for an answer), ``besides`` left
    out."""
    return [widget.frameGeometry() for widget in QApplication.topLevelWidgets()
            if widget.isVisible() and widget.isModal() and widget is not besides]


def place_notice(popup: QWidget, bell: QWidget) -> None:
    """Move ``popup`` beside ``bell``, clear of the modal dialogs open now."""
    size = popup.frameGeometry().size() if popup.isVisible() else popup.sizeHint().expandedTo(
        popup.minimumSize()) + FRAME
    screen = bell.screen() or popup.screen()
    room = screen.availableGeometry()
    bell_rect = QRect(bell.mapToGlobal(QPoint(0, 0)), bell.size())
    popup.move(notice_position(size, bell_rect, room, modal_dialogs(popup)))

"""The Qt alignment of a declared list column's kind (LEFT, CENTER, RIGHT)."""
from __future__ import annotations

from PySide6.QtCore import Qt

_V = Qt.AlignmentFlag.AlignVCenter
ALIGNMENTS = {
    "LEFT": Qt.AlignmentFlag.AlignLeft | _V,
    "CENTER": Qt.AlignmentFlag.AlignHCenter | _V,
    "RIGHT": Qt.AlignmentFlag.AlignRight | _V,
}

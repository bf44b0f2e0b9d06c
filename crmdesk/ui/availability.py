"""Menu entries a user cannot use right now are greyed out, with the reason as their tooltip.

Each entry is given a function returning why it is unavailable ('' when it may be used). The
reasons are asked again whenever the state they depend on may have changed (a menu opening, a
card shown, the selection changing), so a shortcut never runs an entry that would refuse.
"""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

Reason = Callable[[], str]


class Availability(QObject):
    """Keeps a set of actions enabled or greyed out, each by its reason function (lives as long
    as ``parent``, the window whose state the reasons read)."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._guards: list[tuple[QAction, Reason, str]] = []

    def guard(self, action: QAction, reason: Reason) -> None:
        """Grey ``action`` out, with ``reason()`` as its tooltip, whenever it gives a reason."""
        self._guards.append((action, reason, action.toolTip()))
        self._apply(action, reason, action.toolTip())

    def watch_menu(self, menu: QMenu) -> None:
        """Show tooltips in ``menu`` and check the reasons each time it opens."""
        menu.setToolTipsVisible(True)
        menu.aboutToShow.connect(self.refresh)

    def refresh(self, *_args: object) -> None:
        """Ask every reason again."""
        for action, reason, tip in self._guards:
            self._apply(action, reason, tip)

    @staticmethod
    def _apply(action: QAction, reason: Reason, tip: str) -> None:
        why = reason()
        action.setEnabled(not why)
        action.setToolTip(why or tip or action.text().replace("&", ""))

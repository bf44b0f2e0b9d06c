"""Hearing other desks: the change log read every half second, off the UI thread.

``LiveUpdates`` asks the headless ``ChangeFeed`` for events other desks committed and tells the
window which kinds of data changed (to refresh its views) and when the user has new notices.
A poll still running (a slow server) is not doubled up; a failed poll is tried again on the next
tick (the connection line in the status bar tells the user while the server is away).
"""
from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal

from crmdesk.services.changes import Change, ChangeFeed, prune
from crmdesk.services.context import Actor
from crmdesk.ui.tasks import TaskRunner

log = logging.getLogger(__name__)
POLL_MS = 500


class LiveUpdates(QObject):
    """Signals ``changed`` (the kinds of data other desks changed, each with the ids touched) and
    ``notices`` (the actor has new notices)."""

    changed = Signal(object)  # dict kind -> set of ids
    notices = Signal()

    def __init__(self, tasks: TaskRunner, actor: Actor | None, parent: QObject | None = None,
                 interval_ms: int = POLL_MS) -> None:
        super().__init__(parent)
        self._tasks, self._actor = tasks, actor
        self._feed = ChangeFeed()
        self._busy = False
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.poll)
        self._timer.start()
        # No open window needs events older than a day: each new window clears them away.
        tasks.run(prune, lambda _count: None,
                  on_error=lambda exc: log.warning("pruning the change log failed: %s", exc))

    def stop(self) -> None:
        """Stop listening (the window is closing)."""
        self._timer.stop()

    def poll(self) -> None:
        if self._busy:
            return
        self._busy = True
        self._tasks.run(self._feed.poll, self._deliver, channel="live-updates",
                        on_error=self._failed)

    def _failed(self, error: Exception) -> None:
        self._busy = False
        log.warning("reading other desks' changes failed: %s", error)

    def _deliver(self, events: list[Change]) -> None:
        self._busy = False
        touched: dict[str, set[int]] = {}
        mine = self._actor.staff_id if self._actor else None
        for event in events:
            if event.kind == "notices":
                if mine in event.ids:
                    self.notices.emit()
            elif not event.own:
                touched.setdefault(event.kind, set()).update(event.ids)
        if touched:
            self.changed.emit(touched)

"""Hearing other desks: the change log read every half second, off the UI thread.

``LiveUpdates`` asks the headless ``ChangeFeed`` for events other desks committed and publishes
them on the window's ``ChangeHub`` (marked ``elsewhere``; this desk's own changes reach the hub
from its operations), and signals ``notices`` when the user has new notices. A poll still
running (a slow server) is not doubled up; a failed poll is tried again on the next tick (the
connection line in the status bar tells the user while the server is away).
"""
from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal

from crmdesk.services.changes import Change, ChangeFeed, prune
from crmdesk.services.context import Actor
from crmdesk.ui.change_hub import ChangeHub, Changes
from crmdesk.ui.operations import Operations

log = logging.getLogger(__name__)
POLL_MS = 500


class LiveUpdates(QObject):
    """Publishes other desks' changes on ``hub``; ``notices``: the actor has new notices."""

    notices = Signal()

    def __init__(self, operations: Operations, hub: ChangeHub, actor: Actor | None,
                 parent: QObject | None = None, interval_ms: int = POLL_MS) -> None:
        super().__init__(parent)
        self._operations, self._hub, self._actor = operations, hub, actor
        self._feed = ChangeFeed()
        self._busy = False
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.poll)
        self._timer.start()
        # No open window needs events older than a day: each new window clears them away.
        operations.run(prune, on_error=lambda exc: log.warning(
            "pruning the change log failed: %s", exc))

    def stop(self) -> None:
        """Stop listening (the window is closing)."""
        self._timer.stop()

    def poll(self) -> None:
        """Read the events committed since the last poll (unless a poll is still running)."""
        if self._busy:
            return
        self._busy = True
        self._operations.run(self._feed.poll, self._deliver, on_error=self._failed)

    def _failed(self, error: Exception) -> None:
        self._busy = False
        log.warning("reading other desks' changes failed: %s", error)

    def _deliver(self, events: list[Change]) -> None:
        self._busy = False
        mine = self._actor.staff_id if self._actor else None
        if any(event.kind == "notices" and mine in event.ids for event in events):
            self.notices.emit()
        self._hub.publish(Changes.of(((event.kind, event.ids) for event in events
                                      if not event.own and event.kind != "notices"),
                                     elsewhere=True))

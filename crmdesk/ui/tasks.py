"""Work off the UI thread: queries run on one background worker and answer on the UI thread.

Only this module starts threads. Each archive query runs on a single worker thread (peewee gives
it its own connection); the result comes back through a queued signal. Callers that fire many
queries (search as you type) pass a ``channel``: only the newest request of a channel delivers.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)


class _Relay(QObject):
    done = Signal(object, object, object)  # callback, result, error


class _Job(QRunnable):
    def __init__(self, work: Callable[[], Any], callback: Callable[[Any], None],
                 relay: _Relay) -> None:
        super().__init__()
        self._work, self._callback, self._relay = work, callback, relay

    def run(self) -> None:
        try:
            result, error = self._work(), None
        except Exception as exc:  # delivered to the UI thread, which decides what to show
            log.exception("background task failed")
            result, error = None, exc
        self._relay.done.emit(self._callback, result, error)


class TaskRunner(QObject):
    """Runs callables on one background thread and hands results back on the UI thread."""

    failed = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._relay = _Relay(self)
        self._relay.done.connect(self._deliver)
        self._latest: dict[str, int] = {}
        self._counter = 0

    def run(self, work: Callable[[], Any], callback: Callable[[Any], None],
            channel: str | None = None,
            on_error: Callable[[Exception], None] | None = None) -> None:
        """Run ``work()`` in the background, then ``callback(result)`` on the UI thread.

        An exception goes to ``on_error`` when given, else to the ``failed`` signal.
        """
        self._counter += 1
        ticket = self._counter
        if channel:
            self._latest[channel] = ticket

        def deliver(result: Any, error: Exception | None) -> None:
            if channel is not None and self._latest.get(channel) != ticket:
                return
            if error is None:
                callback(result)
            elif on_error is not None:
                on_error(error)
            else:
                self.failed.emit(error)

        self._pool.start(_Job(work, deliver, self._relay))

    def wait(self, msecs: int = 30000) -> bool:
        """Block until every queued task has finished (tests and shutdown)."""
        return self._pool.waitForDone(msecs)

    def _deliver(self, deliver: Callable[[Any, Any], None], result: Any, error: Any) -> None:
        deliver(result, error)

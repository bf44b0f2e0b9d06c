"""What the archive's connection is going through, told to whoever listens (the status bar).

States: ``"lost"`` while a dropped server connection is being retried, ``"restored"`` once a new
one works, ``"busy"`` while another desk holds the write lock and this one waits its turn, and
``"free"`` once the wait is over. Listeners are called from whichever thread ran the query.
"""
from __future__ import annotations

import logging
from collections.abc import Callable

log = logging.getLogger(__name__)

_listeners: list[Callable[[str], None]] = []


def add_connection_listener(listener: Callable[[str], None]) -> None:
    """Call ``listener(state)`` on every change of the connection's state."""
    _listeners.append(listener)


def remove_connection_listener(listener: Callable[[str], None]) -> None:
    if listener in _listeners:
        _listeners.remove(listener)


def tell(state: str) -> None:
    """Pass ``state`` to every listener; a listener's fault never stops the query."""
    for listener in list(_listeners):
        try:
            listener(state)
        except Exception:
            log.exception("connection listener failed")

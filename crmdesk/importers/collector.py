"""Pausing Python's cycle collector while an import builds or writes its rows.

A dry run of 200,000 rows makes millions of small objects (values, rows, keys) and no reference
cycles. The cycle collector runs every few hundred allocations and, as the heap grows, walks
the whole of it again and again: a quarter of a large dry run went there. Nothing it could free
is made in between, so it is paused for the bulk work and resumes afterwards.
"""
from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_holders = 0
_was_enabled = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cycle collector for the ``with`` block; calls may nest and overlap in threads.

    The collector is switched back on (if it was on before the first) when the last one ends.
    """
    global _holders, _was_enabled
    with _lock:
        if _holders == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _holders += 1
    try:
        yield
    finally:
        with _lock:
            _holders -= 1
            if _holders == 0 and _was_enabled:
                gc.enable()

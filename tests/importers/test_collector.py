"""The cycle collector is paused for bulk import work and put back as it was."""
from __future__ import annotations

import gc
import threading

import pytest

from crmdesk.importers.collector import collector_paused


def test_paused_while_any_holder_is_inside_and_restored_after_the_last():
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        inside, leave = threading.Event(), threading.Event()

        def other() -> None:
            with collector_paused():
                inside.set()
                leave.wait(5)

        worker = threading.Thread(target=other)
        worker.start()
        inside.wait(5)
    assert not gc.isenabled()  # the other thread still holds it
    leave.set()
    worker.join(5)
    assert gc.isenabled()


def test_an_error_inside_still_restores_and_a_collector_left_off_stays_off():
    with pytest.raises(ValueError, match="inside"), collector_paused():
        raise ValueError("inside")
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()

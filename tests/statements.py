"""The SQL statements a call runs, read from peewee's log (as peewee's own tests count them)."""
from __future__ import annotations

import logging
from collections.abc import Callable

import pytest


def statements_run(caplog: pytest.LogCaptureFixture, call: Callable[[], object]) -> list[str]:
    """The SQL of every statement ``call`` runs through peewee, in order."""
    with caplog.at_level(logging.DEBUG, logger="peewee"):
        caplog.clear()
        call()
    return [record.msg[0] for record in caplog.records
            if record.name == "peewee" and isinstance(record.msg, tuple)]

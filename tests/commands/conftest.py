"""Running the command line in-process: an empty data folder, a runner that captures what was
printed, and the root logger restored after each test (the command line adds a file handler in
the data folder on every run; none may outlive its temporary folder)."""
from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from crmdesk.cli import main
from crmdesk.models.db import close_database


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str

    def json(self):
        return json.loads(self.out)


@pytest.fixture
def data_dir(tmp_path) -> Iterator[Path]:
    """An empty data folder (the suite's environment names no archive, user or password)."""
    yield tmp_path / "data"
    close_database()


@pytest.fixture
def crmdesk(data_dir, capsys) -> Callable[..., Run]:
    """Run crmdesk with ``--data-dir`` and the given arguments; returns code, stdout, stderr."""

    def run(*args: str, before: tuple[str, ...] = ()) -> Run:
        code = main([*before, "--data-dir", str(data_dir), *args])
        close_database()
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


@pytest.fixture(autouse=True)
def _root_logger_restored() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in root.handlers[:]:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)

"""Fixtures for the window tests: a main window on a temporary archive, message boxes answered."""
from __future__ import annotations

import weakref
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from shiboken6 import isValid

from crmdesk.services.context import Actor
from crmdesk.ui.app import install_font
from crmdesk.ui.main_window import MainWindow
from crmdesk.ui.operations import Operations


@dataclass
class MessageBoxes:
    """Records every message box shown and answers questions with ``answer``."""

    answer: QMessageBox.StandardButton = QMessageBox.StandardButton.Save
    shown: list[tuple[str, str]] = field(default_factory=list)

    def texts(self) -> str:
        return "\n".join(text for _title, text in self.shown)


@pytest.fixture
def boxes(monkeypatch: pytest.MonkeyPatch) -> MessageBoxes:
    """Replace modal message boxes so tests see their text instead of blocking."""
    record = MessageBoxes()

    def show(_parent, title, text, *_args, **_kwargs):
        record.shown.append((title, text))
        return QMessageBox.StandardButton.Ok

    def ask(_parent, title, text, *_args, **_kwargs):
        record.shown.append((title, text))
        return record.answer

    for name in ("warning", "critical", "information"):
        monkeypatch.setattr(QMessageBox, name, show)
    monkeypatch.setattr(QMessageBox, "question", ask)
    return record


# Every Operations made during the tests, held weakly. The teardown below reaches them here
# rather than through QApplication.topLevelWidgets(): asked for the top-level widgets just
# after a window was closed, Qt handed one over half destroyed and the test run crashed.
_MADE: weakref.WeakSet[Operations] = weakref.WeakSet()


@pytest.fixture(autouse=True, scope="session")
def _operations_recorded() -> Iterator[None]:
    made = Operations.__init__

    def recorded(self: Operations, *args, **kwargs) -> None:
        made(self, *args, **kwargs)
        _MADE.add(self)

    Operations.__init__ = recorded  # type: ignore[method-assign]
    yield
    Operations.__init__ = made  # type: ignore[method-assign]


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_teardown(item: pytest.Item) -> Generator[None, None, None]:
    """Before the test's archive goes, every window stops its operations: none may start on,
    or report from, an archive that is being removed."""
    for operations in list(_MADE):
        if isValid(operations):  # not deleted on Qt's side with its window
            operations.stop()
    yield


@pytest.fixture
def inline_operations(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run every operation at once on the calling thread: its outcome (result, refusal, change
    events) is handled before ``run``/``start`` return, so a test reads the screen right after."""
    monkeypatch.setattr(Operations, "inline", True)


def card_ready(qtbot, main: MainWindow) -> None:
    """Make the card beside the list and wait for its blank card, as the window tests find it
    (the window itself makes the card when the archive page is first shown)."""
    if Operations.inline:  # the blank card is read while the card is made
        assert main.card is not None
        return
    with qtbot.waitSignal(main.card.loaded, timeout=10000):
        pass


@pytest.fixture
def window(qtbot, qapp, archive: Path, manager: Actor, boxes: MessageBoxes) -> Iterator[MainWindow]:
    """The main window on an empty archive, acting as a manager, its card ready."""
    install_font(qapp)
    main = MainWindow(manager, str(archive))
    qtbot.addWidget(main)
    main.show()
    card_ready(qtbot, main)
    yield main
    main.tasks.wait()


@pytest.fixture
def sales_window(qtbot, archive, salesperson: Actor, boxes: MessageBoxes) -> Iterator[MainWindow]:
    """A salesperson's window on the test's archive, its card ready."""
    main = MainWindow(salesperson, str(archive))
    qtbot.addWidget(main)
    main.show()
    card_ready(qtbot, main)
    yield main
    main.tasks.wait()

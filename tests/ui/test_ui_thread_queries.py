"""The UI thread never waits on the archive while the desk works: registering a visitor typed key
by key at the front desk, and scrolling and searching the customer list, run every query on the
operations' worker. Each statement peewee runs is heard (its query log) with the thread it runs
on; the tests fail naming any statement run on the UI thread."""
from __future__ import annotations

import logging
import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from crmdesk.models import Staff, Visit
from crmdesk.services import customers
from crmdesk.services.demo import build_demo

WAIT_MS = 20000


class _UiThreadQueries(logging.Handler):
    """Keeps the statements peewee runs on the UI thread."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.statements: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if threading.current_thread() is threading.main_thread():
            self.statements.append(str(record.msg)[:300])


@pytest.fixture
def ui_thread_queries() -> Iterator[list[str]]:
    """The statements run on the UI thread from now on (peewee logs each one it runs)."""
    logger = logging.getLogger("peewee")
    hook, level = _UiThreadQueries(), logger.level
    logger.addHandler(hook)
    logger.setLevel(logging.DEBUG)
    yield hook.statements
    logger.removeHandler(hook)
    logger.setLevel(level)


def _settle(qtbot, window) -> None:
    """Let the window's operations answer (start-up reads, searches)."""
    window.tasks.wait()
    qtbot.wait(50)
    window.tasks.wait()


def _type(widget, text: str) -> None:
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier,
                                                     char))
        QApplication.processEvents()


def test_registering_a_visitor_typed_at_the_front_desk_runs_no_query_on_the_ui_thread(
        qtbot, window, manager, ui_thread_queries):
    Staff.create(name="王强", username="wq", roles="sales")
    card = customers.new_card(manager)
    card.values.update(name="李四", mobile="13912345678")
    known = customers.save_card(card, manager, accept_incomplete=True).customer_id
    _settle(qtbot, window)
    ui_thread_queries.clear()

    page = window.frontdesk_page
    page.register_visitor()
    form = page.dialog
    qtbot.waitUntil(form.isVisible)
    _type(form.name, "李先生")
    QTest.keyClick(form.name, Qt.Key.Key_Return)
    _type(form.phone, "139 1234 5678")
    qtbot.waitUntil(lambda: form.linked_id() == known, timeout=WAIT_MS)
    QTest.keyClick(form.phone, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not form.isVisible(), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: page.register.table.rowCount() == 1, timeout=WAIT_MS)
    _settle(qtbot, window)

    assert ui_thread_queries == []  # before the test's own reads below
    assert Visit.get().customer_id == known


@pytest.fixture
def filled_archive(archive):
    """Three pages and more of demo customers, read by the demo's manager."""
    build_demo(900, seed=7)
    return archive


def test_scrolling_and_searching_the_list_runs_no_query_on_the_ui_thread(
        qtbot, filled_archive, qapp, boxes, ui_thread_queries):
    from crmdesk.services.context import Actor
    from crmdesk.ui.main_window import MainWindow

    window = MainWindow(Actor.of(Staff.get(Staff.username == "manager")), "archive")
    qtbot.addWidget(window)
    window.show()
    page, model = window.customers, window.customers.model
    qtbot.waitUntil(lambda: model.rowCount() > 600, timeout=WAIT_MS)
    _settle(qtbot, window)
    everyone = model.rowCount()
    ui_thread_queries.clear()

    bar = page.view.verticalScrollBar()
    for step in range(1, 11):
        bar.setValue(bar.maximum() * step // 10)
        qtbot.wait(10)
    bottom = model.index(model.rowCount() - 1, 1)
    qtbot.waitUntil(lambda: bottom.data() is not None, timeout=WAIT_MS)
    page.search.setFocus()
    _type(page.search, "王")
    qtbot.waitUntil(lambda: 0 < model.rowCount() < everyone, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: model.index(0, 1).data() is not None, timeout=WAIT_MS)
    _settle(qtbot, window)

    assert ui_thread_queries == []
    assert "王" in model.index(0, 1).data()
    window.tasks.wait()

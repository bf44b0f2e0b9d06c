"""The operation layer: work off the UI thread, progress only when it lasts, Cancel through the
headless job, one error path, completion, and the change events of what the work wrote."""
from __future__ import annotations

import threading

import pytest
from PySide6.QtWidgets import QMainWindow, QProgressDialog

from crmdesk.errors import CrmError
from crmdesk.progress import Cancelled, Job
from crmdesk.services import changes as change_log
from crmdesk.ui import operations as operations_module
from crmdesk.ui.change_hub import ChangeHub, Changes
from crmdesk.ui.operations import RENDER, Operations

WAIT_MS = 10000


@pytest.fixture
def desk(qtbot):
    """A bare window with its change hub and operation layer."""
    window = QMainWindow()
    qtbot.addWidget(window)
    hub = ChangeHub(window)
    return window, hub, Operations(hub, window)


def _finish(qtbot, operation) -> None:
    if operation.is_running():
        with qtbot.waitSignal(operation.finished, timeout=WAIT_MS):
            pass


def test_work_runs_off_the_ui_thread_and_answers_on_it(qtbot, desk):
    _window, _hub, operations = desk
    threads, answers = [], []
    operation = operations.run(lambda: threads.append(threading.current_thread()) or 42,
                               lambda result: answers.append(
                                   (result, threading.current_thread())))
    _finish(qtbot, operation)
    assert threads[0] is not threading.main_thread()
    assert answers == [(42, threading.main_thread())]


def test_progress_shows_only_when_the_work_lasts_and_cancel_reaches_the_job(qtbot, desk,
                                                                           monkeypatch):
    window, _hub, operations = desk
    monkeypatch.setattr(operations_module, "SHOW_AFTER_MS", 300)
    quick = operations.start("quick", lambda job: job(1, 1))
    _finish(qtbot, quick)
    assert not window.findChildren(QProgressDialog)

    moved = []

    def slow(job: Job) -> None:
        for step in range(200):
            job(step, 200)
            job.check()
            threading.Event().wait(0.02)

    operation = operations.start("slow", slow, cancellable=True)
    operation.moved.connect(lambda done, total: moved.append((done, total)))
    qtbot.waitUntil(lambda: bool(window.findChildren(QProgressDialog)), timeout=WAIT_MS)
    with qtbot.waitSignal(operation.finished, timeout=WAIT_MS):
        window.findChildren(QProgressDialog)[0].canceled.emit()  # its Cancel button
    assert moved and moved[-1][1] == 200
    assert str(Cancelled()) in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: not window.findChildren(QProgressDialog), timeout=WAIT_MS)


def test_a_refusal_is_a_warning_and_anything_else_the_crash_dialog(qtbot, desk, boxes,
                                                                  monkeypatch):
    _window, _hub, operations = desk

    def refuse() -> None:
        raise CrmError("该客户已有档案")

    _finish(qtbot, operations.run(refuse, title="保存"))
    assert boxes.shown == [("保存", "该客户已有档案")]

    crashes = []
    monkeypatch.setattr("sys.excepthook", lambda kind, error, trace: crashes.append(error))
    _finish(qtbot, operations.run(lambda: 1 / 0))
    assert isinstance(crashes[0], ZeroDivisionError)
    assert len(boxes.shown) == 1


def test_only_the_newest_of_a_channel_answers(qtbot, desk):
    _window, _hub, operations = desk
    gate, answers = threading.Event(), []
    operations.run(lambda: gate.wait(WAIT_MS / 1000))
    first = operations.run(lambda: "old", answers.append, channel="search")
    newest = operations.run(lambda: "new", answers.append, channel="search")
    gate.set()
    _finish(qtbot, first)
    _finish(qtbot, newest)
    assert answers == ["new"]


def test_printing_renders_on_its_own_worker_beside_the_archive_queries(qtbot, desk):
    _window, _hub, operations = desk
    rendering, answers = threading.Event(), []
    render = operations.run(lambda: rendering.wait(WAIT_MS / 1000), worker=RENDER)
    search = operations.run(lambda: "found", answers.append)
    _finish(qtbot, search)  # answered while the render still runs
    assert answers == ["found"] and render.is_running()
    rendering.set()
    _finish(qtbot, render)


def test_what_the_work_wrote_is_published_with_its_origin(qtbot, desk):
    _window, hub, operations = desk
    heard: list[Changes] = []
    hub.subscribe(("customers",), heard.append)
    origin = object()
    _finish(qtbot, operations.run(lambda: change_log._tell_this_desk("customers", (7,)),
                                  origin=origin))
    _finish(qtbot, operations.run(lambda: change_log._tell_this_desk("visits", (8,))))
    assert [(c.touched, c.origin) for c in heard] == [({"customers": frozenset({7})}, origin)]


def test_a_change_made_outside_an_operation_is_heard_once_the_caller_is_done(qtbot, desk):
    _window, hub, _operations = desk
    heard: list[Changes] = []
    hub.subscribe((), heard.append)
    change_log._tell_this_desk("levels", ())
    change_log._tell_this_desk("customers", (3,))
    assert heard == []
    qtbot.waitUntil(lambda: bool(heard), timeout=WAIT_MS)
    assert heard[0].touched == {"levels": frozenset(), "customers": frozenset({3})}
    assert not heard[0].elsewhere


@pytest.mark.usefixtures("inline_operations")
def test_inline_operations_are_over_when_the_call_returns(desk):
    _window, _hub, operations = desk
    answers = []
    operation = operations.start("inline", lambda job: threading.current_thread(),
                                 answers.append)
    assert answers == [threading.main_thread()]
    assert operation.succeeded

"""The operation layer: every database or long action of the window runs here, off the UI thread.

An ``Operation`` runs its work on a worker and hands the result back on the UI thread. Quiet
operations (``run``: search, opening a card, counts) show nothing; long ones (``start``: import,
export, printing, demo data, backup) show a progress window only when they last longer than
half a second, with Cancel when the work checks its ``Job`` (crmdesk.progress). Errors take one
path: a refusal the user can act on (CrmError) is a warning, a cancel a line in the status bar,
anything else the crash dialog; a caller may handle errors itself with ``on_error``. Each
operation signals ``finished`` when it is over, and what its work changed goes to the window's
``ChangeHub``, whose subscribers read again.

Two workers: ``ARCHIVE`` runs the archive's queries and writes one after another (peewee gives it
its own connection); ``RENDER`` runs CPU work that reads nothing from the archive (laying out a
long PDF), so a printout never holds up a search. Only this module starts threads. Callers that
fire many queries (search as you type) pass a ``channel``: only the newest of a channel delivers.
"""
from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import Any, ClassVar

from PySide6.QtCore import QElapsedTimer, QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from crmdesk.errors import CrmError
from crmdesk.i18n import _
from crmdesk.progress import Cancelled, Job
from crmdesk.services import changes as change_log
from crmdesk.ui.change_hub import ChangeHub, Changes

log = logging.getLogger(__name__)
ARCHIVE, RENDER = "archive", "render"
SHOW_AFTER_MS = 500
WATCH_MS = 100

Done = Callable[[Any], None]
Failed = Callable[[Exception], None]


class Operation(QObject):
    """One run of work. ``moved(done, total)`` while it runs; ``finished`` once it is over
    and its outcome was handled; then ``state`` is done, failed, cancelled or superseded."""

    moved = Signal(int, int)
    finished = Signal()

    def __init__(self, label: str | None, parent: QObject) -> None:
        super().__init__(parent)
        self.label = label
        self.job = Job()
        self.state = "running"
        self.result: Any = None
        self.error: Exception | None = None
        self.changes = Changes()
        self.window: QProgressDialog | None = None

    @property
    def succeeded(self) -> bool:
        """True when the work finished without an error."""
        return self.state == "done"

    def is_running(self) -> bool:
        return self.state == "running"

    def cancel(self) -> None:
        """Ask the work to stop at its next check (it raises Cancelled and writes nothing)."""
        self.job.cancel()


class _Relay(QObject):
    delivered = Signal(object, object, object, object)  # operation, result, error, changes


def _perform(operation: Operation, work: Callable[[Job], Any]) -> tuple[Any, Exception | None,
                                                                      list[Any]]:
    with change_log.collecting() as heard:
        try:
            return work(operation.job), None, heard
        except Exception as exc:  # delivered to the UI thread, which decides what to show
            return None, exc, heard


class _Run(QRunnable):
    def __init__(self, operation: Operation, work: Callable[[Job], Any], relay: _Relay) -> None:
        super().__init__()
        self._operation, self._work, self._relay = operation, work, relay

    def run(self) -> None:
        self._relay.delivered.emit(self._operation, *_perform(self._operation, self._work))


class Operations(QObject):
    """Runs the window's operations; ``hub`` hears what they changed."""

    # Tests set this (the ``inline_operations`` fixture): work runs at once on the caller's
    # thread and its outcome is handled before ``run``/``start`` return.
    inline: ClassVar[bool] = False

    def __init__(self, hub: ChangeHub | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hub = hub
        self._pools = {name: QThreadPool(self) for name in (ARCHIVE, RENDER)}
        for pool in self._pools.values():
            pool.setMaxThreadCount(1)
        self._relay = _Relay(self)
        self._relay.delivered.connect(self._deliver)
        self._latest: dict[str, Operation] = {}
        self._stopped = False
        self._handlers: dict[Operation, tuple[Done | None, Failed | None, str | None,
                                              QWidget | None, object]] = {}

    def run(self, work: Callable[[], Any], done: Done | None = None, channel: str | None = None,
            on_error: Failed | None = None, *, title: str | None = None,
            origin: object | None = None, worker: str = ARCHIVE,
            parent: QWidget | None = None) -> Operation:
        """A quiet operation: ``work()`` on a worker, then ``done(result)`` here.

        ``title`` heads the warning for a refusal; ``origin`` is told apart in the change
        events (it shows its own result); ``on_error`` replaces the one error path.
        """
        return self._launch(None, lambda _job: work(), done, channel=channel, on_error=on_error,
                            title=title, origin=origin, worker=worker, parent=parent)

    def start(self, label: str | None, work: Callable[[Job], Any], done: Done | None = None, *,
              cancellable: bool = False, modal: bool = True, on_error: Failed | None = None,
              title: str | None = None, origin: object | None = None, worker: str = ARCHIVE,
              parent: QWidget | None = None) -> Operation:
        """A long operation: ``work(job)`` reports progress on and checks ``job``; a window
        saying ``label`` (with Cancel if ``cancellable``) shows if it lasts over half a second.
        Without a label no window shows: the caller shows ``moved`` in its own page."""
        operation = self._launch(label, work, done, on_error=on_error, title=title or label,
                                 origin=origin, worker=worker, parent=parent)
        if operation.is_running():
            self._watch(operation, cancellable, modal, parent or self._widget())
        return operation

    def wait(self, msecs: int = 30000) -> bool:
        """Block until every worker is idle (tests and quitting); outcomes follow on the UI
        thread's next events."""
        return all(pool.waitForDone(msecs) for pool in self._pools.values())

    def stop(self, msecs: int = 30000) -> bool:
        """Take no more work, wait for what runs and drop outcomes not yet handled (a window
        whose archive is going away)."""
        self._stopped = True
        return self.wait(msecs)

    def supersede(self, channel: str) -> None:
        """Let no operation of ``channel`` still running deliver: what it reads was just shown
        from another read."""
        self._latest.pop(channel, None)

    # -- running ----------------------------------------------------------------------------

    def _widget(self) -> QWidget | None:
        parent = self.parent()
        return parent if isinstance(parent, QWidget) else None

    def _launch(self, label: str | None, work: Callable[[Job], Any], done: Done | None, *,
                channel: str | None = None, on_error: Failed | None, title: str | None,
                origin: object | None, worker: str, parent: QWidget | None) -> Operation:
        operation = Operation(label, self)
        if channel is not None:
            self._latest[channel] = operation
        self._handlers[operation] = (done, on_error, title, parent, origin)
        operation.setProperty("channel", channel)
        if self._stopped:
            operation.state = "cancelled"
        elif self.inline:
            self._deliver(operation, *_perform(operation, work))
        else:
            self._pools[worker].start(_Run(operation, work, self._relay))
        return operation

    def _watch(self, operation: Operation, cancellable: bool, modal: bool,
               parent: QWidget | None) -> None:
        clock = QElapsedTimer()
        clock.start()
        timer = QTimer(operation)
        timer.setInterval(WATCH_MS)
        last = [(0, 0)]

        def tick() -> None:
            state = operation.job.state()
            if state != last[0]:
                last[0] = state
                operation.moved.emit(*state)
            if operation.label and operation.window is None and clock.elapsed() >= SHOW_AFTER_MS:
                operation.window = _progress_window(operation, cancellable, modal, parent)
            if operation.window is not None:
                done, total = state
                operation.window.setMaximum(total)
                operation.window.setValue(min(done, total))

        timer.timeout.connect(tick)
        operation.finished.connect(timer.stop)
        timer.start()

    def _deliver(self, operation: Operation, result: Any, error: Exception | None,
                 heard: list[Any]) -> None:
        done, on_error, title, parent, origin = self._handlers.pop(operation)
        if self._stopped:
            return
        channel = operation.property("channel")
        if operation.window is not None:
            operation.window.close()
            operation.window.deleteLater()
            operation.window = None
        operation.result, operation.error = result, error
        operation.changes = Changes.of(heard, origin=origin)
        if channel is not None and self._latest.get(channel) is not operation:
            operation.state = "superseded"
        elif error is None:
            operation.state = "done"
            if done is not None:
                done(result)
        else:
            operation.state = "cancelled" if isinstance(error, Cancelled) else "failed"
            if on_error is not None:
                on_error(error)
            else:
                self.fail(error, title or operation.label, parent)
        if channel is not None and self._latest.get(channel) is operation:
            del self._latest[channel]
        if self.hub is not None:
            self.hub.publish(operation.changes)
        operation.finished.emit()
        operation.deleteLater()

    def fail(self, error: Exception, title: str | None = None,
             parent: QWidget | None = None) -> None:
        """The one error path: a refusal (CrmError) is a warning headed ``title``, a cancel a
        line in the status bar, anything else the crash dialog (logged with its trace)."""
        parent = parent or self._widget()
        if isinstance(error, Cancelled):
            window = parent.window() if parent is not None else None
            bar = getattr(window, "statusBar", None)
            if callable(bar):
                bar().showMessage(str(error), 8000)
        elif isinstance(error, CrmError):
            log.info("%s: %s", title, str(error).splitlines()[0] if str(error) else "")
            QMessageBox.warning(parent, title or _("Not done"), str(error))
        else:
            sys.excepthook(type(error), error, error.__traceback__)


def _progress_window(operation: Operation, cancellable: bool, modal: bool,
                     parent: QWidget | None) -> QProgressDialog:
    window = QProgressDialog(operation.label or "", _("Cancel"), 0, 0, parent)
    window.setObjectName("operationProgress")
    window.setWindowTitle("crmdesk")
    window.setAutoClose(False)
    window.setAutoReset(False)
    window.setMinimumDuration(0)
    if cancellable:
        def cancel() -> None:  # also emitted when the window closes at the end
            if operation.is_running():
                operation.cancel()
                window.setLabelText(_("Cancelling…"))
        window.canceled.connect(cancel)
    else:
        window.setCancelButton(None)
    if modal:
        window.setWindowModality(Qt.WindowModality.WindowModal)
    window.show()
    return window

"""Typed change events: what changed in the archive, told to every page that shows it.

Operations publish what their work changed (services record each change with its transaction;
see ``services.changes``); changes made outside an operation are heard once their caller is
done; other desks' changes come from the change log (``ui.live``). Pages, the header's
counters and the open card subscribe by kind and decide themselves whether to read again.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from crmdesk.services import changes as change_log

# The kinds of data a change may touch (models.live.CHANGE_KINDS): customers, visits,
# contacts, ownership, levels, staff, settings, notices and the kinds features add.
ARCHIVE_KINDS = frozenset({"customers", "contacts", "ownership", "visits"})


@dataclass(frozen=True)
class Changes:
    """Ids touched, by kind. ``elsewhere``: another desk made them. ``origin``: the object that
    ran the operation (it shows its own result already and may skip reading again)."""

    touched: Mapping[str, frozenset[int]] = field(default_factory=dict)
    elsewhere: bool = False
    origin: object | None = None

    @classmethod
    def of(cls, heard: Iterable[tuple[str, Iterable[int]]], elsewhere: bool = False,
           origin: object | None = None) -> Changes:
        """Gather ``(kind, ids)`` pairs into one event."""
        touched: dict[str, set[int]] = {}
        for kind, ids in heard:
            touched.setdefault(kind, set()).update(ids)
        return cls({kind: frozenset(ids) for kind, ids in touched.items()}, elsewhere, origin)

    def touches(self, *kinds: str) -> bool:
        """True when any of ``kinds`` changed."""
        return any(kind in self.touched for kind in kinds)

    def ids(self, *kinds: str) -> frozenset[int]:
        """The ids touched in any of ``kinds``."""
        return frozenset().union(*(self.touched.get(kind, frozenset()) for kind in kinds))

    def __bool__(self) -> bool:
        return bool(self.touched)


class _Subscription(QObject):
    """One listener's filter; a child of the listener's widget, so it ends with it."""

    def __init__(self, kinds: frozenset[str], listener: Callable[[Changes], None],
                 owner: QObject) -> None:
        super().__init__(owner)
        self._kinds, self._listener = kinds, listener

    def hear(self, changes: Changes) -> None:
        if not self._kinds or changes.touches(*self._kinds):
            self._listener(changes)


class ChangeHub(QObject):
    """The one place the window learns that archive data changed."""

    changed = Signal(object)  # Changes
    _heard = Signal(str, object)  # from any thread: kind, ids

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pending: list[tuple[str, tuple[int, ...]]] = []
        self._heard.connect(self._hold, Qt.ConnectionType.QueuedConnection)
        stop = change_log.listen(self._heard.emit)
        self.destroyed.connect(lambda *_args: stop())

    def publish(self, changes: Changes) -> None:
        """Tell every subscriber about ``changes`` (nothing when nothing changed)."""
        if changes:
            self.changed.emit(changes)

    def subscribe(self, kinds: Iterable[str], listener: Callable[[Changes], None],
                  owner: QObject | None = None) -> None:
        """Call ``listener(changes)`` whenever any of ``kinds`` changed (empty: any change).

        The subscription ends with ``owner`` (default: the object ``listener`` is a method of,
        if it is a QObject, else the hub).
        """
        if owner is None:
            bound = getattr(listener, "__self__", None)
            owner = bound if isinstance(bound, QObject) else self
        subscription = _Subscription(frozenset(kinds), listener, owner)
        self.changed.connect(subscription.hear)

    def _hold(self, kind: str, ids: tuple[int, ...]) -> None:
        # Changes made outside an operation: told together once the caller's work is over.
        if not self._pending:
            QTimer.singleShot(0, self, self._flush)
        self._pending.append((kind, ids))

    def _flush(self) -> None:
        heard, self._pending = self._pending, []
        self.publish(Changes.of(heard))

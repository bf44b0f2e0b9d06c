"""The change log other desks read: written with each change, read by every open window.

A desk is one running crmdesk process; ``DESK`` tells its own events from others'. Writers call
``record`` inside the transaction of their change; a window calls ``ChangeFeed.poll`` every
half second (one indexed read of the events after the last one seen, well under a millisecond
when nothing happened) and refreshes the views the kinds name. The log is pruned of events
older than a day, which no open window still needs.

On PostgreSQL an event's id is taken when it is written, not when it is committed: a slower
transaction may commit id 10 after id 11 was read. A feed therefore remembers the ids it skipped
and looks for them again for a while (a rolled-back transaction leaves its id unused for good).
"""
from __future__ import annotations

import datetime as dt
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from crmdesk.models.live import CHANGE_KINDS, ChangeEvent
from crmdesk.services.context import Actor

DESK = uuid.uuid4().hex
KEEP = dt.timedelta(days=1)
# How long a skipped id is looked for again: longer than any transaction that writes an event.
GAP_WAIT = dt.timedelta(seconds=60)
MAX_GAPS = 1000


@dataclass(frozen=True)
class Change:
    """What another desk changed: ``kind`` (see CHANGE_KINDS) and the ids it touched."""

    id: int
    at: dt.datetime
    kind: str
    ids: tuple[int, ...]
    actor_id: int | None
    own: bool


def record(actor: Actor | None, kind: str, ids: Iterable[int | None] = ()) -> None:
    """Note a change of ``kind`` to ``ids``. Call inside the transaction that makes it."""
    if kind not in CHANGE_KINDS:
        raise ValueError(f"unknown change kind {kind!r}")
    touched = tuple(i for i in ids if i is not None)
    ChangeEvent.create(at=dt.datetime.now(), kind=kind, ids=",".join(map(str, touched)),
                       origin=DESK, actor=actor.staff_id if actor else None)
    _tell_this_desk(kind, touched)


# This desk hears its own changes at once, not from the log: the operation running on this
# thread collects them as its result; a change made outside any operation goes to the listeners
# (the open windows), which act on it once the caller's transaction is over.
Heard = tuple[str, tuple[int, ...]]
_collecting = threading.local()
_listeners: list[Callable[[str, tuple[int, ...]], None]] = []


def _tell_this_desk(kind: str, ids: tuple[int, ...]) -> None:
    collected = getattr(_collecting, "changes", None)
    if collected is not None:
        collected.append((kind, ids))
        return
    for listener in list(_listeners):
        listener(kind, ids)


@contextmanager
def collecting() -> Iterator[list[Heard]]:
    """Collect the changes this thread records inside the block: what an operation changed."""
    outer = getattr(_collecting, "changes", None)
    _collecting.changes = collected = []
    try:
        yield collected
    finally:
        _collecting.changes = outer
        if outer is not None:
            outer.extend(collected)


def listen(listener: Callable[[str, tuple[int, ...]], None]) -> Callable[[], None]:
    """Hear every change recorded outside an operation; returns how to stop listening."""
    _listeners.append(listener)
    return lambda: _listeners.remove(listener) if listener in _listeners else None


# Every audited action that changes data, by the kind of data it changes; the others (opening a
# card, printing, exporting, logging in, backing up) change nothing another desk shows.
KIND_OF_ACTION = {
    "create": "customers", "update": "customers", "destroy": "customers",
    "import": "customers", "import_update": "customers", "import_undo": "customers",
    "demo_data": "customers", "restore": "customers", "set_readers": "customers",
    "register_visit": "visits", "visit_departure": "visits",
    "duty_list": "visits", "duty_state": "visits",
    "log_contact": "contacts", "appointment_book": "contacts", "appointment_cancel": "contacts",
    "review_put_up": "customers", "review_signed": "customers",
    "access_request": "notices", "access_decision": "customers",
    "export_approval_asked": "notices", "export_approval_decided": "notices",
    "loan_out": "customers", "loan_returned": "customers", "loan_cancelled": "customers",
    "complaint_record": "complaints", "complaint_step": "complaints",
    "complaint_assign": "complaints", "complaint_close": "complaints",
    "deal_record": "customers",
    "ownership_registration": "ownership", "ownership_transfer": "ownership",
    "ownership_claim": "ownership", "ownership_return": "ownership",
    "level_create": "levels", "level_update": "levels", "level_preset": "levels",
    "first_admin": "staff", "add_staff": "staff", "set_roles": "staff",
    "deactivate_staff": "staff", "set_password": "staff", "recovery_key_used": "staff",
    "merge": "customers", "merge_undo": "customers", "not_same_person": "customers",
    "office_settings": "settings", "value_grades": "settings",
    "office_field_add": "settings", "office_field_change": "settings",
    "office_field_hidden": "settings", "office_field_order": "settings",
    "office_field_remove": "settings",
    "builtin_field_hidden": "settings", "card_template": "settings",
    "list_columns": "settings",
}


# Audited actions that change nothing: every action is in one of the two tables.
READ_ONLY_ACTIONS = frozenset({"open_card", "print", "export", "login", "login_failed", "backup",
                               "report", "logout", "second_archive", "leak_report",
                               "encrypt_archive", "new_recovery_key",
                               "rebuild_summaries"})


def record_audited(actor: Actor | None, action: str, customer_id: int | None) -> None:
    """Note the change an audited ``action`` made, if it changes what desks show."""
    kind = KIND_OF_ACTION.get(action)
    if kind is not None:
        record(actor, kind, [customer_id])


def latest() -> int:
    """The id of the newest event (0 when there is none): where a new window starts reading."""
    return ChangeEvent.select(ChangeEvent.id).order_by(ChangeEvent.id.desc()).limit(1).scalar() \
        or 0


def prune(now: dt.datetime | None = None) -> int:
    """Delete events older than a day; returns how many went."""
    limit = (now or dt.datetime.now()) - KEEP
    return ChangeEvent.delete().where(ChangeEvent.at < limit).execute()


class ChangeFeed:
    """The events after the last one a window has seen, oldest first."""

    def __init__(self, after: int | None = None) -> None:
        self.last_seen = latest() if after is None else after
        self._gaps: dict[int, dt.datetime] = {}  # skipped id -> when it was first missed

    def poll(self, now: dt.datetime | None = None) -> list[Change]:
        """Every event committed since the last poll (the window's own ones marked ``own``)."""
        now = now or dt.datetime.now()
        self._gaps = {i: t for i, t in self._gaps.items() if now - t < GAP_WAIT}
        wanted = ChangeEvent.id > self.last_seen
        if self._gaps:
            wanted |= ChangeEvent.id.in_(sorted(self._gaps))
        rows = list(ChangeEvent.select(ChangeEvent.id, ChangeEvent.at, ChangeEvent.kind,
                                       ChangeEvent.ids, ChangeEvent.actor, ChangeEvent.origin)
                    .where(wanted).order_by(ChangeEvent.id).tuples())
        for event_id, *_rest in rows:
            self._gaps.pop(event_id, None)
            if event_id > self.last_seen:
                skipped = range(max(self.last_seen + 1, event_id - MAX_GAPS), event_id)
                self._gaps.update((i, now) for i in skipped)
                self.last_seen = event_id
        return [Change(event_id, at, kind, tuple(int(i) for i in ids.split(",") if i),
                       actor_id, origin == DESK)
                for event_id, at, kind, ids, actor_id, origin in rows]


@dataclass(frozen=True)
class VisibleChange:
    """A change as one member of staff may see it: archive numbers only of archives they may
    find (top-secret ones of others are left out), notices only their own."""

    at: dt.datetime
    kind: str
    archive_nos: tuple[str, ...]


def visible_to(actor: Actor | None, events: list[Change],
               kinds: frozenset[str] | None = None) -> list[VisibleChange]:
    """``events`` as ``actor`` may see them, of ``kinds`` (None: all)."""
    from crmdesk.models import Customer
    from crmdesk.services.visibility import searchable

    shown: list[VisibleChange] = []
    for event in events:
        if kinds is not None and event.kind not in kinds:
            continue
        if event.kind == "notices":
            if actor is not None and actor.staff_id in event.ids:
                shown.append(VisibleChange(event.at, event.kind, ()))
            continue
        if event.kind not in ("customers", "visits", "contacts", "ownership", "complaints") \
                or not event.ids:
            shown.append(VisibleChange(event.at, event.kind, ()))
            continue
        query = Customer.select(Customer.archive_no).where(Customer.id.in_(list(event.ids)))
        hidden = searchable(actor)
        if hidden is not None:
            query = query.where(hidden)
        numbers = tuple(sorted(row[0] for row in query.tuples()))
        if numbers:  # nothing of an archive hidden from the actor, or already destroyed
            shown.append(VisibleChange(event.at, event.kind, numbers))
    return shown

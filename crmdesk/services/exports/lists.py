"""The lists besides the customers that an export writes: the front desk's register of visits
and calls, the communication logs on the cards' backs, and the overdue follow-up list.

Each is read through its service a chunk at a time (a day of the register, a thousand cards,
a page of the overdue list), so memory stays flat however long the list; only those who may
export can, and the logs of cards the exporter may not read are left out.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import peewee

from crmdesk.exporters.columns import ExportColumn, Table, column
from crmdesk.models import Communication, Customer, Level, Staff
from crmdesk.models.lists.columns import ColumnList
from crmdesk.models.lists.communications import CARD_OF_CONTACT, COMMUNICATION_LOG
from crmdesk.models.lists.overdue import OVERDUE_LIST
from crmdesk.models.lists.visits import VISIT_REGISTER
from crmdesk.progress import CancelFlag, Progress, check_cancel, report
from crmdesk.services import followup
from crmdesk.services.context import Actor
from crmdesk.services.exports.customers import CHUNK
from crmdesk.services.search import ListQuery, find_ids
from crmdesk.services.visibility import Duty, readable_ids, require
from crmdesk.services.visit_register import first_and_last_day, visits_between

# A multi-card export of the logs names each contact's card; the number within a card is left
# out (the contacts of a card come in time order).
LOG_EXPORT = CARD_OF_CONTACT.plus(COMMUNICATION_LOG.without("seq").columns)


def _columns(listed: ColumnList) -> list[ExportColumn]:
    """A declared list's columns as the export writes them."""
    return [column(c.key, c.title, width=c.kind.chars) for c in listed]


def visit_table(actor: Actor | None, start: dt.date, end: dt.date,
                progress: Progress | None = None, cancel: CancelFlag | None = None) -> Table:
    """The register of visits and calls from ``start`` to ``end`` (both included), as the
    register page shows it to ``actor`` (phones masked where it masks them), read a day at a
    time.

    Raises:
        PermissionDenied: ``actor`` may not export.
    """
    require(actor, Duty.EXPORT)
    # A range of centuries is read from its first to its last day with visits, not day by day.
    used = first_and_last_day(start, end) if start <= end else None
    first = used[0] if used else start
    days = (used[1] - used[0]).days + 1 if used else 0

    def rows() -> Iterator[list[Any]]:
        for offset in range(days):
            check_cancel(cancel)
            report(progress, offset, days)
            day = first + dt.timedelta(days=offset)
            for visit in visits_between(day, day, actor):
                yield VISIT_REGISTER.cells(visit)
        report(progress, days, days)

    return Table("visits", _columns(VISIT_REGISTER), rows())


def communication_table(actor: Actor | None, query: ListQuery | None = None,
                        progress: Progress | None = None,
                        cancel: CancelFlag | None = None) -> Table:
    """Every contact logged on the cards the list ``query`` shows (all when None) and
    ``actor`` may read: a row per contact, cards in list order, each card's log in time order.

    Raises:
        PermissionDenied: ``actor`` may not export.
    """
    require(actor, Duty.EXPORT)
    ids = find_ids(query or ListQuery(), actor)

    def rows() -> Iterator[list[Any]]:
        for start in range(0, len(ids), CHUNK):
            check_cancel(cancel)
            report(progress, start, len(ids))
            yield from (LOG_EXPORT.cells(e) for e in _log_entries(actor, ids[start:start + CHUNK]))
        report(progress, len(ids), len(ids))

    return Table("communications", _columns(LOG_EXPORT), rows())


_ENTRY = ("customer", "seq", "archive_no", "name", "contacted_at", "method", "person",
          "person_role", "level", "record", "conclusion", "next_follow_up", "recorded_by")


def _log_entries(actor: Actor | None, chunk: list[int]) -> list[dict[str, Any]]:
    """The log rows of the readable cards among ``chunk``, in the chunk's order."""
    cards = Customer.select(Customer.id, Customer.owner, Customer.confidentiality).where(
        Customer.id.in_(chunk)).tuples()
    readable = readable_ids(actor, list(cards))
    if not readable:
        return []
    order = {cid: position for position, cid in enumerate(chunk)}
    query = (Communication.select(
        Communication.customer, Communication.seq, Customer.archive_no, Customer.name,
        Communication.contacted_at, Communication.method, Communication.person,
        Communication.person_role, Level.code, Communication.record, Communication.conclusion,
        Communication.next_follow_up, Staff.name)
        .join(Customer, on=(Communication.customer == Customer.id))
        .switch(Communication)
        .join(Level, peewee.JOIN.LEFT_OUTER, on=(Communication.level == Level.id))
        .switch(Communication)
        .join(Staff, peewee.JOIN.LEFT_OUTER, on=(Communication.recorded_by == Staff.id))
        .where(Communication.customer.in_(list(readable)))
        .tuples())
    found = sorted(query, key=lambda r: (order[r[0]], r[4], r[1]))
    return [dict(zip(_ENTRY, row, strict=True)) for row in found]


def overdue_table(actor: Actor | None, as_of: dt.date | None = None,
                  filters: followup.FollowUpFilter | None = None,
                  progress: Progress | None = None, cancel: CancelFlag | None = None) -> Table:
    """The overdue follow-up list on ``as_of`` (default today) as the follow-up page shows it,
    most days overdue first, read a page at a time.

    Raises:
        PermissionDenied: ``actor`` may not export.
    """
    require(actor, Duty.EXPORT)
    total = followup.overdue_count(as_of, filters, actor)

    def rows() -> Iterator[list[Any]]:
        for offset in range(0, total, CHUNK):
            check_cancel(cancel)
            report(progress, offset, total)
            for row in followup.overdue(as_of, filters, actor, offset, CHUNK):
                yield OVERDUE_LIST.cells(row)
        report(progress, total, total)

    return Table("overdue", _columns(OVERDUE_LIST), rows())


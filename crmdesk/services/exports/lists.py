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

from crmdesk.exporters.columns import Table, column
from crmdesk.i18n import _
from crmdesk.importers.mapping import ARCHIVE_NO, target_label
from crmdesk.models import Communication, Customer, Level, Staff
from crmdesk.models.card import COMMUNICATION_COLUMNS, CONTACT_METHODS
from crmdesk.models.fieldtypes import Kind
from crmdesk.progress import CancelFlag, Progress, check_cancel, report
from crmdesk.services import followup
from crmdesk.services.context import Actor
from crmdesk.services.exports.customers import CHUNK
from crmdesk.services.search import ListQuery, find_ids
from crmdesk.services.visibility import Duty, readable_ids, require
from crmdesk.services.visit_register import (
    channel_label,
    first_and_last_day,
    source_label,
    visits_between,
)

MOMENT_WIDTH = 17
_METHODS = {c.key: c.label for c in CONTACT_METHODS}
_LOG = {c.name: c.label for c in COMMUNICATION_COLUMNS}


def visit_table(actor: Actor | None, start: dt.date, end: dt.date,
                progress: Progress | None = None, cancel: CancelFlag | None = None) -> Table:
    """The register of visits and calls from ``start`` to ``end`` (both included), as the
    register page shows it to ``actor`` (phones masked where it masks them), read a day at a
    time.

    Raises:
        PermissionDenied: ``actor`` may not export.
    """
    require(actor, Duty.EXPORT)
    columns = [
        column("arrived_at", _("Arrival"), width=MOMENT_WIDTH), column("channel", _("Channel")),
        column("name", _("Visitor")), column("phone", _("Phone"), Kind.PHONE),
        column("party_size", _("Party"), Kind.INTEGER), column("purpose", _("Purpose"), width=30),
        column("source", _("Source")), column("receptionist", _("Received at desk by")),
        column("salesperson", _("Salesperson")),
        column(ARCHIVE_NO, _("Archive no."), width=16),
        column("returning", _("First or return")),
        column("departed_at", _("Departure"), width=MOMENT_WIDTH),
    ]
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
                yield [visit.arrived_at, channel_label(visit.channel), visit.name, visit.phone,
                       visit.party_size, visit.purpose, source_label(visit.source),
                       visit.receptionist, visit.salesperson, visit.archive_no,
                       _("Return") if visit.returning else _("First visit"), visit.departed_at]
        report(progress, days, days)

    return Table("visits", columns, rows())


def communication_table(actor: Actor | None, query: ListQuery | None = None,
                        progress: Progress | None = None,
                        cancel: CancelFlag | None = None) -> Table:
    """Every contact logged on the cards the list ``query`` shows (all when None) and
    ``actor`` may read: a row per contact, cards in list order, each card's log in time order.

    Raises:
        PermissionDenied: ``actor`` may not export.
    """
    require(actor, Duty.EXPORT)
    columns = [
        column(ARCHIVE_NO, target_label(ARCHIVE_NO), width=16),
        column("name", target_label("name"), width=20),
        column("contacted_at", _LOG["contacted_at"], width=MOMENT_WIDTH),
        column("method", _LOG["method"]), column("person", _LOG["person"]),
        column("person_role", _LOG["person_role"]), column("level", _LOG["level"], width=8),
        column("record", _LOG["record"], Kind.LONGTEXT), column("conclusion", _LOG["conclusion"]),
        column("next_follow_up", _LOG["next_follow_up"], Kind.DATE),
        column("recorded_by", _LOG["recorded_by"]),
    ]
    ids = find_ids(query or ListQuery(), actor)

    def rows() -> Iterator[tuple[Any, ...]]:
        for start in range(0, len(ids), CHUNK):
            check_cancel(cancel)
            report(progress, start, len(ids))
            yield from _log_rows(actor, ids[start:start + CHUNK])
        report(progress, len(ids), len(ids))

    return Table("communications", columns, rows())


def _log_rows(actor: Actor | None, chunk: list[int]) -> list[tuple[Any, ...]]:
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
    return [(archive_no, name, at, _METHODS.get(method, method), *rest)
            for _cid, _seq, archive_no, name, at, method, *rest in found]


def overdue_table(actor: Actor | None, as_of: dt.date | None = None,
                  filters: followup.FollowUpFilter | None = None,
                  progress: Progress | None = None, cancel: CancelFlag | None = None) -> Table:
    """The overdue follow-up list on ``as_of`` (default today) as the follow-up page shows it,
    most days overdue first, read a page at a time.

    Raises:
        PermissionDenied: ``actor`` may not export.
    """
    require(actor, Duty.EXPORT)
    columns = [
        column("days_overdue", _("Days overdue"), Kind.INTEGER),
        column("next_follow_up", _("Next follow-up"), Kind.DATE),
        column(ARCHIVE_NO, _("Archive no."), width=16), column("name", _("Name"), width=20),
        column("level", _("Level"), width=8), column("owner", _("Salesperson")),
        column("last_contact_at", _("Last contact"), width=MOMENT_WIDTH),
        column("method", _("Method")), column("conclusion", _("Last conclusion"), width=30),
        column("mobile", _("Mobile"), Kind.MOBILE), column("source", _("Source")),
    ]
    total = followup.overdue_count(as_of, filters, actor)

    def rows() -> Iterator[list[Any]]:
        for offset in range(0, total, CHUNK):
            check_cancel(cancel)
            report(progress, offset, total)
            for row in followup.overdue(as_of, filters, actor, offset, CHUNK):
                yield [row.days_overdue, row.next_follow_up, row.archive_no, row.name,
                       row.level_code, row.owner_name, row.last_contact_at,
                       row.last_method_label, row.last_conclusion, row.mobile,
                       source_label(row.source) if row.source else None]
        report(progress, total, total)

    return Table("overdue", columns, rows())


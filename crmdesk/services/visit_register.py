"""Reading the register: the visits of a day or range with their counts, the phones as a reader
may see them, and a phone's history.

For a dispute (客户首访原则) the phone history puts every archive registered with the number,
every visit and call, and every change of owner in one list, earliest first.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, replace

import peewee

from crmdesk.errors import Problem, ValidationError
from crmdesk.i18n import _
from crmdesk.models import Customer, OwnershipChange, Visit
from crmdesk.models.card import SOURCES
from crmdesk.models.lists.visits import CHANNEL_TITLES, channel_label
from crmdesk.models.phones import PhoneError, format_phone, mask_mobile, normalize_phone
from crmdesk.services.context import Actor
from crmdesk.services.ownership import KIND_TITLES
from crmdesk.services.staff import staff_names
from crmdesk.services.visibility import readable_ids, searchable

# Archives are looked up in blocks: one IN (...) per block stays under SQLite's parameter limit.
_ID_BLOCK = 500


def source_label(source: str | None) -> str:
    """A source key as the card shows it."""
    choice = next((c for c in SOURCES if c.key == source), None)
    return choice.label if choice else (source or "")


@dataclass(frozen=True)
class VisitRow:
    """One line of the register, names resolved."""

    id: int
    arrived_at: dt.datetime
    channel: str
    name: str
    phone: str
    company: str
    party_size: int
    purpose: str
    source: str
    receptionist: str
    salesperson: str
    customer_id: int | None
    archive_no: str
    returning: bool
    assignment: str
    override_reason: str
    departed_at: dt.datetime | None

    @property
    def in_building(self) -> bool:
        """A walk-in with no departure noted."""
        return self.channel == "visit" and self.departed_at is None


@dataclass(frozen=True)
class RegisterCounts:
    """Counts of a register: in all, by channel, by source, first and return visits."""

    total: int
    by_channel: dict[str, int]
    by_source: dict[str, int]
    first_visits: int
    returning: int
    in_building: int


def visits_between(start: dt.date, end: dt.date, actor: Actor | None) -> list[VisitRow]:
    """The register from ``start`` to ``end`` (both included), in order of arrival, as
    ``actor`` may see it: the phone of a visit linked to an archive ``actor`` may not read in
    full is masked (138****8000), as the customer list masks that archive's mobile."""
    names = staff_names()
    first = dt.datetime.combine(start, dt.time.min)
    last = dt.datetime.combine(end, dt.time.max)
    query = (Visit.select(Visit, Customer.archive_no)
             .join(Customer, peewee.JOIN.LEFT_OUTER, on=(Visit.customer == Customer.id),
                   attr="archive")
             .where((Visit.arrived_at >= first) & (Visit.arrived_at <= last))
             .order_by(Visit.arrived_at, Visit.id))
    rows = []
    for visit in query:
        archive = visit.archive.archive_no if visit.customer_id else ""
        rows.append(VisitRow(
            visit.id, visit.arrived_at, visit.channel, visit.name, format_phone(visit.phone),
            visit.company or "", visit.party_size, visit.purpose or "", visit.source or "",
            names.get(visit.receptionist_id, ""), names.get(visit.salesperson_id, ""),
            visit.customer_id, archive or "", visit.returning, visit.assignment,
            visit.override_reason or "", visit.departed_at))
    return _phones_as_seen(rows, actor)


def first_and_last_day(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date] | None:
    """The first and last day from ``start`` to ``end`` that have anything in the register,
    or None when none has: a long range is read only where it holds visits."""
    first, last = (Visit.select(peewee.fn.MIN(Visit.arrived_at), peewee.fn.MAX(Visit.arrived_at))
                   .where((Visit.arrived_at >= dt.datetime.combine(start, dt.time.min))
                          & (Visit.arrived_at <= dt.datetime.combine(end, dt.time.max)))
                   .tuples().first() or (None, None))
    if first is None or last is None:
        return None
    # SQLite hands the text back as stored.
    first, last = (dt.datetime.fromisoformat(v) if isinstance(v, str) else v
                   for v in (first, last))
    return first.date(), last.date()


def count_register(rows: list[VisitRow]) -> RegisterCounts:
    """The register's counts by channel and source (keys as stored)."""
    return RegisterCounts(
        total=len(rows),
        by_channel=dict(Counter(r.channel for r in rows)),
        by_source=dict(Counter(r.source for r in rows if r.source)),
        first_visits=sum(not r.returning for r in rows),
        returning=sum(r.returning for r in rows),
        in_building=sum(r.in_building for r in rows),
    )


def _phones_as_seen(rows: list[VisitRow], actor: Actor | None) -> list[VisitRow]:
    """``rows`` with the phone masked (138****8000) on every line whose archive ``actor`` may
    not read in full, as search masks a mobile; a line with no archive keeps its phone."""
    linked = list({r.customer_id for r in rows if r.customer_id is not None})
    cards: list[tuple[int, int | None, str | None]] = []
    for start in range(0, len(linked), _ID_BLOCK):
        cards.extend(Customer.select(Customer.id, Customer.owner, Customer.confidentiality)
                     .where(Customer.id.in_(linked[start:start + _ID_BLOCK])).tuples())
    readable = readable_ids(actor, cards)
    # A top-secret archive the actor may not read is not even named (as in every search).
    unnamed = {cid for cid, _owner, mark in cards if mark == "secret"} - readable
    return [
        row if row.customer_id is None or row.customer_id in readable
        else replace(row, phone=mask_mobile("".join(row.phone.split())),
                     archive_no="" if row.customer_id in unnamed else row.archive_no)
        for row in rows
    ]


@dataclass(frozen=True)
class HistoryEntry:
    """One event in a phone's history: ``kind`` is "archive", a channel or an ownership kind."""

    at: dt.datetime
    kind: str
    archive_no: str
    name: str
    receptionist: str
    salesperson: str
    details: str


    @property
    def event(self) -> str:
        """What happened, as the history lists it."""
        if self.kind == "archive":
            return _("Archive registered")
        if self.kind in CHANNEL_TITLES:
            return channel_label(self.kind)
        return _(KIND_TITLES.get(self.kind, self.kind))


def phone_history(phone: str, actor: Actor | None) -> list[HistoryEntry]:
    """Every registration, visit, call and change of owner for a phone, earliest first.

    Top-secret archives ``actor`` may not read are left out, as in every search.

    Raises:
        ValidationError: the text is not a complete phone number.
    """
    try:
        stored = normalize_phone(phone)
    except PhoneError as exc:
        raise ValidationError([Problem("phone", _("Phone"), str(exc))]) from exc
    names = staff_names()
    visits = list(Visit.select().where(Visit.phone == stored))
    archive_ids = {row[0] for row in Customer.select(Customer.id).where(
        (Customer.mobile == stored) | (Customer.phone == stored)).tuples()}
    archive_ids |= {v.customer_id for v in visits if v.customer_id}
    shown = Customer.id.in_(list(archive_ids))
    hidden = searchable(actor)
    archives = {c.id: c for c in Customer.select(
        Customer.id, Customer.archive_no, Customer.name, Customer.created_at,
        Customer.registered_by, Customer.owner).where(
            shown if hidden is None else shown & hidden)}
    visits += list(Visit.select().where(Visit.customer.in_(list(archives))
                                        & (Visit.phone != stored)))
    changes = list(OwnershipChange.select().where(
        OwnershipChange.customer.in_(list(archives))).order_by(OwnershipChange.at))
    first_owner = {}
    for change in reversed(changes):
        first_owner[change.customer_id] = change.from_staff_id or change.to_staff_id
    # An archive created by a first visit was registered at that visit's arrival (its own
    # creation moment comes a little later, after the card was written).
    created_by_visit = {v.customer_id: v.arrived_at for v in visits
                        if v.customer_id and not v.returning}
    entries = [
        HistoryEntry(min(c.created_at, created_by_visit.get(c.id, c.created_at)), "archive",
                     c.archive_no, c.name or "",
                     names.get(c.registered_by_id, ""),
                     names.get(first_owner.get(c.id, c.owner_id), ""), "")
        for c in archives.values()
    ]
    for v in visits:
        if v.customer_id and v.customer_id not in archives:
            continue  # a visit to an archive hidden from the actor
        archive = archives.get(v.customer_id)
        details = " · ".join(part for part in (
            v.purpose or "", _("return visit") if v.returning else _("first visit"),
            v.override_reason or "") if part)
        entries.append(HistoryEntry(v.arrived_at, v.channel,
                                    archive.archive_no if archive else "", v.name,
                                    names.get(v.receptionist_id, ""),
                                    names.get(v.salesperson_id, ""), details))
    # The registration itself is the archive's own line above.
    for change in (c for c in changes if c.kind != "registration"):
        archive = archives[change.customer_id]
        entries.append(HistoryEntry(
            change.at, change.kind, archive.archive_no,
            archive.name or "", names.get(change.by_id, ""), names.get(change.to_staff_id, ""),
            " → ".join(n for n in (names.get(change.from_staff_id, ""),
                                   names.get(change.to_staff_id, "")) if n)
            + (f" · {change.reason}" if change.reason else "")))
    # Within one second (a first visit and the archive it created), the archive comes first.
    return sorted(entries, key=lambda e: (e.at.replace(microsecond=0), e.kind != "archive"))

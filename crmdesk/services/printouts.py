"""What printing needs, gathered from the archive as plain data (crmdesk.printing never queries).

Cards, logs, roster rows, the overdue list and the visitor register come through the services
that show them on screen, with the same visibility rules (``visibility``): a card or log prints
only for someone who may read the card, the registers only for those who print registers.
Printing is a copy of customer data, so ``record_printed`` puts it on the audit trail.
"""
from __future__ import annotations

import datetime as dt
import getpass
from collections import Counter
from collections.abc import Callable, Iterator, Sequence

from crmdesk.errors import NotFoundError
from crmdesk.i18n import _, ngettext
from crmdesk.models import Customer
from crmdesk.models.card import SOURCES
from crmdesk.models.db import database
from crmdesk.models.office_fields import OfficeField, office_fields
from crmdesk.printing.inputs import (
    CardSheet,
    LogSheet,
    OverdueRow,
    PrintContext,
    VisitSheet,
)
from crmdesk.services import (
    audit,
    audit_anchors,
    customer_list,
    customers,
    followup,
    office_values,
    visibility,
    visit_register,
)
from crmdesk.services.context import Actor
from crmdesk.services.levels import levels
from crmdesk.services.office import office_settings
from crmdesk.services.office_fields import hidden_builtins
from crmdesk.services.search import ListQuery, find_ids
from crmdesk.services.staff import staff_names

# Rows are read in blocks: one IN (...) per block stays under SQLite's parameter limit.
ROW_BLOCK = 500


def print_context(actor: Actor | None, now: dt.datetime | None = None) -> PrintContext:
    """The branch, the person printing (the login name when nobody is named) and the time."""
    if actor is not None:
        user = actor.name
    else:
        try:
            user = getpass.getuser()
        except (OSError, KeyError):
            user = ""
    # The head anchored outside the archive when this printout is recorded (see audit).
    head = audit_anchors.head()
    office = office_settings()
    return PrintContext(branch=office.branch_name, user=user,
                        printed_at=(now or dt.datetime.now()).replace(microsecond=0),
                        audit_head=head.text() if head else "",
                        address=office.branch_address, logo=office.branch_logo)


def customer_ids(archive_nos: Sequence[str]) -> list[int]:
    """The customers with these archive numbers, in the order given, each once.

    Raises:
        NotFoundError: naming every number that is not in the archive.
    """
    wanted = list(dict.fromkeys(no.strip().upper() for no in archive_nos))
    found: dict[str, int] = {}
    for start in range(0, len(wanted), ROW_BLOCK):
        block = wanted[start:start + ROW_BLOCK]
        found.update(Customer.select(Customer.archive_no, Customer.id)
                     .where(Customer.archive_no.in_(block)).tuples())
    missing = [no for no in wanted if no not in found]
    if missing:
        raise NotFoundError(ngettext("No customer with the archive number {nos}.",
                                     "No customers with the archive numbers {nos}.",
                                     len(missing)).format(nos=", ".join(missing)))
    return [found[no] for no in wanted]


def _references(values: dict) -> dict[str, str]:
    """The text printed for the card's staff, level and referrer fields."""
    names = staff_names()
    refs = {name: names.get(values.get(name), "") for name in ("owner", "registered_by")}
    level = next((lv for lv in levels() if lv.id == values.get("level")), None)
    refs["level"] = level.name if level else ""
    referrer = values.get("referrer")
    if referrer:
        row = Customer.select(Customer.name, Customer.archive_no).where(
            Customer.id == referrer).tuples().first()
        refs["referrer"] = f"{row[0] or ''} ({row[1]})" if row else ""
    return refs


def card_sheet(customer_id: int, actor: Actor | None) -> CardSheet:
    """One customer's whole card, its log in time order.

    Raises:
        PermissionDenied: ``actor`` may not open this card (the message names its mark).
    """
    visibility.require_view(actor, customer_id)
    card = customers.get_card(customer_id)
    return CardSheet(
        archive_no=card.archive_no or "",
        values=dict(card.values),
        references=_references(card.values),
        decision_people=card.decision_people,
        purchases=card.purchases,
        sales_by_year=card.sales_by_year,
        communications=list(reversed(card.communications)),
        office=office_values.printed(office_fields(), card.office, card.kind),
        hidden=hidden_builtins(),
    )


def card_sheets(archive_nos: Sequence[str], actor: Actor | None) -> list[CardSheet]:
    """The cards with these archive numbers, in the order given.

    Raises:
        NotFoundError: naming every unknown number (nothing is returned then).
        PermissionDenied: ``actor`` may not read one of the cards.
    """
    return [card_sheet(cid, actor) for cid in customer_ids(archive_nos)]


def log_sheet(customer_id: int, actor: Actor | None) -> LogSheet:
    """One customer's communication log in time order, for the log register.

    Raises:
        PermissionDenied: ``actor`` may not open this customer's card.
    """
    visibility.require_view(actor, customer_id)
    name, number, owner = Customer.select(Customer.name, Customer.archive_no, Customer.owner
                                          ).where(Customer.id == customer_id).tuples().get()
    return LogSheet(archive_no=number, name=name or "", owner=staff_names().get(owner, ""),
                    communications=list(reversed(customers.communication_log(customer_id))))


def _rows_in_order(ids: list[int], actor: Actor | None, fields: list[OfficeField]
                   ) -> Iterator[tuple[str, ...]]:
    for start in range(0, len(ids), ROW_BLOCK):
        block = ids[start:start + ROW_BLOCK]
        rows = customer_list.rows(block, actor, fields)
        yield from (rows[cid] for cid in block)


def roster_rows(query: ListQuery, actor: Actor | None
                ) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    """The customer list's columns (keys; the office fields shown in it last) and every row it
    shows ``actor`` for ``query``, in order.

    Raises:
        PermissionDenied: ``actor`` does not print registers.
    """
    visibility.require(actor, visibility.Duty.PRINT_REGISTERS)
    fields = customer_list.listed_fields()
    columns = customer_list.list_columns(fields).keys
    return columns, list(_rows_in_order(find_ids(query, actor), actor, fields))


def filter_text(query: ListQuery) -> str:
    """The list's filter as the roster prints it (empty when the list shows everyone)."""
    return query.text.strip()


def overdue_rows(as_of: dt.date | None = None, owner_id: int | None = None,
                 actor: Actor | None = None) -> list[OverdueRow]:
    """The overdue list as the overdue page shows it to ``actor``, owners with the most
    overdue customers first, each owner's most overdue first.

    Raises:
        PermissionDenied: ``actor`` prints no overdue list (a salesperson prints their own).
    """
    visibility.require(actor, visibility.Duty.PRINT_FOLLOW_UPS)
    rows = followup.overdue(as_of, followup.FollowUpFilter(owner_id=owner_id), actor,
                            limit=None)
    sizes = Counter(row.owner_name for row in rows)
    rows = sorted(rows, key=lambda r: (-sizes[r.owner_name], r.owner_name))
    return [
        OverdueRow(
            owner=row.owner_name, archive_no=row.archive_no, name=row.name,
            mobile=row.mobile or "", level=row.level_code, days_overdue=row.days_overdue,
            last_contact=row.last_contact_at.date() if row.last_contact_at else None,
            last_method=row.last_method or "", last_conclusion=row.last_conclusion or "",
            next_follow_up=row.next_follow_up, source=row.source,
        )
        for row in rows
    ]


def overdue_period(as_of: dt.date) -> str:
    """The overdue list's period line."""
    return _("Overdue as of {date}").format(date=as_of.isoformat())


def _labelled(counts: dict[str, int], order: Sequence[str],
              label: Callable[[str], str]) -> list[tuple[str, int]]:
    """Counts by key as (label, number), keys of ``order`` first in that order, then the rest."""
    keys = [k for k in order if k in counts] + [k for k in counts if k not in order]
    return [(label(k), counts[k]) for k in keys]


def visit_rows(start: dt.date, end: dt.date, actor: Actor | None) -> VisitSheet:
    """The visitor and caller register from ``start`` to ``end`` (both included) in order of
    arrival, with its counts; a phone is masked where ``actor`` may not read the archive.

    Raises:
        PermissionDenied: ``actor`` does not print registers.
    """
    visibility.require(actor, visibility.Duty.PRINT_REGISTERS)
    rows = visit_register.visits_between(start, end, actor)
    counts = visit_register.count_register(rows)
    by_channel = dict.fromkeys(visit_register.CHANNEL_TITLES, 0) | counts.by_channel
    return VisitSheet(
        start=start, end=end,
        lines=rows,
        by_channel=_labelled(by_channel, list(visit_register.CHANNEL_TITLES),
                             visit_register.channel_label),
        by_source=_labelled(counts.by_source, [c.key for c in SOURCES],
                            visit_register.source_label),
        first_visits=counts.first_visits, returning=counts.returning,
    )


def record_printed(actor: Actor | None, printout: str, customer_ids: Sequence[int] = (),
                   **details: object) -> None:
    """Put a printout on the audit trail: one entry per card printed, or one for a list."""
    with database.atomic():
        if customer_ids:
            for customer_id in customer_ids:
                audit.record(actor, "print", customer_id, printout=printout, **details)
        else:
            audit.record(actor, "print", None, printout=printout, **details)

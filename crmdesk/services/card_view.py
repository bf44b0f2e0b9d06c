"""A card as its window shows it on opening: the card, its ownership with protection, its value,
deals, appointments and complaints, read in one call (one trip off the UI thread) and in few
statements, each panel's lines built by the same builders its own service uses."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from crmdesk.models import OwnershipChange
from crmdesk.services import (
    appointments,
    complaints,
    customer_value,
    customers,
    deals,
    ownership,
    protection,
    settings,
    staff,
)
from crmdesk.services.appointments import AppointmentRow
from crmdesk.services.complaints import ComplaintRow
from crmdesk.services.context import Actor
from crmdesk.services.customer_value import Value
from crmdesk.services.deals import DealRow
from crmdesk.services.glance import protection_words
from crmdesk.services.ownership import OwnershipRow

# The settings the panels use: the protection rule's and the value grades.
SETTINGS = (*protection.RULE_SETTINGS, "value_grades")


@dataclass(frozen=True)
class OwnershipPanel:
    """Who owns the archive, how long they are protected, the office's rule, the history."""

    owner: str
    protection: str
    rule: str
    history: list[OwnershipRow]


@dataclass(frozen=True)
class CardView:
    """Everything the card window shows of one customer when it opens."""

    card: customers.Card
    owner: str  # the owner's name, for the banner of a read-only card
    ownership: OwnershipPanel
    value: Value
    deals: list[DealRow]  # empty for a card opened read-only (deals are the readers')
    appointments: list[AppointmentRow]
    complaints: list[ComplaintRow]


def open_card_view(customer_id: int, actor: Actor | None,
                   today: dt.date | None = None) -> CardView:
    """The card of ``customer_id`` with every panel's data, for ``actor`` to look at; the look
    is recorded in the audit trail as ``customers.open_card`` records it.

    Raises:
        PermissionDenied: ``actor`` may not open this card; the message names its mark.
        NotFoundError: no customer has that id.
    """
    today = today or dt.date.today()
    # The panels' tables, the staff's names and the settings come with the customer's row.
    card, row = customers.open_card_row(customer_id, actor, {
        "names_gathered": staff.names_column(),
        "settings_gathered": settings.many_column(SETTINGS),
        "changes_gathered": ownership.changes_column(),
        "deals_gathered": deals.rows_column(),
        "owner_contact": protection.owner_contact_column(),
    })
    names = staff.names_from(row.names_gathered)
    owner_id = card.values.get("owner")
    stored = settings.many_from(SETTINGS, row.settings_gathered)
    changes = ownership.changes_from(row.changes_gathered)
    return CardView(
        card=card,
        owner=names.get(owner_id, ""),
        ownership=_ownership(customer_id, card, changes,
                             protection.owner_contact_from(row.owner_contact), names,
                             protection.rule(stored), today),
        value=_value(card, customer_value.bars_from(stored["value_grades"])),
        deals=[] if card.read_only else deals.rows_from(row.deals_gathered, names),
        appointments=appointments.customer_rows(customer_id, actor, today),
        complaints=complaints.card_rows(customer_id, actor, not card.read_only, names),
    )


def _ownership(customer_id: int, card: customers.Card, changes: list[OwnershipChange],
               contact: dt.datetime | None, names: dict[int, str],
               rule: protection.ProtectionRule, today: dt.date) -> OwnershipPanel:
    """The ownership panel from the card, its ``changes`` and its owner's latest ``contact``
    already read, and the office's ``rule``."""
    values = card.values
    owner_id = values.get("owner")
    guard = protection.protection_from(
        rule, customer_id, owner_id, values.get("level"), values.get("status"), card.created_at,
        max((c.at for c in changes), default=None), contact)
    words = protection_words(owner_id, guard.valid_on(today),
                             guard.expires if owner_id else None, guard.lapses_on)
    history = ownership.history_rows(changes, card.created_at, owner_id,
                                     values.get("registered_by"), names)
    return OwnershipPanel(names.get(owner_id, ""), words, rule.describe(), history)


def _value(card: customers.Card, bars: dict[str, customer_value.Bar]) -> Value:
    """The customer's value from the purchases on the card, graded by ``bars``."""
    amounts = [row["amount"] for row in card.purchases if row.get("amount") is not None]
    return customer_value.value_from(len(card.purchases), sum(amounts), bars)

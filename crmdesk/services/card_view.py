"""A card as its window shows it on opening: the card, its ownership with protection, its value,
deals, appointments and complaints, read in one call (one trip off the UI thread) and in few
statements, each panel's lines built by the same builders its own service uses."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from crmdesk.services import (
    appointments,
    complaints,
    customer_value,
    customers,
    deals,
    ownership,
    protection,
    settings,
)
from crmdesk.services.appointments import AppointmentRow
from crmdesk.services.complaints import ComplaintRow
from crmdesk.services.context import Actor
from crmdesk.services.customer_value import Value
from crmdesk.services.deals import DealRow
from crmdesk.services.glance import protection_words
from crmdesk.services.ownership import OwnershipRow
from crmdesk.services.staff import staff_names


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
    card = customers.open_card(customer_id, actor)
    names = staff_names()
    owner_id = card.values.get("owner")
    stored = settings.get_many((*protection.RULE_SETTINGS, "value_grades"))
    return CardView(
        card=card,
        owner=names.get(owner_id, ""),
        ownership=_ownership(customer_id, card, names, protection.rule(stored), today),
        value=_value(card, customer_value.bars_from(stored["value_grades"])),
        deals=[] if card.read_only else deals.deal_rows(customer_id, names),
        appointments=appointments.customer_rows(customer_id, actor, today),
        complaints=complaints.card_rows(customer_id, actor, not card.read_only, names),
    )


def _ownership(customer_id: int, card: customers.Card, names: dict[int, str],
               rule: protection.ProtectionRule, today: dt.date) -> OwnershipPanel:
    """The ownership panel from the card already read, its changes and the office's ``rule``."""
    changes = ownership.changes_of(customer_id)
    values = card.values
    owner_id = values.get("owner")
    contact = (protection.owner_contacts([customer_id]).get(customer_id)
               if rule.renewed_by_contact else None)
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

"""An archive at a glance, as the front desk and the pool list it: who owns it, is it protected.

Those who may not read the full card (crmdesk.services.visibility) see the archive number,
name, masked mobile, owner, level and protection only.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from crmdesk.i18n import _
from crmdesk.models import Customer, Level
from crmdesk.models.card import FIELDS
from crmdesk.models.phones import format_phone, mask_mobile
from crmdesk.services.context import Actor
from crmdesk.services.protection import protection_of
from crmdesk.services.staff import staff_names
from crmdesk.services.visibility import SECRET, readable_ids


@dataclass(frozen=True)
class Glance:
    """One archive: number, name, company, phone, owner, level, status, last contact, protection.

    ``protected_until`` is the owner's last protected day; ``lapses_on`` the day after it, for
    customers the pool can take (None when exempt or unowned).
    """

    customer_id: int
    archive_no: str
    name: str
    company: str
    phone: str
    owner_id: int | None
    owner: str
    level: str
    status: str
    last_contact: dt.date | None
    protected: bool
    protected_until: dt.date | None
    lapses_on: dt.date | None


def glances(ids: list[int], actor: Actor | None, today: dt.date | None = None) -> list[Glance]:
    """The archives ``ids`` at a glance, in the order given, protection judged on ``today``;
    a 绝密 archive ``actor`` may not read (asked for by id: lists never find it) without its
    name."""
    if not ids:
        return []
    today = today or dt.date.today()
    protection = protection_of(ids)
    names = staff_names()
    codes = dict(Level.select(Level.id, Level.code).tuples())
    status_field = FIELDS["status"]
    rows = list(Customer.select(
        Customer.id, Customer.archive_no, Customer.name, Customer.employer, Customer.mobile,
        Customer.phone, Customer.owner, Customer.level, Customer.status, Customer.last_contact_at,
        Customer.confidentiality,
    ).where(Customer.id.in_(ids)).tuples())
    readable = readable_ids(actor, [(row[0], row[6], row[10]) for row in rows])
    found = {}
    for (cid, archive_no, name, employer, mobile, phone, owner_id, level_id, status, last,
         mark) in rows:
        full = cid in readable
        if not full and mark == SECRET:
            name = _("(name withheld: marked 绝密)")
        guard = protection[cid]
        choice = status_field.choice(status)
        found[cid] = Glance(
            cid, archive_no, name or "", (employer or "") if full else "",
            format_phone(mobile or phone) if full else mask_mobile(mobile or phone),
            owner_id, names.get(owner_id, ""), codes.get(level_id, ""),
            choice.label if choice else "", last.date() if last else None,
            guard.valid_on(today), guard.expires if owner_id else None, guard.lapses_on)
    return [found[cid] for cid in ids if cid in found]


def protection_label(glance: Glance) -> str:
    """The owner's protection in words: until when, since when lapsed, or exempt."""
    return protection_words(glance.owner_id, glance.protected, glance.protected_until,
                            glance.lapses_on)


def protection_words(owner_id: int | None, protected: bool, protected_until: dt.date | None,
                     lapses_on: dt.date | None) -> str:
    """An owner's protection in words, from the parts a ``Glance`` keeps of it."""
    if owner_id is None:
        return _("no owner: in the public pool")
    if protected and lapses_on is None:
        return _("protected: customer with a deal")
    if protected:
        return _("protected until {day}").format(day=protected_until)
    return _("lapsed on {day}").format(day=lapses_on)

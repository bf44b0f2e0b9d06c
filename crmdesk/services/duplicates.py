"""The register form's check (F2): which archives may be the visitor's, as it is typed.

The visitor is compared by the one duplicate rule (crmdesk.services.duplicate_rule), as the
card editor's panel compares a card: the phone in its stored form (so ``138 0013 8000``,
``+86 138-0013-8000`` and ``13800138000`` find the same archive, in any phone field), the name
with the company (also a same-sounding name, 张/章), and the company as an organisation's name.
Each match says how strongly it matches and why. While the phone is still being typed (three
digits or more) the archives whose mobile or phone starts with it are listed too, and a name
typed without a company lists the archives of exactly that name, so the desk finds a returning
customer before the number is complete. Every lookup is an index seek with a limit.

The desk sees what it may see: archives it may not search (绝密) are left out, and only
counted; the others show a masked mobile unless it may read the card (services.glance).
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

import peewee

from crmdesk.i18n import N_, _
from crmdesk.models import Customer
from crmdesk.models.phones import PhoneError, normalize_phone
from crmdesk.services.context import Actor
from crmdesk.services.duplicate_rule import Hit, similar_to, visible_ids
from crmdesk.services.glance import Glance, glances
from crmdesk.services.identity import STRONG
from crmdesk.services.visibility import searchable

MIN_DIGITS = 3
LIMIT = 8
# Keys that say the archive has the visitor's own phone: a visit is then a return visit.
OWN_PHONE_KEYS = frozenset({"mobile", "phone"})
# The lookups beside the rule, in the user's words (they say where to look, not who it is).
LOOKUPS = {"phone_prefix": N_("phone begins with the digits typed"), "name": N_("same name")}


@dataclass(frozen=True)
class Match(Glance):
    """An archive that may be the visitor's: what matched ("phone", "spouse", "name" or
    "company"), the rule's score (0 for a lookup) and why, in the user's words."""

    matched_on: str = "phone"
    score: int = 0
    why: str = ""

    @property
    def strong(self) -> bool:
        """The rule takes it for the visitor's archive: a new one needs a confirmed reason."""
        return self.score >= STRONG


@dataclass(frozen=True)
class PhoneKey:
    """What was typed in the phone box: the stored form when complete, else the digits so far."""

    text: str
    complete: bool


def phone_key(typed: str) -> PhoneKey:
    """Read a phone as typed so far: ``138 0013 8000`` is complete, ``138-00`` a prefix."""
    text = unicodedata.normalize("NFKC", typed or "").strip()
    try:
        return PhoneKey(normalize_phone(text), True)
    except PhoneError:
        pass
    digits = re.sub(r"\D", "", text)
    international = text.startswith("+") or text.startswith("00")
    if international:
        digits = digits.removeprefix("00")
        if digits.startswith("86"):
            return PhoneKey(digits[2:], False)
        return PhoneKey("+" + digits, False)
    return PhoneKey(digits, False)


def visitor_card(phone: str, name: str = "", company: str = "") -> dict[str, Any]:
    """The visitor as the duplicate rule reads a card: name, company as the employer, and the
    phone in its stored form once it is complete."""
    key = phone_key(phone)
    return {"name": name.strip() or None, "employer": company.strip() or None,
            "phone": key.text if key.complete else None}


def rule_hits(phone: str, name: str = "", company: str = "") -> list[Hit]:
    """The duplicate rule's matches for the visitor, best first: as a person (phone, name with
    company) and, for the company typed, as that organisation."""
    hits = similar_to(visitor_card(phone, name, company))
    if company.strip():
        hits += similar_to({"kind": "organisation", "name": company.strip()})
    best: dict[int, Hit] = {}
    for hit in hits:
        if hit.customer_id not in best or hit.score > best[hit.customer_id].score:
            best[hit.customer_id] = hit
    return sorted(best.values(), key=lambda h: (-h.score, h.archive_no))


def _matched_on(hit: Hit) -> str:
    if OWN_PHONE_KEYS & set(hit.reasons):
        return "phone"
    if "organisation" in hit.reasons:
        return "company"
    return "spouse" if hit.reasons == ("spouse_phone",) else "name"


def _prefix(column: peewee.Field, text: str) -> peewee.Expression:
    # A range on the index: LIKE 'x%' would scan the table on SQLite.
    return (column >= text) & (column < text + "\U0010ffff")


def _lookups(key: PhoneKey, name: str, company: str) -> list[tuple[peewee.Expression, str]]:
    """The searches beside the rule: a phone being typed, a name typed without a company."""
    found = []
    if not key.complete and len(key.text.lstrip("+")) >= MIN_DIGITS:
        found.append((_prefix(Customer.mobile, key.text) | _prefix(Customer.phone, key.text),
                      "phone_prefix"))
    if not company and len(name) >= 2:
        found.append((Customer.name == name, "name"))
    return found


def find_duplicates(phone: str = "", name: str = "", company: str = "",
                    actor: Actor | None = None, limit: int = LIMIT,
                    today: dt.date | None = None) -> list[Match]:
    """Archives that may already be this visitor's: the rule's matches best first, then the
    archives a phone being typed or a name alone finds.

    Top-secret archives ``actor`` may not read are left out, as in every search.

    Args:
        phone: the phone as typed so far, in any format.
        name: the visitor's name; with ``company`` it is compared by the rule, alone it finds
            archives of exactly that name.
        company: the visitor's company; also finds the organisation of that name.
        actor: who is asking (decides what is hidden and masked).
        limit: at most this many of the rule's matches, and of each lookup.
        today: the day protection is judged on (today by default).
    """
    name, company = name.strip(), company.strip()
    hits = rule_hits(phone, name, company)
    visible = visible_ids([h.customer_id for h in hits], actor) if hits else set()
    found: dict[int, tuple[str, int, str]] = {
        h.customer_id: (_matched_on(h), h.score, h.why)
        for h in [h for h in hits if h.customer_id in visible][:limit]}
    hidden = searchable(actor)
    for condition, lookup in _lookups(phone_key(phone), name, company):
        if hidden is not None:
            condition &= hidden
        query = Customer.select(Customer.id).where(condition).limit(limit)
        matched_on = "phone" if lookup == "phone_prefix" else "name"
        for (cid,) in query.tuples():
            found.setdefault(cid, (matched_on, 0, _(LOOKUPS[lookup])))
    return [Match(**vars(g), matched_on=found[g.customer_id][0],
                  score=found[g.customer_id][1], why=found[g.customer_id][2])
            for g in glances(list(found), actor, today)]


def restricted_hits(phone: str, actor: Actor | None, name: str = "", company: str = "") -> int:
    """How many archives ``actor`` may not see the rule takes for this visitor (by the phone,
    or by name and company).

    The check never shows them, but says that an archive exists, so the front desk asks the
    manager instead of creating a second archive.
    """
    if searchable(actor) is None:
        return 0
    strong = [h.customer_id for h in rule_hits(phone, name, company) if h.strong]
    return len(strong) - len(visible_ids(strong, actor)) if strong else 0

"""Who a card is: the keys that say two archives may be one customer, and how strongly.

One comparison serves every path: the card's save, the front desk, imports, claims and the scan
of the whole archive. Keys: every phone on the card (mobile, fixed line, home phone, fax; the
spouse's phone only weakly), the licence and tax numbers, the name with the birth date or the
company, and a same-sounding name (张/章, by its pinyin) with the birth date or the company.
A pair scores its best key, plus a little for each further key; from ``STRONG`` on it is
taken for the same customer, from ``WEAK`` on it is worth a look.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple

from crmdesk.i18n import N_, _
from crmdesk.models import Customer
from crmdesk.models.search_keys import pinyin_keys

STRONG = 80
WEAK = 50
EXTRA_KEY = 5

# What each key scores on its own, and how it is named to the user.
REASONS: dict[str, tuple[int, str]] = {
    "mobile": (100, N_("same mobile")),
    "licence": (100, N_("same licence or tax number")),
    "name_birth": (90, N_("same name and birth date")),
    "name_company": (85, N_("same name and company")),

    "phone": (80, N_("same phone")),
    "sound_birth": (75, N_("same-sounding name and birth date")),
    "sound_company": (70, N_("same-sounding name and company")),
    # Alone only weak: branches and namesakes in other cities share a name.
    "organisation": (60, N_("same organisation name")),
    "spouse_phone": (50, N_("spouse's phone is the other's phone")),
}
# Card fields that decide who a customer is: a change of one of them runs the rule again.
IDENTITY_FIELDS = ("kind", "name", "employer", "birth_date", "mobile", "phone", "home_phone",
                   "fax", "spouse_phone", "licence_no", "tax_no")
OWN_PHONES = ("mobile", "phone", "home_phone", "fax")
NUMBERS = ("licence_no", "tax_no")
# Read for each archive compared (the scan reads them for the whole archive as tuples).
COLUMNS = (Customer.id, Customer.archive_no, Customer.kind, Customer.name, Customer.name_pinyin,
           Customer.employer, Customer.birth_date, Customer.mobile, Customer.phone,
           Customer.home_phone, Customer.fax, Customer.spouse_phone, Customer.licence_no,
           Customer.tax_no)
_COMPANY_SUFFIX = re.compile(r"(股份有限公司|有限责任公司|有限公司|集团|公司)$")
# Licence and tax numbers (统一社会信用代码) are letters and digits, compared in capitals.
_MOBILE_LIKE = re.compile(r"1\d{10}|\+\d+")
_NONE: frozenset[str] = frozenset()


def reason_label(reason: str) -> str:
    """The user's words for a matching key (``mobile`` → "same mobile")."""
    return _(REASONS[reason][1])


@lru_cache(maxsize=1 << 17)
def _plain(text: Any) -> str:
    """Text compared as people mean it: full-width folded, spaces dropped, case ignored."""
    if not text:
        return ""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text))).casefold()


@lru_cache(maxsize=1 << 16)
def company_key(text: Any) -> str:
    """A company as compared: 华信科技有限公司 and 华信科技 are one company."""
    plain = _plain(text)
    shorter = plain
    while (cut := _COMPANY_SUFFIX.sub("", shorter)) != shorter:
        shorter = cut
    return shorter or plain


def number_key(text: Any) -> str:
    """A licence or tax number as compared: no spaces, capitals."""
    return _plain(text).upper()


class Identity(NamedTuple):
    """The keys of one archive (or of a card being typed, ``customer_id`` None).

    A named tuple: the scan makes 200,000 of them, and a tuple is made fastest.
    """

    customer_id: int | None
    archive_no: str
    organisation: bool
    name: str
    sound: str
    company: str
    birth: dt.date | None
    phones: frozenset[str]
    spouse_phones: frozenset[str]
    numbers: frozenset[str]

    def blocking_keys(self) -> list[tuple]:
        """Keys two archives must share to be compared at all (the scan groups by them).

        A name is grouped by its sound only: one name always sounds the same.
        """
        keys: list[tuple] = [("tel", phone) for phone in self.phones]
        keys += [("tel", phone) for phone in self.spouse_phones - self.phones]
        keys += [("no", number) for number in self.numbers]
        if self.organisation and self.name:
            keys.append(("org", self.name))
        called = self.sound or self.name
        if called:
            if self.birth:
                keys.append(("birth", called, self.birth))
            if self.company:
                keys.append(("company", called, self.company))
        return keys


def identity_of(values: Mapping[str, Any], customer_id: int | None = None,
                archive_no: str = "") -> Identity:
    """The identity of a card's values (stored forms: phones normalised, dates as dates)."""
    name = _plain(values.get("name"))
    sound = values.get("name_pinyin")
    if sound is None:
        sound = pinyin_keys(values.get("name") or "")[0]
    organisation = values.get("kind") == "organisation"
    return Identity(
        customer_id, archive_no, organisation, name, sound or "",
        "" if organisation else company_key(values.get("employer")),
        values.get("birth_date"),
        frozenset(p for p in (values.get(f) for f in OWN_PHONES) if p),
        frozenset(p for p in (values.get("spouse_phone"),) if p),
        frozenset(number_key(n) for n in (values.get(f) for f in NUMBERS) if number_key(n)),
    )


def identity_of_row(row: Sequence[Any]) -> Identity:
    """The identity of a row read with ``COLUMNS``."""
    (cid, archive_no, kind, name, sound, employer, birth, mobile, phone, home, fax, spouse,
     licence, tax) = row
    organisation = kind == "organisation"
    return Identity(
        cid, archive_no, organisation, _plain(name), sound or "",
        "" if organisation or not employer else company_key(employer), birth,
        frozenset(p for p in (mobile, phone, home, fax) if p) if mobile or phone or home or fax
        else _NONE, frozenset((spouse,)) if spouse else _NONE,
        frozenset(number_key(n) for n in (licence, tax) if number_key(n)) if licence or tax
        else _NONE,
    )


@dataclass(frozen=True)
class Verdict:
    """How alike two archives are: a score out of 100 and the keys they share."""

    score: int
    reasons: tuple[str, ...]

    @property
    def strong(self) -> bool:
        return self.score >= STRONG


def compare(a: Identity, b: Identity) -> Verdict:
    """Score two identities on every key they share (0 when none)."""
    reasons = []
    shared = a.phones & b.phones
    if any(_MOBILE_LIKE.fullmatch(p) for p in shared):
        reasons.append("mobile")
    elif shared:
        reasons.append("phone")
    if a.numbers & b.numbers:
        reasons.append("licence")
    if a.name and a.name == b.name:
        if a.birth and a.birth == b.birth:
            reasons.append("name_birth")
        if a.company and a.company == b.company:
            reasons.append("name_company")
        if a.organisation and b.organisation:
            reasons.append("organisation")
    elif a.sound and a.sound == b.sound and a.name and b.name:
        if a.birth and a.birth == b.birth:
            reasons.append("sound_birth")
        if a.company and a.company == b.company:
            reasons.append("sound_company")
    if (a.spouse_phones & b.phones) or (b.spouse_phones & a.phones):
        reasons.append("spouse_phone")
    if not reasons:
        return Verdict(0, ())
    reasons.sort(key=lambda r: -REASONS[r][0])
    score = min(100, REASONS[reasons[0]][0] + EXTRA_KEY * (len(reasons) - 1))
    return Verdict(score, tuple(reasons))

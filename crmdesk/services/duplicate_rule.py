"""The duplicate rule: no customer gets a second archive unless a person says why.

Every path that creates an archive or changes who it is (the card editor's save, the front
desk, imports, claims) asks ``similar_to`` which archives share keys with the card
(crmdesk.services.identity). A strong match refuses the save (``DuplicateArchiveError``) until
someone confirms a second archive with a reason, which the audit trail keeps; weak matches are
returned to be shown. Pairs marked "not the same person" never block again.

Two desks saving the same new customer at once: the save holds the PHONE lock of each of the
card's phones and the NAME lock of its name (crmdesk.models.locks) before looking, so the second
desk waits, then finds the first one's archive.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import peewee

from crmdesk.errors import CrmError, Problem, ValidationError
from crmdesk.i18n import _
from crmdesk.models import Customer, NotSamePerson
from crmdesk.models.db import database
from crmdesk.models.locks import Subject, hold
from crmdesk.services import audit
from crmdesk.services.context import Actor
from crmdesk.services.glance import Glance, glances
from crmdesk.services.identity import (
    COLUMNS,
    IDENTITY_FIELDS,
    NUMBERS,
    OWN_PHONES,
    WEAK,
    Identity,
    Verdict,
    compare,
    identity_of,
    identity_of_row,
    reason_label,
)
from crmdesk.services.typed_text import LINE_MAX
from crmdesk.services.visibility import searchable

# More candidates than this share a key only when the key is not personal (a switchboard).
CANDIDATES = 200
# Cards an import matches at a time (strong_matches).
STRONG_CHUNK = 10_000


@dataclass(frozen=True)
class Hit:
    """An archive that may be the same customer: its number, name, score and shared keys."""

    customer_id: int
    archive_no: str
    name: str
    score: int
    reasons: tuple[str, ...]

    @property
    def strong(self) -> bool:
        return Verdict(self.score, self.reasons).strong

    @property
    def why(self) -> str:
        """The shared keys in the user's words, joined."""
        return _(", ").join(reason_label(r) for r in self.reasons)


class DuplicateArchiveError(CrmError):
    """The card is very likely a customer who already has an archive; ``hits`` are the strong
    matches the user may see, ``hidden`` how many others are top-secret archives."""

    def __init__(self, hits: list[Hit], hidden: int = 0) -> None:
        self.hits = hits
        self.hidden = hidden
        if not hits:
            super().__init__(_("This customer very likely has an archive already, which you "
                               "may not see: ask the manager before creating another."))
            return
        found = "；".join(f"{h.archive_no} {h.name}（{h.why}）" for h in hits)
        super().__init__(_("This customer very likely has an archive already: {archives}. "
                           "Open that archive, or confirm a second archive and say why.")
                         .format(archives=found))


def identity_changed(old: Mapping[str, Any] | None, new: Mapping[str, Any]) -> bool:
    """True for a new card, or when a field that says who the customer is was changed."""
    return old is None or any(old.get(f) != new.get(f) for f in IDENTITY_FIELDS)


def _candidates(me: Identity, name: str) -> peewee.Expression | None:
    """Archives sharing at least one blocking key with ``me``, as SQL on indexed columns."""
    phone_columns = [getattr(Customer, f) for f in OWN_PHONES]
    conditions: list[peewee.Expression] = []
    if me.phones:
        own = sorted(me.phones)
        conditions += [column.in_(own) for column in phone_columns]
        conditions.append(Customer.spouse_phone.in_(own))
    if me.spouse_phones:
        conditions += [column.in_(sorted(me.spouse_phones)) for column in phone_columns]
    if me.numbers:
        # Stored as typed: looked up in capitals and in small letters.
        spellings = sorted(me.numbers | {n.lower() for n in me.numbers})
        conditions += [getattr(Customer, f).in_(spellings) for f in NUMBERS]
    if me.name or me.sound:
        which = _any([c for c in (Customer.name == name if name else None,
                                  Customer.name_pinyin == me.sound if me.sound else None)
                      if c is not None])
        also: list[peewee.Expression] = []
        if me.birth:
            also.append(Customer.birth_date == me.birth)
        if me.company:
            also.append(Customer.employer.is_null(False))
        if me.organisation:
            # An organisation's name is a key of its own (compare() checks the kind): a
            # condition on the kind would lead SQLite to read every organisation instead.
            conditions.append(which)
        elif also:
            conditions.append(which & _any(also))
    return _any(conditions) if conditions else None


def _any(conditions: list[peewee.Expression]) -> peewee.Expression:
    result = conditions[0]
    for condition in conditions[1:]:
        result |= condition
    return result


def _marked_distinct(customer_id: int | None) -> set[int]:
    """Archives a person said are not the same person as ``customer_id``."""
    if customer_id is None:
        return set()
    rows = NotSamePerson.select(NotSamePerson.first, NotSamePerson.second).where(
        (NotSamePerson.first == customer_id) | (NotSamePerson.second == customer_id)).tuples()
    return {a if b == customer_id else b for a, b in rows}


def similar_to(values: Mapping[str, Any], customer_id: int | None = None,
               minimum: int = WEAK) -> list[Hit]:
    """Archives that may be the customer of this card, best first (not ``customer_id`` itself,
    nor archives marked "not the same person" as it).

    ``values`` are a card's values in their stored forms (phones normalised, dates as dates),
    as ``services.validation.clean_fields`` gives them.
    """
    me = identity_of(values, customer_id)
    where = _candidates(me, str(values.get("name") or "").strip())
    if where is None:
        return []
    if customer_id is not None:
        where &= Customer.id != customer_id
    rows = Customer.select(*COLUMNS).where(where).limit(CANDIDATES).tuples()
    distinct = _marked_distinct(customer_id)
    hits = []
    for row in rows:
        other = identity_of_row(row)
        if other.customer_id in distinct:
            continue
        verdict = compare(me, other)
        if verdict.score >= minimum:
            hits.append(Hit(row[0], row[1], row[3] or "", verdict.score, verdict.reasons))
    hits.sort(key=lambda h: (-h.score, h.archive_no))
    return hits


def hold_identity(values: Mapping[str, Any]) -> None:
    """Make another desk saving the same phones, numbers or name wait until this transaction
    ends. Call inside the transaction, before ``similar_to``."""
    me = identity_of(values)
    for phone in sorted(me.phones | me.spouse_phones):
        hold(Subject.PHONE, phone)
    for key in sorted({me.name, me.sound, *me.numbers} - {""}):
        hold(Subject.NAME, key)


def check_reason(reason: str | None) -> str | None:
    """The reason for a second archive, cleaned; ValidationError when it is given but blank."""
    if reason is None:
        return None
    cleaned = " ".join(reason.split())
    if not cleaned:
        raise ValidationError([Problem("second_archive", _("Reason for a second archive"),
                                       _("required"))])
    if len(cleaned) > LINE_MAX:
        raise ValidationError([Problem("second_archive", _("Reason for a second archive"),
                                       _("at most {n} characters").format(n=LINE_MAX))])
    return cleaned


def enforce(values: Mapping[str, Any], customer_id: int | None, actor: Actor | None,
            second_archive: str | None) -> list[Hit]:
    """Apply the rule to a card about to be saved; return every match (strong ones only when
    confirmed). Call inside the save's transaction.

    Raises:
        DuplicateArchiveError: a strong match and no reason for a second archive.
    """
    hold_identity(values)
    hits = similar_to(values, customer_id)
    strong = [h for h in hits if h.strong]
    if strong and second_archive is None:
        visible = visible_ids([h.customer_id for h in strong], actor)
        raise DuplicateArchiveError([h for h in strong if h.customer_id in visible],
                                    len(strong) - len(visible))
    return hits


def record_confirmation(actor: Actor | None, customer_id: int, hits: list[Hit],
                        reason: str | None) -> None:
    """Keep in the audit trail that a person confirmed a second archive, and why."""
    strong = [h for h in hits if h.strong]
    if strong and reason:
        audit.record(actor, "second_archive", customer_id, reason=reason,
                     matches=[{"archive_no": h.archive_no, "score": h.score,
                               "keys": list(h.reasons)} for h in strong])


def visible_ids(ids: list[int], actor: Actor | None) -> set[int]:
    """Those of the archives ``ids`` that ``actor`` may find (all but 绝密 ones not theirs)."""
    hidden = searchable(actor)
    query = Customer.select(Customer.id).where(Customer.id.in_(ids))
    if hidden is not None:
        query = query.where(hidden)
    return {row[0] for row in query.tuples()}


@dataclass(frozen=True)
class Similar:
    """A matching archive as a panel shows it: at a glance, with its score and shared keys."""

    glance: Glance
    score: int
    reasons: tuple[str, ...]
    strong: bool
    why: str


def similar_archives(values: Mapping[str, Any], actor: Actor | None,
                     customer_id: int | None = None,
                     today: dt.date | None = None) -> tuple[list[Similar], int]:
    """The matches of a card as it is typed, for the panel beside the form, and how many more
    are top-secret archives ``actor`` may not see."""
    hits = similar_to(values, customer_id)
    visible = visible_ids([h.customer_id for h in hits], actor) if hits else set()
    by_id = {g.customer_id: g for g in glances([h.customer_id for h in hits
                                                 if h.customer_id in visible], actor, today)}
    shown = [Similar(by_id[h.customer_id], h.score, h.reasons, h.strong, h.why)
             for h in hits if h.customer_id in by_id]
    return shown, len(hits) - len(shown)


def similar_while_typing(typed: Mapping[str, Any], actor: Actor | None,
                         customer_id: int | None = None) -> tuple[list[Similar], int]:
    """``similar_archives`` for a card's values as typed in the form: values that do not read
    yet (a phone half typed) are left out rather than refused."""
    from crmdesk.services.validation import clean_fields

    values, _problems = clean_fields(dict(typed), typed.get("kind"))
    return similar_archives(values, actor, customer_id)


def protected_twin(customer_id: int, claimant_id: int, today: dt.date) -> tuple[Hit, int] | None:
    """Another archive of the same customer (a strong match) that someone else owns and is
    still protected on, by the first-visit rule; with that owner's id. None when there is none.

    A claim from the pool must not take a customer whose other archive is a colleague's.
    """
    from crmdesk.services.customers import get_card
    from crmdesk.services.protection import protection_of

    strong = [h for h in similar_to(get_card(customer_id).values, customer_id) if h.strong]
    guards = protection_of([h.customer_id for h in strong])
    for hit in strong:
        guard = guards.get(hit.customer_id)
        if guard is not None and guard.owner_id not in (None, claimant_id) \
                and guard.valid_on(today):
            return hit, guard.owner_id
    return None


@cache
def _in_statement(column: str, count: int, param: str) -> str:
    """The SELECT of ``COLUMNS`` for archives whose ``column`` is one of ``count`` keys, in the
    parameter style ``param`` of the database it was made for."""
    sql, _keys = Customer.select(*COLUMNS).where(
        getattr(Customer, column).in_([""] * count)).sql()
    return sql


_DATES = tuple(i for i, f in enumerate(COLUMNS) if isinstance(f, peewee.DateField))


def _holding(column: str, keys: Sequence[str]) -> list[tuple]:
    """``COLUMNS`` of the archives whose ``column`` is one of ``keys``, values as peewee reads
    them. The statement is composed once per column and number of keys: peewee composes an
    IN list value by value, which took longer than the queries of an import."""
    rows = database.execute_sql(_in_statement(column, len(keys), database.param),
                                list(keys)).fetchall()
    if not _DATES:
        return rows
    read = [(i, COLUMNS[i].python_value) for i in _DATES]
    found = []
    for row in rows:
        values = list(row)
        for i, python_value in read:
            values[i] = python_value(values[i])
        found.append(tuple(values))
    return found


def strong_matches(cards: list[Mapping[str, Any]], batch: int = 500) -> list[Hit | None]:
    """For each card (values in stored forms), its best strong match in the archive, or None.

    For imports: the archive is looked up in batches of ``batch`` keys per column, so a
    50,000-row file costs a few hundred queries rather than one per row. The cards are taken
    ``STRONG_CHUNK`` at a time, so the identities and look-ups held at once stay the same size
    whatever the file's length (the archives a card may match are those sharing one of its
    keys, all fetched with its own chunk).
    """
    found: list[Hit | None] = []
    for start in range(0, len(cards), STRONG_CHUNK):
        found += _strong_matches(cards[start:start + STRONG_CHUNK], batch)
    return found


def _strong_matches(cards: list[Mapping[str, Any]], batch: int) -> list[Hit | None]:
    mine = [identity_of(values) for values in cards]
    phones = sorted({p for me in mine for p in me.phones | me.spouse_phones})
    numbers = sorted({s for me in mine for n in me.numbers for s in (n, n.lower())})
    names = sorted({str(v.get("name") or "").strip() for v in cards} - {""})
    sounds = sorted({me.sound for me in mine} - {""})
    lookups = [(f, phones) for f in (*OWN_PHONES, "spouse_phone")]
    lookups += [(f, numbers) for f in NUMBERS]
    lookups += [("name", names), ("name_pinyin", sounds)]
    holders: dict[tuple, list[Identity]] = {}
    seen: set[int] = set()
    for column, keys in lookups:
        for start in range(0, len(keys), batch):
            for row in _holding(column, keys[start:start + batch]):
                if row[0] in seen:
                    continue
                seen.add(row[0])
                other = identity_of_row(row)
                for key in other.blocking_keys():
                    holders.setdefault(key, []).append(other)
    found: list[Hit | None] = []
    for me in mine:
        best: Hit | None = None
        candidates = {o.customer_id: o for key in me.blocking_keys()
                      for o in holders.get(key, ())}
        for other in candidates.values():
            verdict = compare(me, other)
            if verdict.strong and (best is None or verdict.score > best.score):
                best = Hit(other.customer_id or 0, other.archive_no, other.name, verdict.score,
                           verdict.reasons)
        found.append(best)
    return found

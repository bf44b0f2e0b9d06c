"""Scanning the whole archive for likely duplicates, then keeping the answer current.

The scan reads the identity columns of every archive once (crmdesk.services.identity), groups
archives by the keys they share, and compares only archives in one group: a few seconds at
200,000 customers. A key held by more than ``MAX_SHARED`` archives is not a person's (a
company's switchboard, a name common on one birthday) and is left out. Afterwards ``update``
reads again only the archives that changed. Pairs marked "not the same person" are left out;
archives linked by matching pairs form one group of likely duplicates.
"""
from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable
from dataclasses import dataclass

import peewee

from crmdesk.errors import NotFoundError, Problem, ValidationError
from crmdesk.i18n import _
from crmdesk.models import Customer, NotSamePerson
from crmdesk.models.db import database
from crmdesk.services import audit
from crmdesk.services.context import Actor
from crmdesk.services.identity import (
    COLUMNS,
    REASONS,
    WEAK,
    Identity,
    Verdict,
    compare,
    identity_of_row,
    reason_label,
)
from crmdesk.services.typed_text import LINE_MAX
from crmdesk.services.visibility import Duty, require, searchable

MAX_SHARED = 12
READ_CHUNK = 900  # ids per query when reading changed archives again


@dataclass(frozen=True)
class PairMatch:
    """Two archives (smaller id first) that may be one customer."""

    first_id: int
    second_id: int
    score: int
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Member:
    """An archive in a group of likely duplicates."""

    customer_id: int
    archive_no: str
    name: str


@dataclass(frozen=True)
class DuplicateGroup:
    """Archives linked by matching pairs: its best score, every key shared, and the pairs."""

    score: int
    reasons: tuple[str, ...]
    members: tuple[Member, ...]
    pairs: tuple[PairMatch, ...]

    @property
    def why(self) -> str:
        """The shared keys in the user's words."""
        return _(", ").join(reason_label(r) for r in self.reasons)


class ArchiveScan:
    """The likely duplicates of the whole archive as ``actor`` may see it, kept current by
    ``update`` with the ids of archives changed since (from the change log)."""

    def __init__(self, actor: Actor | None) -> None:
        require(actor, Duty.REASSIGN)
        self.actor = actor
        self._identities: dict[int, Identity] = {}
        # key -> the one archive holding it, or the list of all holding it (most keys are
        # one archive's: an int each is much cheaper than 700,000 sets).
        self._holders: dict[tuple, int | list[int]] = {}
        self._pairs: dict[tuple[int, int], Verdict] = {}

    def run(self) -> ArchiveScan:
        """Read and compare the whole archive; returns itself."""
        self._identities.clear()
        self._holders.clear()
        self._pairs.clear()
        for row in database.execute(self._query()):
            self._add(identity_of_row(row))
        for holders in self._holders.values():
            if isinstance(holders, list) and len(holders) <= MAX_SHARED:
                for a, b in itertools.combinations(sorted(holders), 2):
                    self._compare(a, b)
        return self

    def update(self, customer_ids: Iterable[int]) -> None:
        """Read these archives again (changed, new or gone) and compare them afresh."""
        ids = sorted(set(customer_ids))
        for cid in ids:
            self._remove(cid)
        for start in range(0, len(ids), READ_CHUNK):
            chunk = ids[start:start + READ_CHUNK]
            for row in database.execute(self._query().where(Customer.id.in_(chunk))):
                self._add(identity_of_row(row))
        for cid in ids:
            me = self._identities.get(cid)
            if me is None:
                continue
            for key in set(me.blocking_keys()):
                holders = self._holders.get(key)
                if isinstance(holders, list) and len(holders) <= MAX_SHARED:
                    for other in set(holders) - {cid}:
                        self._compare(min(cid, other), max(cid, other))

    def _query(self) -> peewee.ModelSelect:
        """The identity columns of every archive the actor may find, read as stored (the scan
        compares stored values with stored values; converting 200,000 dates costs seconds)."""
        query = Customer.select(*COLUMNS)
        hidden = searchable(self.actor)
        return query.where(hidden) if hidden is not None else query

    def _add(self, me: Identity) -> None:
        cid = me.customer_id or 0
        self._identities[cid] = me
        holders = self._holders
        for key in me.blocking_keys():
            found = holders.get(key)
            if found is None:
                holders[key] = cid
            elif isinstance(found, list):
                if cid not in found:
                    found.append(cid)
            elif found != cid:
                holders[key] = [found, cid]

    def _remove(self, cid: int) -> None:
        me = self._identities.pop(cid, None)
        if me is None:
            return
        for key in me.blocking_keys():
            holders = self._holders.get(key)
            if holders == cid:
                del self._holders[key]
            elif isinstance(holders, list) and cid in holders:
                holders.remove(cid)
                if len(holders) == 1:
                    self._holders[key] = holders[0]
        for pair in [p for p in self._pairs if cid in p]:
            del self._pairs[pair]

    def _compare(self, a: int, b: int) -> None:
        if (a, b) in self._pairs:
            return
        verdict = compare(self._identities[a], self._identities[b])
        if verdict.score:
            self._pairs[(a, b)] = verdict

    def groups(self, min_score: int = WEAK) -> list[DuplicateGroup]:
        """Groups of likely duplicates, best first; pairs marked "not the same person" and
        pairs scoring under ``min_score`` are left out."""
        distinct = set(NotSamePerson.select(NotSamePerson.first, NotSamePerson.second).tuples())
        pairs = [PairMatch(a, b, v.score, v.reasons) for (a, b), v in self._pairs.items()
                 if v.score >= min_score and (a, b) not in distinct]
        parent: dict[int, int] = {}

        def root(x: int) -> int:
            while parent.get(x, x) != x:
                parent[x] = parent.get(parent[x], parent[x])
                x = parent[x]
            return x

        for pair in pairs:
            parent[root(pair.first_id)] = root(pair.second_id)
        linked: dict[int, list[PairMatch]] = {}
        for pair in pairs:
            linked.setdefault(root(pair.first_id), []).append(pair)
        names = self._names({i for p in pairs for i in (p.first_id, p.second_id)})
        found = []
        for group_pairs in linked.values():
            ids = sorted({i for p in group_pairs for i in (p.first_id, p.second_id)})
            members = tuple(Member(i, self._identities[i].archive_no, names.get(i, ""))
                            for i in ids)
            reasons = sorted({r for p in group_pairs for r in p.reasons},
                             key=lambda r: -REASONS[r][0])
            found.append(DuplicateGroup(
                max(p.score for p in group_pairs), tuple(reasons), members,
                tuple(sorted(group_pairs, key=lambda p: -p.score))))
        found.sort(key=lambda g: (-g.score, g.members[0].archive_no))
        return found

    @staticmethod
    def _names(ids: set[int]) -> dict[int, str]:
        """Names as written (the scan keeps them only folded), for archives in a group."""
        ordered = sorted(ids)
        names: dict[int, str] = {}
        for start in range(0, len(ordered), READ_CHUNK):
            names.update(Customer.select(Customer.id, Customer.name).where(
                Customer.id.in_(ordered[start:start + READ_CHUNK])).tuples())
        return names


def scan(actor: Actor | None, min_score: int = WEAK) -> list[DuplicateGroup]:
    """Every group of likely duplicates in the archive (manager only), best first."""
    return ArchiveScan(actor).run().groups(min_score)


def mark_not_same(first_id: int, second_id: int, actor: Actor | None, reason: str = "") -> None:
    """Record that two archives are different people, so the scan stops showing the pair.

    Raises:
        PermissionDenied: only managers settle duplicates.
        ValidationError: the same archive twice, or a reason too long.
        NotFoundError: one of the archives does not exist.
    """
    require(actor, Duty.REASSIGN)
    if first_id == second_id:
        raise ValidationError([Problem("second", _("Archive"), _("choose two different "
                                                                   "archives"))])
    reason = " ".join(reason.split())
    if len(reason) > LINE_MAX:
        raise ValidationError([Problem("reason", _("Reason"), _("at most {n} characters")
                                       .format(n=LINE_MAX))])
    first, second = sorted((first_id, second_id))
    with database.atomic():
        found = Customer.select(Customer.id).where(Customer.id.in_([first, second])).count()
        if found != 2:
            raise NotFoundError(_("No customer with id {id}.").format(
                id=second if Customer.get_or_none(Customer.id == first) else first))
        exists = NotSamePerson.select().where((NotSamePerson.first == first)
                                              & (NotSamePerson.second == second)).exists()
        if exists:
            return
        NotSamePerson.create(first=first, second=second, marked_at=dt.datetime.now(),
                             marked_by=actor.staff_id if actor else None, reason=reason)
        other = Customer.select(Customer.archive_no).where(Customer.id == second).scalar()
        audit.record(actor, "not_same_person", first, other=other, reason=reason)

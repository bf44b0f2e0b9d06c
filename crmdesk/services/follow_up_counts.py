"""Follow-up counts added up from the tally (crmdesk.models.follow_up_tally), visibility applied.

A count is a sum over the tally's rows (a few thousand at any size of archive) rather than a
walk over every counted customer. The confidentiality rule is applied as the lists apply it:
a salesperson counts their own customers; everyone else counts all but the top-secret archives
they may not read. The tally keeps top-secret customers apart (by owner), so those are left out
of the sum, and the few that ``actor`` was named a reader of are read and counted one by one.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

import peewee

from crmdesk.models import Customer, FollowUpTally
from crmdesk.services.context import Actor
from crmdesk.services.visibility import SECRET, granted_archives, own_only, unchecked

INACTIVE_STATUSES = ("lost", "invalid")


@dataclass(frozen=True)
class Span:
    """Which followed-up customers a count takes: next follow-up from ``first`` (None: any
    day) up to the day before ``before`` (None: any day), only the never contacted if
    ``never``."""

    first: dt.date | None = None
    before: dt.date | None = None
    never: bool = False

    def condition(self, day: peewee.Node, never: peewee.Node) -> peewee.Expression:
        """The span as SQL over a day column and a never-contacted column."""
        condition: peewee.Expression = peewee.SQL("1 = 1")
        if self.first is not None:
            condition &= day >= self.first
        if self.before is not None:
            condition &= day < self.before
        if self.never:
            condition &= never == True  # noqa: E712 (SQL, not Python)
        return condition

    def holds(self, day: dt.date, never: bool) -> bool:
        """The span tested on one customer."""
        return ((self.first is None or day >= self.first)
                and (self.before is None or day < self.before) and (never or not self.never))


def tallied_by_owner(actor: Actor | None, level_ids: list[int], spans: list[Span],
                     owner_id: int | None = None) -> list[Counter]:
    """For each span, how many followed-up customers at ``level_ids`` ``actor`` may see, by
    owner (None: nobody owns them); ``owner_id`` limits the counts to one owner's customers.

    Three statements at most, whatever the size of the archive.
    """
    found = [Counter() for _span in spans]
    if not level_ids or (actor is None and not unchecked(actor)):
        return found
    scope = own_only(actor)
    owners = [o for o in (scope, owner_id) if o is not None]
    if len(set(owners)) > 1:
        return found
    me = None if unchecked(actor) or actor is None else actor.staff_id
    where = FollowUpTally.level_id.in_(level_ids)
    if owners:
        where &= FollowUpTally.owner_key == owners[0]
    sums = [peewee.fn.SUM(peewee.Case(None, [(
        span.condition(FollowUpTally.day, FollowUpTally.never), FollowUpTally.customers)], 0))
        for span in spans]
    rows = (FollowUpTally.select(FollowUpTally.owner_key, FollowUpTally.secret, *sums)
            .where(where).group_by(FollowUpTally.owner_key, FollowUpTally.secret).tuples())
    for owner_key, secret, *counts in rows:
        if me is not None and secret and owner_key != me:
            continue  # top secret and not theirs: only those they were named for (below)
        for tally, n in zip(found, counts, strict=True):
            tally[owner_key or None] += int(n or 0)
    if me is not None:
        for owner, day, never in _granted_secrets(actor, level_ids, owners):
            for tally, span in zip(found, spans, strict=True):
                if span.holds(day, never):
                    tally[owner] += 1
    return found


def _granted_secrets(actor: Actor, level_ids: list[int], owners: list[int]
                     ) -> list[tuple[int | None, dt.date, bool]]:
    """(owner, next follow-up, never contacted) of the followed-up top-secret archives owned
    by someone else that ``actor`` was named a reader of."""
    where = (Customer.id.in_(granted_archives(actor)) & (Customer.confidentiality == SECRET)
             & (Customer.owner.is_null() | (Customer.owner != actor.staff_id))
             & Customer.status.not_in(INACTIVE_STATUSES) & Customer.next_follow_up.is_null(False)
             & Customer.level.in_(level_ids))
    if owners:
        where &= Customer.owner == owners[0]
    return [(owner, day, contacted is None) for owner, day, contacted in Customer.select(
        Customer.owner, Customer.next_follow_up, Customer.last_contact_at).where(where).tuples()]

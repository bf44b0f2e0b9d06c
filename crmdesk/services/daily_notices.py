"""The day's notices to a salesperson: follow-ups due today and customers about to lapse.

Left at login (and when a window open overnight sees the day change), at most once a day per
person and kind: the notice's day is part of a unique key, so a second login, or two desks of
the same person starting at once, never leave it twice. Nothing is left when there is nothing
to tell; a notice not read today stays under the bell like any other.
"""
from __future__ import annotations

import datetime as dt

from crmdesk.models import Notice
from crmdesk.models.db import database
from crmdesk.models.live import DAILY_NOTICE_KINDS
from crmdesk.services import changes, followup, pool
from crmdesk.services.context import Actor


def _counts(actor: Actor, day: dt.date) -> dict[str, int]:
    mine = followup.FollowUpFilter(owner_id=actor.staff_id)
    return {"due_today": followup.due_count(day, 1, mine, actor),
            "lapsing": len(pool.due_to_lapse(actor.staff_id, actor, day))}


def post_daily(actor: Actor | None, day: dt.date | None = None) -> int:
    """Leave ``actor`` the day's follow-up and lapse notices not left yet; returns how many.

    Only the actor's own customers count, whatever their role.
    """
    if actor is None:
        return 0
    day = day or dt.date.today()
    left = {row[0] for row in Notice.select(Notice.kind).where(
        (Notice.recipient == actor.staff_id) & (Notice.day == day)
        & Notice.kind.in_(DAILY_NOTICE_KINDS)).tuples()}
    if left >= set(DAILY_NOTICE_KINDS):
        return 0
    counts = {kind: n for kind, n in _counts(actor, day).items() if n and kind not in left}
    posted = 0
    now = dt.datetime.now().replace(microsecond=0)
    with database.atomic():
        for kind, n in counts.items():
            # Another desk of the same person may have left it a moment ago: then nothing.
            posted += bool(Notice.insert(
                created_at=now, recipient=actor.staff_id, sender=None, kind=kind, count=n,
                day=day).on_conflict_ignore().as_rowcount().execute())
        if posted:
            changes.record(actor, "notices", [actor.staff_id])
    return posted

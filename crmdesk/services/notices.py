"""Notices to one member of staff: a visitor handed to them at reception, and the reply.

The front desk's registration sends the receiving salesperson a "visitor" notice in the same
transaction; the salesperson answers "I'm coming", which marks it read and sends the front desk
a "coming" notice. Whatever else is given to someone calls ``send`` in its own transaction the
same way (a manager's transfer, a complaint to handle); the day's follow-ups and lapses are left
once a day by crmdesk.services.daily_notices. Notices stay until read, so someone logged out
sees them at the next login. The text is composed when shown, in the reader's language, from
what the notice refers to.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import peewee

from crmdesk.errors import NotFoundError
from crmdesk.i18n import _, ngettext
from crmdesk.models import Customer, Staff, Visit
from crmdesk.models.db import database
from crmdesk.models.live import Notice
from crmdesk.services import changes, settings
from crmdesk.services.context import Actor
from crmdesk.services.visibility import SECRET, closed_marks


@dataclass(frozen=True)
class NoticeRow:
    """A notice as its recipient sees it."""

    id: int
    created_at: dt.datetime
    kind: str
    text: str
    customer_id: int | None
    sender: str
    read: bool


def send(recipient_id: int, kind: str, actor: Actor | None, customer_id: int | None = None,
         visit_id: int | None = None, reply_to: int | None = None, *, count: int | None = None,
         note: str | None = None) -> int:
    """Leave a notice for ``recipient_id``. Call inside the transaction of what it reports.

    Args:
        kind: one of NOTICE_KINDS; the text is composed from it when the notice is read.
        customer_id: the archive it is about, if one; ``count`` when it is about several.
        note: a short text shown with it (a transfer's reason).
    """
    notice = Notice.create(created_at=dt.datetime.now().replace(microsecond=0),
                           recipient=recipient_id, sender=actor.staff_id if actor else None,
                           kind=kind, customer=customer_id, visit=visit_id, reply_to=reply_to,
                           count=count, note=note or None)
    changes.record(actor, "notices", [recipient_id])
    return notice.id


def _text(kind: str, sender: str, visitor: str, archive_no: str, count: int, note: str) -> str:
    daily = _daily_text(kind, count)
    if daily is not None:
        return daily
    if kind == "transfer":
        handed = (_("{sender} handed you {n} customers").format(sender=sender, n=count)
                  if count > 1 else _("{sender} handed you {visitor} ({archive_no})").format(
                      sender=sender, visitor=visitor, archive_no=archive_no))
        return f"{handed}: {note}" if note else handed
    if kind == "visitor":
        return _("Front desk ({sender}): {visitor} ({archive_no}) has arrived, please receive "
                 "them").format(sender=sender, visitor=visitor, archive_no=archive_no)
    if kind == "complaint_assigned":
        return _("{sender} gave you the complaint of {visitor} ({archive_no}) to handle").format(
            sender=sender, visitor=visitor, archive_no=archive_no)
    if kind == "access_request":
        return _("{sender} asks to read the card of {visitor} ({archive_no}): {note}").format(
            sender=sender, visitor=visitor, archive_no=archive_no, note=note)
    if kind == "access_answer":
        return _("Your request to read the card of {visitor} ({archive_no}): {note}").format(
            visitor=visitor, archive_no=archive_no, note=note)
    if kind == "export_approval":
        return _("{sender} asks your approval to export {count} archives: {note}").format(
            sender=sender, count=count, note=note)
    if kind == "leak":
        return _("{sender} reported a suspected leak of customer information: {note}").format(
            sender=sender, note=note)
    if kind == "complaint_overdue":
        return _("The complaint of {visitor} ({archive_no}) is past its due date and still "
                 "open").format(visitor=visitor, archive_no=archive_no)
    return _("{sender} is coming to reception for {visitor} ({archive_no})").format(
        sender=sender, visitor=visitor, archive_no=archive_no)


def _daily_text(kind: str, count: int) -> str | None:
    """The text of a daily notice (None for other kinds)."""
    if kind == "due_today":
        return ngettext("{n} of your customers is due for a follow-up today",
                        "{n} of your customers are due for a follow-up today", count).format(
                            n=count)
    if kind == "lapsing":
        days = int(settings.get("lapse_warning_days"))
        return ngettext("{n} of your customers goes to the public pool within {days} days "
                        "unless followed up",
                        "{n} of your customers go to the public pool within {days} days "
                        "unless followed up", count).format(n=count, days=days)
    return None


def notices_for(actor: Actor, unread_only: bool = True, limit: int = 50) -> list[NoticeRow]:
    """The actor's notices, newest first; a 绝密 archive the actor may not read (a complaint
    about it handed to them) is named by its number only."""
    sender = Staff.alias()
    query = (Notice.select(Notice.id, Notice.created_at, Notice.kind, Notice.customer,
                           Notice.read_at, sender.name, Customer.name, Customer.archive_no,
                           Visit.name, Notice.count, Notice.note, Customer.owner,
                           Customer.confidentiality)
             .join_from(Notice, sender, peewee.JOIN.LEFT_OUTER, on=(Notice.sender == sender.id))
             .join_from(Notice, Customer, peewee.JOIN.LEFT_OUTER)
             .join_from(Notice, Visit, peewee.JOIN.LEFT_OUTER)
             .where(Notice.recipient == actor.staff_id))
    if unread_only:
        query = query.where(Notice.read_at.is_null())
    rows = list(query.order_by(Notice.id.desc()).limit(limit).tuples())
    closed = closed_marks(actor, [(r[3], r[11], r[12]) for r in rows if r[3] is not None])
    withheld = _("(name withheld: marked 绝密)")
    return [NoticeRow(notice_id, created, kind,
                      _text(kind, sender_name or "",
                            visitor or (withheld if closed.get(customer_id) == SECRET
                                        else customer_name) or "",
                            archive_no or "", count or 0, note or ""),
                      customer_id, sender_name or "", read_at is not None)
            for (notice_id, created, kind, customer_id, read_at, sender_name, customer_name,
                 archive_no, visitor, count, note, _owner, _mark) in rows]


def unread_count(actor: Actor) -> int:
    return Notice.select().where((Notice.recipient == actor.staff_id)
                                 & Notice.read_at.is_null()).count()


def _own_notice(notice_id: int, actor: Actor) -> Notice:
    notice = Notice.get_or_none((Notice.id == notice_id) & (Notice.recipient == actor.staff_id))
    if notice is None:
        raise NotFoundError(_("No notice with id {id}.").format(id=notice_id))
    return notice


def mark_read(notice_id: int, actor: Actor) -> None:
    """The actor has seen the notice."""
    with database.atomic():
        _own_notice(notice_id, actor)
        Notice.update(read_at=dt.datetime.now().replace(microsecond=0)).where(
            Notice.id == notice_id).execute()


def reply_coming(notice_id: int, actor: Actor) -> None:
    """Answer a visitor notice with "I'm coming": the front desk that sent it is told."""
    with database.atomic():
        notice = _own_notice(notice_id, actor)
        Notice.update(read_at=dt.datetime.now().replace(microsecond=0)).where(
            Notice.id == notice_id).execute()
        if notice.sender_id:
            send(notice.sender_id, "coming", actor, notice.customer_id, notice.visit_id,
                 reply_to=notice_id)

"""Notices to one member of staff: a visitor handed to them at reception, and the reply.

The front desk's registration sends the receiving salesperson a "visitor" notice in the same
transaction; the salesperson answers "I'm coming", which marks it read and sends the front desk
a "coming" notice. Notices stay until read, so someone logged out sees them at the next login.
The text is composed when shown, in the reader's language, from what the notice refers to.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import peewee

from crmdesk.errors import NotFoundError
from crmdesk.i18n import _
from crmdesk.models import Customer, Staff, Visit
from crmdesk.models.db import database
from crmdesk.models.live import Notice
from crmdesk.services import changes
from crmdesk.services.context import Actor


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
         visit_id: int | None = None, reply_to: int | None = None) -> int:
    """Leave a notice for ``recipient_id``. Call inside the transaction of what it reports."""
    notice = Notice.create(created_at=dt.datetime.now().replace(microsecond=0),
                           recipient=recipient_id, sender=actor.staff_id if actor else None,
                           kind=kind, customer=customer_id, visit=visit_id, reply_to=reply_to)
    changes.record(actor, "notices", [recipient_id])
    return notice.id


def _text(kind: str, sender: str, visitor: str, archive_no: str) -> str:
    if kind == "visitor":
        return _("Front desk ({sender}): {visitor} ({archive_no}) has arrived, please receive "
                 "them").format(sender=sender, visitor=visitor, archive_no=archive_no)
    return _("{sender} is coming to reception for {visitor} ({archive_no})").format(
        sender=sender, visitor=visitor, archive_no=archive_no)


def notices_for(actor: Actor, unread_only: bool = True, limit: int = 50) -> list[NoticeRow]:
    """The actor's notices, newest first."""
    sender = Staff.alias()
    query = (Notice.select(Notice.id, Notice.created_at, Notice.kind, Notice.customer,
                           Notice.read_at, sender.name, Customer.name, Customer.archive_no,
                           Visit.name)
             .join_from(Notice, sender, peewee.JOIN.LEFT_OUTER, on=(Notice.sender == sender.id))
             .join_from(Notice, Customer, peewee.JOIN.LEFT_OUTER)
             .join_from(Notice, Visit, peewee.JOIN.LEFT_OUTER)
             .where(Notice.recipient == actor.staff_id))
    if unread_only:
        query = query.where(Notice.read_at.is_null())
    return [NoticeRow(notice_id, created, kind,
                      _text(kind, sender_name or "", visitor or customer_name or "",
                            archive_no or ""),
                      customer_id, sender_name or "", read_at is not None)
            for (notice_id, created, kind, customer_id, read_at, sender_name, customer_name,
                 archive_no, visitor) in query.order_by(Notice.id.desc()).limit(limit).tuples()]


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

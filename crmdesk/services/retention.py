"""Destroying archives (customer's request, retention expired) and the list to review for it.

Destruction removes the card, its tables, its log and the visits registered under it for good:
the archive runs with secure_delete (freed pages are overwritten) and the write-ahead log is
checkpointed and truncated afterwards, so no copy stays in the file. The audit trail keeps the
archive number, who destroyed it, when and why; the old values in its earlier entries are
blanked (the chain seals their digests, so it still verifies). On a shared PostgreSQL archive
set up with ``crmdesk db init`` desks may not change audit entries at all; they blank them
through the owner's function made for this, which refuses archives not destroyed.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import peewee

from crmdesk.errors import NotFoundError, Problem, ValidationError
from crmdesk.i18n import _
from crmdesk.models import Customer, ImportItem, Merge, roles
from crmdesk.models.db import database, is_sqlite
from crmdesk.models.frontdesk import Visit
from crmdesk.services import audit, destroyed, settings
from crmdesk.services.context import Actor
from crmdesk.services.visibility import SECRET, Duty, readable_ids, require


def destroy(actor: Actor | None, customer_id: int, reason: str) -> str:
    """Remove one archive's personal data for good; return its archive number.

    Raises:
        PermissionDenied: only managers destroy archives.
        ValidationError: no reason given.
        NotFoundError: no such customer.
    """
    require(actor, Duty.REASSIGN)
    if not reason.strip():
        raise ValidationError([Problem("reason", _("Reason"), _("required"))])
    number = destroy_unchecked(actor, customer_id, reason)
    destroyed.note(number)
    return number


def destroy_unchecked(actor: Actor | None, customer_id: int, reason: str) -> str:
    """Destroy an archive without asking who may (a restore re-applying destructions)."""
    customer = Customer.get_or_none(Customer.id == customer_id)
    if customer is None:
        raise NotFoundError(_("No customer with id {id}.").format(id=customer_id))
    number = customer.archive_no
    with database.atomic():
        audit.record(actor, "destroy", customer_id, reason=reason.strip())
        Visit.delete().where(Visit.customer == customer_id).execute()
        Customer.update(referrer=None).where(Customer.referrer == customer_id).execute()
        # An import's history keeps the values it replaced: personal data of this archive.
        ImportItem.update(previous="{}").where(
            (ImportItem.customer == customer_id) | (ImportItem.archive_no == number)).execute()
        # So does a merge into it (both archives' rows as they were), which can no longer be
        # undone once its survivor is gone.
        Merge.update(snapshot="{}").where(Merge.kept == customer_id).execute()
        Customer.delete().where(Customer.id == customer_id).execute()
        if not is_sqlite() and roles.may_redact_audit(database):
            roles.redact_audit(database, number)
        else:
            audit.redact(number)
    if is_sqlite():
        database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return number


@dataclass(frozen=True)
class DormantArchive:
    """An archive with no contact for the retention period, listed for review."""

    customer_id: int
    archive_no: str
    name: str
    last_contact: dt.date | None
    registered: dt.date


def due_for_review(actor: Actor | None, today: dt.date | None = None) -> list[DormantArchive]:
    """Archives with no contact (or, never contacted, no registration) for N years (setting).

    A 绝密 archive ``actor`` may not read is listed by its number only (its name withheld), so
    the manager can still destroy it by the rules without reading it.
    """
    require(actor, Duty.REASSIGN)
    today = today or dt.date.today()
    years = int(settings.get("retention_years"))
    cutoff = dt.datetime.combine(today.replace(year=today.year - years, day=min(today.day, 28)),
                                 dt.time())
    last = peewee.fn.COALESCE(Customer.last_contact_at, Customer.created_at)
    query = list(Customer.select(Customer.id, Customer.archive_no, Customer.name,
                                 Customer.last_contact_at, Customer.created_at, Customer.owner,
                                 Customer.confidentiality)
                 .where(last < cutoff).order_by(last).tuples())
    secret = [(row[0], row[5], row[6]) for row in query if row[6] == SECRET]
    readable = readable_ids(actor, secret) if secret else set()
    withheld = _("(name withheld: marked 绝密)")
    return [DormantArchive(cid, number,
                           withheld if mark == SECRET and cid not in readable else name or "",
                           contact.date() if contact else None, created.date())
            for cid, number, name, contact, created, _owner, mark in query]

"""The audit trail: appended inside the caller's transaction, sealed in a hash chain, checkable.

Each entry's hash covers its number, time, actor, action, archive number and details plus the
previous entry's hash. Editing an entry changes its hash; deleting or reordering entries breaks
the numbering or the link to the previous hash. ``verify`` finds all three.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crmdesk import paths
from crmdesk.i18n import N_
from crmdesk.models import AuditEntry, Counter, Customer, Staff
from crmdesk.models.audit import REDACTED_DETAILS as REDACTED
from crmdesk.models.db import database
from crmdesk.models.seed import AUDIT_COUNTER
from crmdesk.services import audit_anchors, changes
from crmdesk.services.audit_anchors import ANCHORING_ACTIONS, Anchor
from crmdesk.services.context import Actor


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _seal(seq: int, at: dt.datetime, actor_id: int | None, actor_name: str, action: str,
          customer_id: int | None, archive_no: str | None, details_digest: str,
          prev_hash: str) -> str:
    """The seal of every column of an entry and of the entry before it."""
    payload = json.dumps([seq, at.isoformat(sep=" "), actor_id, actor_name, action, customer_id,
                          archive_no or "", details_digest, prev_hash], ensure_ascii=False)
    return _digest(payload)


# Actions that change who may log in and with which roles: their entries carry a digest of every
# account as it is after the change, so an account edited outside crmdesk is found.
ACCOUNT_ACTIONS = frozenset({"first_admin", "add_staff", "set_roles", "set_password",
                             "deactivate_staff", "demo_data"})


def accounts_digest() -> str:
    """A digest of every account's user name, roles, whether active, and password hash."""
    rows = Staff.select(Staff.id, Staff.username, Staff.roles, Staff.active,
                        Staff.password_hash).order_by(Staff.id).tuples()
    return _digest(json.dumps([list(row) for row in rows], ensure_ascii=False, default=str))


def _accounts_problems() -> list[ChainProblem]:
    """Whether the accounts are as the newest account change left them."""
    newest = (AuditEntry.select(AuditEntry.seq, AuditEntry.details)
              .where(AuditEntry.action.in_(sorted(ACCOUNT_ACTIONS)))
              .order_by(AuditEntry.seq.desc()).limit(1).tuples().first())
    if newest is None:
        return []
    recorded = json.loads(newest[1] or "{}").get("accounts")
    if recorded is None or recorded == accounts_digest():
        return []
    return [ChainProblem(newest[0], N_("the accounts (user names, roles, passwords) were changed "
                                       "outside crmdesk after this entry"))]


def _next_seq() -> int:
    # The UPDATE takes the counter row's lock, so entries are numbered one at a time even when
    # several desks write to one PostgreSQL archive; RETURNING reads the new number with it.
    mark = database.param
    return database.execute_sql(
        f'UPDATE "counter" SET "value" = "value" + 1 WHERE "name" = {mark} RETURNING "value"',
        [AUDIT_COUNTER]).fetchall()[0][0]


def _last_hash(seq: int) -> str:
    previous = AuditEntry.select(AuditEntry.hash).where(AuditEntry.seq == seq - 1).first()
    return previous.hash if previous else ""


def record(actor: Actor | None, action: str, customer_id: int | None = None,
           **details: Any) -> None:
    """Append one entry: ``action`` by ``actor`` on ``customer_id`` with JSON ``details``.

    Call it inside the transaction of the change it records, so both land or neither does.
    """
    archive_no = None
    if customer_id is not None:
        archive_no = Customer.select(Customer.archive_no).where(
            Customer.id == customer_id).scalar()
    record_on(actor, action, customer_id, archive_no, **details)


def record_on(actor: Actor | None, action: str, customer_id: int | None, archive_no: str | None,
              **details: Any) -> None:
    """``record`` for a caller that has just read the customer's ``archive_no`` itself.

    The entry number and the previous entry's hash stay two statements: on PostgreSQL a
    statement that waited for the counter's lock still reads with the snapshot it started with,
    so a hash read in the same statement could miss the entry that held the lock.
    """
    at = dt.datetime.now().replace(microsecond=0)
    if action in ACCOUNT_ACTIONS:
        details = {**details, "accounts": accounts_digest()}
    text = json.dumps(details, ensure_ascii=False, default=str, sort_keys=True)
    seq = _next_seq()
    prev = _last_hash(seq)
    if action in ANCHORING_ACTIONS:
        # A copy of the data leaves the program: keep the committed head outside the archive.
        anchor_outside(action)
    name = actor.name if actor else ""
    actor_id = actor.staff_id if actor else None
    digest = _digest(text)
    AuditEntry.create(
        at=at, actor=actor_id, actor_name=name, action=action,
        customer=customer_id, customer_ref=customer_id, archive_no=archive_no, details=text,
        details_digest=digest,
        seq=seq, prev_hash=prev,
        hash=_seal(seq, at, actor_id, name, action, customer_id, archive_no, digest, prev),
    )
    # Other desks refresh from the change log; written in the same transaction as the entry.
    changes.record_audited(actor, action, customer_id)


def redact(archive_no: str) -> None:
    """Blank the details of every entry about a destroyed archive (they hold its old values).

    The chain stays verifiable because it seals the details' digest, not the details.
    """
    AuditEntry.update(details=REDACTED).where(
        (AuditEntry.archive_no == archive_no) & (AuditEntry.action != "destroy")).execute()


@dataclass(frozen=True)
class ChainProblem:
    """Where the chain is broken and how (``source``: the anchor that shows it, if one does)."""

    seq: int
    reason: str
    source: str = ""


def anchor_folders() -> list[Path]:
    """Where this desk keeps anchors: its data folder and the backups folder in it."""
    folder = paths.current_data_dir()
    return [folder, folder / "backups"]


def anchor_outside(source: str) -> None:
    """Write the committed head of the trail into every anchor folder that exists."""
    current = audit_anchors.head()
    for folder in anchor_folders():
        if folder.is_dir():
            audit_anchors.write(folder, source, current)


def verify(typed: list[Anchor] | None = None) -> list[ChainProblem]:
    """Check the whole chain against itself and against the anchors kept outside the archive
    (this desk's, and ``typed`` ones from paper); an empty list means no entry was edited,
    deleted, reordered, forged into the past or cut off since it was anchored."""
    problems: list[ChainProblem] = []
    expected_seq, prev = 1, ""
    query = AuditEntry.select().order_by(AuditEntry.seq).tuples()
    fields = [f.name for f in AuditEntry._meta.sorted_fields]
    destroyed = {r[0] for r in AuditEntry.select(AuditEntry.archive_no).where(
        AuditEntry.action == "destroy").tuples()}
    for row in query.iterator():
        entry = dict(zip(fields, row, strict=True))
        seq = entry["seq"]
        if seq != expected_seq:
            problems.append(ChainProblem(seq, N_("missing entries before this one")))
        if entry["prev_hash"] != prev:
            problems.append(ChainProblem(seq, N_("does not follow the entry before it")))
        lawfully_gone = entry["archive_no"] in destroyed
        sealed = _seal(seq, entry["at"], entry["actor"], entry["actor_name"], entry["action"],
                       entry["customer_ref"], entry["archive_no"], entry["details_digest"],
                       entry["prev_hash"])
        # Deleting an archive clears the link (SET NULL); the kept id must agree with it.
        relinked = entry["customer"] is not None and entry["customer"] != entry["customer_ref"]
        lawfully_blanked = entry["details"] == REDACTED and lawfully_gone
        altered = (_digest(entry["details"]) != entry["details_digest"]
                   and not lawfully_blanked)
        if sealed != entry["hash"] or relinked or altered:
            problems.append(ChainProblem(seq, N_("content changed after it was recorded")))
        expected_seq, prev = seq + 1, entry["hash"]
    last = Counter.select(Counter.value).where(Counter.name == AUDIT_COUNTER).scalar() or 0
    if last >= expected_seq:
        problems.append(ChainProblem(last, N_("the newest entries are missing")))
    problems += _accounts_problems()
    anchors = [a for folder in anchor_folders() for a in audit_anchors.read(folder)]
    problems += [ChainProblem(p.seq, p.reason, p.source)
                 for p in audit_anchors.check(anchors + list(typed or []))]
    return problems




def reseal_all() -> None:
    """Number and seal every entry in stored order (for archives from before the chain)."""
    prev = ""
    seq = 0
    # Only the columns this step knows: it runs while upgrading old archives, whose tables
    # lack the columns later steps add to Staff, Customer and AuditEntry.
    names = dict(Staff.select(Staff.id, Staff.name).tuples())
    numbers = dict(Customer.select(Customer.id, Customer.archive_no).tuples())
    query = AuditEntry.select(AuditEntry.id, AuditEntry.at, AuditEntry.actor, AuditEntry.action,
                              AuditEntry.customer, AuditEntry.details).order_by(AuditEntry.id)
    for entry_id, at, actor_id, action, customer_id, details in query.tuples():
        seq += 1
        name = names.get(actor_id, "")
        archive_no = numbers.get(customer_id)
        at = at.replace(microsecond=0)
        digest = _digest(details)
        sealed = _seal(seq, at, actor_id, name, action, customer_id, archive_no, digest, prev)
        AuditEntry.update(
            seq=seq, at=at, actor_name=name, archive_no=archive_no,
            details_digest=digest, prev_hash=prev, hash=sealed,
        ).where(AuditEntry.id == entry_id).execute()
        prev = sealed
    Counter.update(value=seq).where(Counter.name == AUDIT_COUNTER).execute()


def reseal_chain() -> None:
    """Seal every entry again, in order, keeping what each holds (for a change of the seal)."""
    prev = ""
    query = AuditEntry.select(AuditEntry.id, AuditEntry.seq, AuditEntry.at, AuditEntry.actor,
                              AuditEntry.actor_name, AuditEntry.action, AuditEntry.customer_ref,
                              AuditEntry.archive_no, AuditEntry.details_digest
                              ).order_by(AuditEntry.seq)
    for entry_id, seq, at, actor_id, name, action, customer_id, archive_no, digest in \
            query.tuples():
        sealed = _seal(seq, at, actor_id, name, action, customer_id, archive_no, digest, prev)
        AuditEntry.update(prev_hash=prev, hash=sealed).where(AuditEntry.id == entry_id).execute()
        prev = sealed


@dataclass(frozen=True)
class AuditFilter:
    """Which entries a manager wants to see."""

    person: str | None = None
    archive_no: str | None = None
    action: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None


def filter_choices(actor: Actor | None) -> tuple[list[str], list[str]]:
    """The people and the action codes the trail holds, sorted, for the audit page's lists."""
    from crmdesk.services.visibility import Duty, require

    require(actor, Duty.READ_AUDIT)
    people = [row[0] for row in AuditEntry.select(AuditEntry.actor_name).distinct()
              .where(AuditEntry.actor_name != "").order_by(AuditEntry.actor_name).tuples()]
    actions = [row[0] for row in AuditEntry.select(AuditEntry.action).distinct()
               .order_by(AuditEntry.action).tuples()]
    return people, actions


def entries(actor: Actor | None, where: AuditFilter, limit: int | None = 1000) -> list[dict]:
    """Audit entries newest first, filtered; managers only once the archive has accounts."""
    from crmdesk.services.visibility import Duty, require

    require(actor, Duty.READ_AUDIT)
    query = AuditEntry.select(AuditEntry.seq, AuditEntry.at, AuditEntry.actor_name,
                              AuditEntry.action, AuditEntry.archive_no, AuditEntry.details)
    if where.person:
        query = query.where(AuditEntry.actor_name == where.person)
    if where.archive_no:
        query = query.where(AuditEntry.archive_no == where.archive_no)
    if where.action:
        query = query.where(AuditEntry.action == where.action)
    if where.start:
        query = query.where(AuditEntry.at >= dt.datetime.combine(where.start, dt.time()))
    if where.end:
        # The end of that day, not the start of the next: 9999-12-31 has no next day.
        query = query.where(AuditEntry.at <= dt.datetime.combine(where.end, dt.time.max))
    keys = ("seq", "at", "person", "action", "archive_no", "details")
    rows = query.order_by(AuditEntry.seq.desc()).limit(limit).tuples()
    return [dict(zip(keys, row, strict=True)) | {"details": json.loads(row[5])} for row in rows]


def export_entries(actor: Actor | None, where: AuditFilter, path: Path) -> int:
    """Write the entries matching ``where`` to an Excel workbook; returns how many, audited."""
    from crmdesk.exporters.audit_trail import write_audit_workbook
    from crmdesk.models.db import database
    from crmdesk.services.audit_text import readable

    rows = readable(entries(actor, where, limit=None))
    write_audit_workbook(rows, path)
    with database.atomic():
        record(actor, "export_audit", None, rows=len(rows), file=path.name)
    return len(rows)

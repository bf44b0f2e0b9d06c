"""Merging two archives of one customer, and taking a merge back while nothing changed since.

The manager picks the archive that stays and, field by field, whose value it keeps (by default
the filled one, else the one saved more recently; the owner by the first-visit rule: the archive
registered first). Everything attached to the other archive moves over: contacts, decision
people, purchases, visits, complaints and deals, ownership history, import items, readers,
notices. The other archive is deleted and its number becomes an alias of the survivor.

Every row the merge changes or deletes is kept as it was (crmdesk.services.row_snapshots), so
``undo_merge`` puts both archives back exactly (ids, numbers, children, ownership) as long as
the survivor was not touched since. The audit trail keeps both archives' values.
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import peewee

from crmdesk.errors import CrmError, NotFoundError, Problem, ValidationError
from crmdesk.i18n import _
from crmdesk.models import (
    ALL_MODELS,
    ArchiveAlias,
    AuditEntry,
    CardReader,
    Communication,
    Customer,
    DecisionPerson,
    Merge,
    NotSamePerson,
    OfficeValue,
    OwnershipChange,
    YearlySale,
)
from crmdesk.models.card import FIELDS
from crmdesk.models.db import database
from crmdesk.models.locks import Subject, hold
from crmdesk.services import audit, cadence, changes, ownership, row_snapshots, visibility
from crmdesk.services.context import Actor
from crmdesk.services.customers import column_name, get_card, search_columns
from crmdesk.services.staff import staff_names

# Never moved as rows: the audit trail is the record of what happened; earlier merges are
# handed to the survivor by their ids (their own snapshots are not copied into a later one's).
_NEVER_MOVED = (AuditEntry, Merge)


class MergeRefused(CrmError):
    """A merge or its undo the rules do not allow; the message says why."""


@dataclass(frozen=True)
class FieldChoice:
    """One field on which the two archives differ, both values as shown, and the default."""

    name: str
    label: str
    kept_text: str
    other_text: str
    take_other: bool


@dataclass(frozen=True)
class MergePlan:
    """What merging would do by default: which archive stays and each differing field's value."""

    kept_id: int
    other_id: int
    kept_no: str
    other_no: str
    kept_name: str
    other_name: str
    fields: tuple[FieldChoice, ...]


@dataclass(frozen=True)
class MergeInfo:
    """One merge as the history lists it."""

    id: int
    at: dt.datetime
    by: str
    kept_no: str
    merged_no: str
    undone_at: dt.datetime | None


def _filled(value: Any) -> bool:
    return value not in (None, "")


def _registered_at(customer_id: int, created_at: dt.datetime) -> dt.datetime:
    """When the archive was first registered (its first ownership entry, else its creation)."""
    first = (OwnershipChange.select(OwnershipChange.at)
             .where((OwnershipChange.customer == customer_id)
                    & (OwnershipChange.kind == "registration"))
             .order_by(OwnershipChange.at).limit(1).scalar())
    return min(first, created_at) if first else created_at


def _default_takes(kept: Any, other: Any) -> dict[str, bool]:
    """For each field, whether the other archive's value is taken by default."""
    other_first = _registered_at(other.id, other.created_at) < _registered_at(
        kept.id, kept.created_at)
    other_newer = other.updated_at > kept.updated_at
    takes = {}
    for name in FIELDS:
        mine, theirs = kept.values.get(name), other.values.get(name)
        if name == "owner":
            # 客户首访原则: the earliest registration decides whose customer it is.
            takes[name] = other_first and mine != theirs
        elif name == "first_contact_date":
            takes[name] = _filled(theirs) and (not _filled(mine) or theirs < mine)
        elif _filled(mine) != _filled(theirs):
            takes[name] = _filled(theirs)
        else:
            takes[name] = _filled(theirs) and mine != theirs and other_newer
    return takes


def survivor(first_id: int, second_id: int) -> int:
    """The archive that stays by default: the one registered first."""
    rows = {cid: created for cid, created in Customer.select(Customer.id, Customer.created_at)
            .where(Customer.id.in_([first_id, second_id])).tuples()}
    for cid in (first_id, second_id):
        if cid not in rows:
            raise NotFoundError(_("No customer with id {id}.").format(id=cid))
    return min((first_id, second_id), key=lambda c: (_registered_at(c, rows[c]), c))


def _check(kept_id: int, other_id: int, actor: Actor | None) -> None:
    visibility.require(actor, visibility.Duty.REASSIGN)
    if kept_id == other_id:
        raise ValidationError([Problem("other", _("Archive"),
                                       _("choose two different archives"))])
    visibility.require_card(actor, kept_id)
    visibility.require_card(actor, other_id)


def plan_merge(kept_id: int, other_id: int, actor: Actor | None) -> MergePlan:
    """The fields on which the archives differ, with the value a merge keeps by default.

    Raises:
        PermissionDenied: only managers merge, and only archives they may read.
        NotFoundError, ValidationError: an archive is missing, or the same one twice.
    """
    _check(kept_id, other_id, actor)
    kept, other = get_card(kept_id), get_card(other_id)
    takes = _default_takes(kept, other)
    fields = tuple(
        FieldChoice(name, spec.label, spec.kind.display(kept.values.get(name)),
                    spec.kind.display(other.values.get(name)), takes[name])
        for name, spec in FIELDS.items()
        if kept.values.get(name) != other.values.get(name))
    return MergePlan(kept_id, other_id, kept.archive_no or "", other.archive_no or "",
                     kept.values.get("name") or "", other.values.get("name") or "", fields)


def _references() -> list[tuple[type[peewee.Model], peewee.ForeignKeyField]]:
    """Every column of the archive that points at a customer, and its table."""
    return [(model, field) for model in ALL_MODELS if model not in _NEVER_MOVED
            for field in model._meta.fields.values()
            if isinstance(field, peewee.ForeignKeyField) and field.rel_model is Customer]


def _snapshot(ids: list[int]) -> dict[str, list[dict[str, Any]]]:
    """Every row pointing at the two archives, and the archives themselves, as they are."""
    where: dict[type[peewee.Model], peewee.Expression] = {Customer: Customer.id.in_(ids)}
    for model, field in _references():
        condition = field.in_(ids)
        where[model] = where[model] | condition if model in where else condition
    taken = {model._meta.table_name: row_snapshots.take(model, condition)
             for model, condition in where.items()}
    return {table: rows for table, rows in taken.items() if rows}


def _move_children(kept_id: int, other_id: int) -> None:
    """Hang everything of ``other_id`` on ``kept_id``."""
    kept_readers = CardReader.select(CardReader.staff).where(CardReader.customer == kept_id)
    CardReader.delete().where((CardReader.customer == other_id)
                              & CardReader.staff.in_(kept_readers)).execute()
    for mark in list(NotSamePerson.select().where(
            (NotSamePerson.first == other_id) | (NotSamePerson.second == other_id))):
        partner = mark.second_id if mark.first_id == other_id else mark.first_id
        first, second = sorted((kept_id, partner))
        taken = NotSamePerson.select().where((NotSamePerson.first == first)
                                             & (NotSamePerson.second == second)).exists()
        if partner == kept_id or taken:
            mark.delete_instance()
        else:
            NotSamePerson.update(first=first, second=second).where(
                NotSamePerson.id == mark.id).execute()
    # An office field filled on both cards keeps the survivor's value (one value per card).
    OfficeValue.delete().where((OfficeValue.customer == other_id) & OfficeValue.field.in_(
        OfficeValue.select(OfficeValue.field).where(OfficeValue.customer == kept_id))).execute()
    # Likewise a year of sales on both cards keeps the survivor's amount (one row per year).
    YearlySale.delete().where((YearlySale.customer == other_id) & YearlySale.year.in_(
        YearlySale.select(YearlySale.year).where(YearlySale.customer == kept_id))).execute()
    for model, field in _references():
        if model is not NotSamePerson:
            model.update({field: kept_id}).where(field == other_id).execute()
    # One card, one numbering: the log by time, the decision people in their order.
    for seq, (cid,) in enumerate(Communication.select(Communication.id).where(
            Communication.customer == kept_id).order_by(
            Communication.contacted_at, Communication.id).tuples(), start=1):
        Communication.update(seq=seq).where(Communication.id == cid).execute()
    for position, (pid,) in enumerate(DecisionPerson.select(DecisionPerson.id).where(
            DecisionPerson.customer == kept_id).order_by(
            DecisionPerson.position, DecisionPerson.id).tuples()):
        DecisionPerson.update(position=position).where(DecisionPerson.id == pid).execute()


def _chosen_values(kept: Any, other: Any, take: Mapping[str, int]) -> dict[str, Any]:
    """The survivor's values: the defaults, overridden field by field by ``take``."""
    problems = [Problem(name, name, _("no such field")) for name in take if name not in FIELDS]
    problems += [Problem(name, FIELDS[name].label, _("take the value of one of the two "
                                                     "archives")) for name, source in take.items()
                 if name in FIELDS and source not in (kept.id, other.id)]
    if problems:
        raise ValidationError(problems)
    takes = _default_takes(kept, other)
    return {name: other.values.get(name)
            if take.get(name, other.id if takes[name] else kept.id) == other.id
            else kept.values.get(name) for name in FIELDS}


def merge(kept_id: int, other_id: int, actor: Actor | None,
          take: Mapping[str, int] | None = None) -> int:
    """Fold archive ``other_id`` into ``kept_id``; return the merge's id.

    Args:
        kept_id: the archive that stays (its id and number).
        other_id: the archive merged into it and deleted; its number becomes an alias.
        actor: the manager merging.
        take: field name -> id of the archive whose value the survivor keeps, for fields
            where the default (filled, else newer; owner: registered first) is not wanted.

    Raises:
        PermissionDenied: only managers merge, and only archives they may read.
        NotFoundError: an archive does not exist.
        ValidationError: the same archive twice, or an unknown field in ``take``.
    """
    _check(kept_id, other_id, actor)
    now = dt.datetime.now()
    with database.atomic():
        for cid in sorted((kept_id, other_id)):
            hold(Subject.CUSTOMER, cid)
        kept, other = get_card(kept_id), get_card(other_id)
        values = _chosen_values(kept, other, take or {})
        snapshot = _snapshot([kept_id, other_id])
        if values.get("referrer") in (kept_id, other_id):
            values["referrer"] = None  # one customer does not refer themselves
        owner_before = kept.values.get("owner")
        owner = values.pop("owner")
        earlier = [m for (m,) in Merge.select(Merge.id).where(Merge.kept == other_id).tuples()]
        Merge.update(kept=kept_id).where(Merge.id.in_(earlier)).execute()
        _move_children(kept_id, other_id)
        columns = {column_name(FIELDS[name]): value for name, value in values.items()}
        Customer.update(updated_at=now, version=Customer.version + 1,
                        **columns, **search_columns(values)).where(
            Customer.id == kept_id).execute()
        Customer.delete().where(Customer.id == other_id).execute()
        created: dict[str, list[int]] = {}
        if owner != owner_before:
            ownership.record_change(kept_id, owner, "transfer", _("merged with {no}").format(
                no=other.archive_no), actor)
            created[OwnershipChange._meta.table_name] = [OwnershipChange.select(
                OwnershipChange.id).where(OwnershipChange.customer == kept_id).order_by(
                OwnershipChange.id.desc()).limit(1).scalar()]
        cadence.refresh_follow_up(kept_id)
        audit.record(actor, "merge", kept_id, merged=other.archive_no,
                     kept_values=_shown(kept.values), merged_values=_shown(other.values),
                     taken={k: ("merged" if v == other_id else "kept")
                            for k, v in (take or {}).items()})
        record = Merge.create(
            at=now, by=actor.staff_id if actor else None, kept=kept_id,
            kept_no=kept.archive_no, merged_id=other_id, merged_no=other.archive_no,
            kept_version=Customer.select(Customer.version).where(
                Customer.id == kept_id).scalar(),
            audit_mark=_last_audit_id(),
            snapshot=row_snapshots.encode({"before": snapshot, "created": created,
                                           "earlier_merges": earlier}))
        ArchiveAlias.create(archive_no=other.archive_no, customer=kept_id, merge=record.id)
        changes.record(actor, "customers", [other_id])
    return record.id


def _shown(values: Mapping[str, Any]) -> dict[str, str]:
    """A card's filled values as the audit trail keeps them (display text)."""
    return {name: FIELDS[name].kind.display(value) for name, value in values.items()
            if _filled(value) and name in FIELDS}


def _last_audit_id() -> int:
    return AuditEntry.select(peewee.fn.MAX(AuditEntry.id)).scalar() or 0


def _touched_since(record: Merge) -> str | None:
    """Why the merge can no longer be undone, or None."""
    kept = Customer.get_or_none(Customer.id == record.kept_id) if record.kept_id else None
    if kept is None:
        later = Merge.get_or_none((Merge.merged_id == record.kept_id) & Merge.undone_at.is_null()
                                  & (Merge.id > record.id)) if record.kept_id else None
        if later is not None:
            return _("archive {no} was merged into {into} since: undo that merge first").format(
                no=record.kept_no, into=later.kept_no)
        return _("archive {no} no longer exists").format(no=record.kept_no)
    later_entry = (AuditEntry.select(AuditEntry.action, AuditEntry.actor_name, AuditEntry.at)
                   .where((AuditEntry.customer == kept.id) & (AuditEntry.id > record.audit_mark)
                          & AuditEntry.action.not_in(sorted(changes.READ_ONLY_ACTIONS)))
                   .order_by(AuditEntry.id).first())
    if later_entry is not None:
        return _("archive {no} was changed since ({action} by {who} on {at})").format(
            no=kept.archive_no, action=later_entry.action, who=later_entry.actor_name or "-",
            at=later_entry.at.strftime("%Y-%m-%d %H:%M"))
    if kept.version != record.kept_version:
        return _("archive {no} was changed since").format(no=kept.archive_no)
    if Customer.select().where(Customer.id == record.merged_id).exists():
        return _("a new archive took the id of {no}").format(no=record.merged_no)
    return None


def undo_merge(merge_id: int, actor: Actor | None) -> int:
    """Take a merge back: both archives as they were before it. Returns the survivor's id.

    Raises:
        PermissionDenied: only managers undo merges.
        NotFoundError: no merge has that id.
        MergeRefused: it was undone already, or the survivor was changed since (says which).
    """
    visibility.require(actor, visibility.Duty.REASSIGN)
    with database.atomic():
        record = Merge.get_or_none(Merge.id == merge_id)
        if record is None:
            raise NotFoundError(_("No merge with id {id}.").format(id=merge_id))
        if record.kept_id:
            hold(Subject.CUSTOMER, record.kept_id)
        if record.undone_at is not None:
            raise MergeRefused(_("Merge {id} was already undone on {when}.").format(
                id=merge_id, when=record.undone_at.strftime("%Y-%m-%d %H:%M")))
        why = _touched_since(record)
        if why:
            raise MergeRefused(_("Merge {id} cannot be undone: {why}. Undo works only while "
                                 "the archive is untouched.").format(id=merge_id, why=why))
        saved = json.loads(record.snapshot)
        ArchiveAlias.delete().where(ArchiveAlias.merge == record.id).execute()
        for table, ids in saved["created"].items():
            model = row_snapshots.MODELS_BY_TABLE[table]
            model.delete().where(model._meta.primary_key.in_(ids)).execute()
        before = row_snapshots.typed(saved["before"])
        # The archives first, then what points at them.
        customers = row_snapshots.MODELS_BY_TABLE[Customer._meta.table_name]
        row_snapshots.restore(customers, before.pop(Customer._meta.table_name, []))
        for table, rows in before.items():
            row_snapshots.restore(row_snapshots.MODELS_BY_TABLE[table], rows)
        Merge.update(kept=record.merged_id).where(
            Merge.id.in_(saved["earlier_merges"])).execute()
        record.undone_at = dt.datetime.now()
        record.undone_by = actor.staff_id if actor else None
        record.save()
        audit.record(actor, "merge_undo", record.kept_id, merge=merge_id,
                     merged=record.merged_no)
        changes.record(actor, "customers", [record.merged_id])
    return record.kept_id


def merge_history(actor: Actor | None, limit: int = 100) -> list[MergeInfo]:
    """The latest merges, newest first (manager only)."""
    visibility.require(actor, visibility.Duty.REASSIGN)
    names = staff_names()
    query = Merge.select(Merge.id, Merge.at, Merge.by, Merge.kept_no, Merge.merged_no,
                         Merge.undone_at).order_by(Merge.id.desc()).limit(limit).tuples()
    return [MergeInfo(mid, at, names.get(by, ""), kept_no, merged_no, undone)
            for mid, at, by, kept_no, merged_no, undone in query]


def alias_of(archive_no: str) -> int | None:
    """The archive a merged-away number now belongs to, or None."""
    return ArchiveAlias.select(ArchiveAlias.customer).where(
        ArchiveAlias.archive_no == archive_no.strip().upper()).scalar()

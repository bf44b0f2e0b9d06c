"""Taking an import back while its archives are untouched, and the history of imports.

An import is recorded as an ImportBatch with one ImportItem per archive it created or updated
(``services.imports.commit``). Undo deletes what it created and restores what it updated,
provided none of those archives changed since: same version, and no later entry in the audit
trail.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from crmdesk.errors import CrmError, NotFoundError
from crmdesk.i18n import _
from crmdesk.models import AuditEntry, Customer, ImportBatch, ImportItem
from crmdesk.models.card import FIELDS
from crmdesk.models.db import database
from crmdesk.models.office_fields import office_fields
from crmdesk.services import audit, cadence, office_values
from crmdesk.services.context import Actor
from crmdesk.services.customers import search_columns
from crmdesk.services.imports.commit import BATCH, card_columns, current_cards
from crmdesk.services.imports.own_fields import card_part, own_part
from crmdesk.services.visibility import Duty, require

_SEARCH_FIELDS = ("name", "alias", "employer", "mobile")


class ImportUndoError(CrmError):
    """The import cannot be undone (already undone, or its archives changed since)."""


def _decode(text: str) -> dict[str, Any]:
    """The values an update replaced, as ``services.imports.commit`` recorded them (JSON)."""
    values = json.loads(text)
    for name, value in values.items():
        if name not in FIELDS:
            continue  # an office field's value: its field reads it back (``_restore_own``)
        if isinstance(value, str):  # dates and amounts were written as text
            values[name] = FIELDS[name].kind.load(value)
    return values


def _touched_since(batch: ImportBatch, items: list[ImportItem]) -> list[str]:
    """Archive numbers of the batch's archives changed, deleted or worked on since."""
    ids = [i.customer_id for i in items if i.customer_id]
    versions = {cid: row["version"] for cid, row in current_cards(ids).items()}
    later: set[int] = set()
    for start in range(0, len(ids), BATCH):
        chunk = ids[start:start + BATCH]
        later |= {cid for (cid,) in AuditEntry.select(AuditEntry.customer).where(
            AuditEntry.customer.in_(chunk) & (AuditEntry.id > batch.audit_mark)).tuples()}
    return [i.archive_no for i in items if i.customer_id is None
            or versions.get(i.customer_id) != i.version or i.customer_id in later]


@dataclass(frozen=True)
class UndoResult:
    """What an undo did: archives deleted (created by the import) and restored (updated)."""

    batch_id: int
    deleted: int
    restored: int


def undo_import(batch_id: int, actor: Actor | None) -> UndoResult:
    """Take an import back: delete the archives it created, restore those it updated.

    Raises:
        NotFoundError: no import has that id.
        ImportUndoError: it was undone already, or one of its archives changed since.
        PermissionDenied: ``actor`` may not import.
    """
    require(actor, Duty.IMPORT)
    with database.atomic():
        batch = ImportBatch.get_or_none(ImportBatch.id == batch_id)
        if batch is None:
            raise NotFoundError(_("No import with id {id}.").format(id=batch_id))
        if batch.undone_at is not None:
            raise ImportUndoError(_("Import {id} was already undone on {when}.").format(
                id=batch_id, when=batch.undone_at.strftime("%Y-%m-%d %H:%M")))
        items = list(batch.items)
        changed = _touched_since(batch, items)
        if changed:
            raise ImportUndoError(_(
                "Import {id} cannot be undone: {n} of its archives were changed since ({nos}). "
                "Undo works only while they are untouched.").format(
                    id=batch_id, n=len(changed), nos=", ".join(changed[:10])))
        now = dt.datetime.now()
        updated = [i for i in items if i.action == "updated"]
        current = current_cards([i.customer_id for i in updated])
        office = office_fields(include_hidden=True)
        for item in updated:
            previous = _decode(item.previous)
            merged = {name: current[item.customer_id][name] for name in _SEARCH_FIELDS}
            merged.update({k: v for k, v in previous.items() if k in _SEARCH_FIELDS})
            Customer.update(version=item.version + 1, updated_at=now,
                            **card_columns(card_part(previous)), **search_columns(merged)).where(
                Customer.id == item.customer_id).execute()
            own = own_part(previous)
            office_values.write_values(item.customer_id, office, {
                f.key: f.accept(own[f.key]) for f in office if f.key in own})
            cadence.refresh_follow_up(item.customer_id)
        created = [i.customer_id for i in items if i.action == "created"]
        for start in range(0, len(created), BATCH):
            Customer.delete().where(Customer.id.in_(created[start:start + BATCH])).execute()
        batch.undone_at, batch.undone_by = now, actor.staff_id if actor else None
        batch.save()
        audit.record(actor, "import_undo", None, batch=batch_id, deleted=len(created),
                     restored=len(updated))
    return UndoResult(batch_id, len(created), len(updated))


@dataclass(frozen=True)
class ImportInfo:
    """One import as the history lists it."""

    id: int
    at: dt.datetime
    actor: str
    file_name: str
    sha256: str
    created: int
    updated: int
    skipped: int
    rejected: int
    undone_at: dt.datetime | None


def import_history(limit: int = 50) -> list[ImportInfo]:
    """The latest imports, newest first."""
    from crmdesk.services.staff import staff_names

    names = staff_names()
    query = ImportBatch.select().order_by(ImportBatch.id.desc()).limit(limit)
    return [ImportInfo(b.id, b.at, names.get(b.actor_id, ""), b.file_name, b.sha256, b.created,
                       b.updated, b.skipped, b.rejected, b.undone_at) for b in query]

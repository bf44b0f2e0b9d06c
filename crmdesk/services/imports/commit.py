"""Committing an import previewed by ``dry_run`` (undo: ``undo``).

A commit is one transaction: every accepted row or none (a cancel, a stale archive or any error
rolls it all back). It is recorded as an ImportBatch with one ImportItem per archive created or
updated, so it can be undone while those archives are untouched since: same version, and no
later entry in the audit trail.

A row's values of the office's own fields (``office.<key>``) are kept beside the card, in the
same transaction (``services.imports.own_fields``).
"""
from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from crmdesk.errors import CrmError, StaleCardError
from crmdesk.i18n import _
from crmdesk.importers.collector import collector_paused
from crmdesk.importers.preview import Policy, Preview, PreviewRow
from crmdesk.models import AuditEntry, Customer, ImportBatch, ImportItem, Level
from crmdesk.models.card import FIELDS
from crmdesk.models.db import database
from crmdesk.models.office_fields import office_fields
from crmdesk.progress import CancelFlag, Progress, check_cancel, report
from crmdesk.services import audit, cadence, office_values
from crmdesk.services.context import Actor
from crmdesk.services.customers import column_name, search_columns
from crmdesk.services.imports.dry_run import assign_owners, owner_missing
from crmdesk.services.imports.new_archives import (
    Batch,
    ids_of_numbers,
    import_settings,
    insert_customers,
    insert_tuples,
    last_customer_id,
)
from crmdesk.services.imports.own_fields import (
    card_part,
    check_fields_kept,
    insert_own_values,
    merged_before,
    own_part,
    prefixed,
)
from crmdesk.services.numbering import reserve_archive_numbers
from crmdesk.services.visibility import Duty, require

BATCH = 500
_ITEM_COLUMNS = ("batch_id", "customer_id", "archive_no", "action", "version", "previous")
# New archives per INSERT: at most this many, and few enough for ten steps of progress (and
# chances to cancel) in a small import.
CREATE_BATCH = 5000


@dataclass(frozen=True)
class ImportResult:
    """What a commit did."""

    batch_id: int
    created: int
    updated: int
    skipped: int
    rejected: int
    customer_ids: tuple[int, ...]


def _encode(values: dict[str, Any]) -> str:
    return json.dumps({k: (str(v) if isinstance(v, Decimal | dt.date) else v)
                       for k, v in values.items()}, ensure_ascii=False)


def card_columns(values: dict[str, Any]) -> dict[str, Any]:
    return {column_name(FIELDS[name]): value for name, value in values.items()}


def current_cards(customer_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Card values and version of archives, by id."""
    found: dict[int, dict[str, Any]] = {}
    for start in range(0, len(customer_ids), BATCH):
        chunk = customer_ids[start:start + BATCH]
        for row in Customer.select().where(Customer.id.in_(chunk)).dicts():
            found[row["id"]] = row
    return found


class _Commit:
    """The work of one commit, inside its transaction."""

    def __init__(self, preview: Preview, actor: Actor | None, progress: Progress | None,
                 cancel: CancelFlag | None) -> None:
        self.preview, self.actor, self.progress, self.cancel = preview, actor, progress, cancel
        self.now = dt.datetime.now()
        self.created: dict[int, int] = {}  # sheet row -> customer id
        self.updated: dict[int, tuple[int, dict[str, Any]]] = {}  # id -> (version, previous)
        self.numbers: dict[int, str] = {}  # id -> archive number, of every archive written
        self.done = 0
        self.office = office_fields(include_hidden=True)

    def step(self, count: int = 1) -> None:
        self.done += count
        if self.done % BATCH < count:
            check_cancel(self.cancel)
            report(self.progress, self.done, len(self.preview.rows))

    def plan(self) -> tuple[list[PreviewRow], list[PreviewRow], dict[int, dict[str, Any]]]:
        """Rows to create (with their values, duplicates of them merged in) and to update.

        Raises:
            StaleCardError: an office field the file fills was removed since the preview.
        """
        check_fields_kept(self.preview.mapping.targets, self.office)
        creates: list[PreviewRow] = []
        updates: list[PreviewRow] = []
        # A row's own values, copied only once a duplicate later in the file is merged in.
        values: dict[int, dict[str, Any]] = {}
        copied: set[int] = set()
        for row in self.preview.rows:
            action = self.preview.action(row)
            original = row.match.row if row.match else None
            if action in (Policy.FILL, Policy.OVERWRITE) and original in values:
                if original not in copied:
                    values[original] = dict(values[original])
                    copied.add(original)
                _merge(values[original], row, action)
            elif action in (Policy.FILL, Policy.OVERWRITE) and row.match.customer_id:
                updates.append(row)
            elif action in (Policy.CREATE, Policy.FILL, Policy.OVERWRITE):
                creates.append(row)
                values[row.row] = row.values
        unowned = {r.row for r in creates if values[r.row].get("owner") is None}
        rows = [r for r in creates if r.row in unowned]
        orphans = assign_owners(self.preview, rows, self.actor.staff_id if self.actor else None)
        if orphans:
            raise CrmError(_("row {row}, {label}: {message}").format(
                row=orphans[0].row, label=FIELDS["owner"].label, message=owner_missing()))
        for row in rows:
            values[row.row]["owner"] = row.values["owner"]
        return creates, updates, values

    def create(self, rows: list[PreviewRow], values: dict[int, dict[str, Any]]) -> None:
        numbers = reserve_archive_numbers(len(rows), self.now.date()) if rows else []
        intervals = dict(Level.select(Level.id, Level.interval_days).tuples())
        follow_up = {level: cadence.next_follow_up(None, None, self.now, interval)
                     for level, interval in intervals.items()}
        follow_up[None] = cadence.next_follow_up(None, None, self.now, None)
        registered_by = self.actor.staff_id if self.actor else None
        mark = last_customer_id()
        size = min(CREATE_BATCH, max(BATCH, len(rows) // 10))

        def batches() -> Iterator[Batch]:
            for start in range(0, len(rows), size):
                cards = [card_part(values[row.row]) for row in rows[start:start + size]]
                fixed = [(number, self.now, self.now, 1, follow_up.get(card.get("level"),
                                                                       follow_up[None]))
                         for number, card in zip(numbers[start:start + size], cards, strict=True)]
                yield cards, fixed

        insert_customers(batches(), {"registered_by": registered_by}, self.step)
        ids = ids_of_numbers(mark, numbers) if rows else []
        for row, number, customer_id in zip(rows, numbers, ids, strict=True):
            self.created[row.row] = customer_id
            self.numbers[customer_id] = number
        insert_own_values(self.office, ((self.created[row.row], own_part(values[row.row]))
                                        for row in rows))

    def update(self, rows: list[PreviewRow]) -> None:
        current = current_cards(sorted({r.match.customer_id for r in rows if r.match}))
        stale = [r.match.archive_no for r in rows if r.match and (
            r.match.customer_id not in current
            or current[r.match.customer_id]["version"] != r.match.version)]
        if stale:
            raise StaleCardError(_(
                "{nos} changed since the preview; preview the file again.").format(
                    nos=", ".join(sorted(set(filter(None, stale)))[:10])))
        own_now = office_values.values_of(sorted(current))
        for row in rows:
            customer_id = row.match.customer_id  # type: ignore[union-attr]
            card = current[customer_id]
            own = own_now.setdefault(customer_id, {})
            merged = {name: card[name] for name in FIELDS} | prefixed(own)
            changes = _merge(merged, row, self.preview.action(row))
            if changes:
                version, previous = self.updated.get(customer_id, (card["version"], {}))
                for name in changes:
                    previous.setdefault(name, card[name] if name in FIELDS else merged_before(
                        own, name))
                card_changes, own_changes = card_part(changes), own_part(changes)
                card.update(card_changes)
                own.update(own_changes)
                Customer.update(
                    version=version + 1, updated_at=self.now, **card_columns(card_changes),
                    **search_columns(merged)).where(Customer.id == customer_id).execute()
                office_values.write_values(customer_id, self.office, own_changes)
                self.updated[customer_id] = (version + 1, previous)
                self.numbers[customer_id] = card["archive_no"]
                cadence.refresh_follow_up(customer_id)
                audit.record(self.actor, "import_update", customer_id,
                             changes={k: str(v) for k, v in changes.items()})
            self.step()

    def link_referrers(self) -> None:
        """Point new archives at a referrer written as another row of the same file."""
        by_number = {r.row: r for r in self.preview.rows}
        for row in self.preview.rows:
            customer = self.created.get(row.row)
            if row.referrer_row is None or customer is None:
                continue
            referrer = by_number[row.referrer_row]
            target = self.created.get(referrer.row) or (
                referrer.match.customer_id if referrer.match else None)
            if target:
                Customer.update(referrer=target).where(Customer.id == customer).execute()


def _merge(values: dict[str, Any], row: PreviewRow, action: Policy | None) -> dict[str, Any]:
    """Apply the file's values of ``row`` to ``values`` by ``action``; return what changed."""
    changes = {}
    for name in row.given:
        new = row.values.get(name)
        if new is None or values.get(name) == new:
            continue
        if action is Policy.OVERWRITE or values.get(name) in (None, ""):
            changes[name] = new
    values.update(changes)
    return changes


def commit_import(preview: Preview, actor: Actor | None, progress: Progress | None = None,
                  cancel: CancelFlag | None = None) -> ImportResult:
    """Write the accepted rows of ``preview`` in one transaction and record the import.

    Raises:
        Cancelled: ``cancel`` was set; nothing was written.
        StaleCardError: an archive to update changed since the preview; nothing was written.
        PermissionDenied: ``actor`` may not import.
    """
    require(actor, Duty.IMPORT)
    work = _Commit(preview, actor, progress, cancel)
    counts = preview.counts()
    with collector_paused(), import_settings(), database.atomic():
        creates, updates, values = work.plan()
        work.create(creates, values)
        work.update(updates)
        work.link_referrers()
        check_cancel(cancel)
        batch = ImportBatch.create(
            at=work.now, actor=actor.staff_id if actor else None, file_name=preview.file_name,
            sha256=preview.sha256, sheet=preview.sheet, policy=preview.policy.value,
            created=len(work.created), updated=len(work.updated), skipped=counts.skip,
            rejected=counts.error)
        created_ids = sorted(work.created.values())
        numbers = work.numbers
        check_cancel(cancel)
        insert_tuples(ImportItem, _ITEM_COLUMNS, itertools.chain(
            ((batch.id, cid, numbers[cid], "created", 1, "{}") for cid in created_ids),
            ((batch.id, cid, numbers[cid], "updated", version, _encode(previous))
             for cid, (version, previous) in work.updated.items())))
        # One sealed entry names every archive the import created (the chain is appended one
        # entry at a time, too slow for an entry per row); updates have their own entries.
        audit.record(actor, "import", None, batch=batch.id, file=preview.file_name,
                     sha256=preview.sha256, created=batch.created, updated=batch.updated,
                     skipped=batch.skipped, rejected=batch.rejected,
                     archives=[numbers[cid] for cid in created_ids])
        batch.audit_mark = AuditEntry.select(AuditEntry.id).order_by(
            AuditEntry.id.desc()).scalar() or 0
        batch.save()
    report(progress, len(preview.rows), len(preview.rows))
    return ImportResult(batch.id, batch.created, batch.updated, batch.skipped, batch.rejected,
                        tuple(created_ids))

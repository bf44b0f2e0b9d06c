"""The dry run of an import: read, map, clean, match and preview every row, writing nothing.

The Qt wizard and ``crmdesk import`` both call ``preview_import`` (in a worker thread, with a
progress callback and a cancel flag), show or print the ``Preview``, let the user change the
action of single rows, and then hand it to ``services.imports.commit.commit_import``.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crmdesk.errors import CrmError
from crmdesk.i18n import _
from crmdesk.importers.collector import collector_paused
from crmdesk.importers.guards import DEFAULT_LIMITS, Limits
from crmdesk.importers.mapping import HEAD_ROWS, ColumnMapping, target_label
from crmdesk.importers.preview import Policy, Preview, PreviewRow
from crmdesk.importers.readers import Workbook, open_workbook
from crmdesk.importers.rows import RowContext, is_blank, parse_row
from crmdesk.models import ImportBatch, Level, Staff
from crmdesk.models.office_fields import office_fields
from crmdesk.progress import CancelFlag, Progress, check_cancel, report
from crmdesk.services import settings
from crmdesk.services.context import Actor
from crmdesk.services.imports.lookups import archive_lookups
from crmdesk.services.imports.mappings import guess_mapping
from crmdesk.services.imports.matching import find_duplicates, resolve_referrers
from crmdesk.services.visibility import Duty, require

STEP = 500


class MappingError(CrmError):
    """The mapping cannot work (no column gives the customer's name)."""


@dataclass(frozen=True)
class ImportOptions:
    """How to import: which sheet, the column mapping (None: guess), the duplicate policy,
    and the salespeople new customers are spread over when the sheet names no owner."""

    sheet: str | None = None
    mapping: ColumnMapping | None = None
    policy: Policy = Policy.SKIP
    owners: tuple[int, ...] = ()


def sheet_head(path: Path | str, sheet: str | None = None,
               limits: Limits = DEFAULT_LIMITS) -> tuple[list[str], str, list[list[Any]]]:
    """The sheet names, the chosen sheet and its first rows: what the mapping dialog shows.

    Raises:
        UnreadableFileError: the file is refused by the guards or cannot be read.
    """
    with open_workbook(path, limits) as book:
        chosen = sheet or book.default_sheet()
        return book.sheet_names, chosen, book.head(chosen, HEAD_ROWS)


def _defaults() -> dict[str, Any]:
    level = Level.get_or_none(Level.code == settings.get("default_level"))
    return {"status": "prospect", "confidentiality": "normal",
            "level": level.id if level else None}


def _earlier_import(sha256: str) -> str | None:
    batch = (ImportBatch.select().where((ImportBatch.sha256 == sha256)
                                        & ImportBatch.undone_at.is_null())
             .order_by(ImportBatch.id.desc()).first())
    if batch is None:
        return None
    who = Staff.get_or_none(Staff.id == batch.actor_id)
    return _("This file was already imported on {when} by {who} (import {id}).").format(
        when=batch.at.strftime("%Y-%m-%d %H:%M"), who=who.name if who else "-", id=batch.id)


def assign_owners(preview: Preview, rows: list[PreviewRow],
                  fallback: int | None) -> list[PreviewRow]:
    """Give each row that will be created and names no owner the next salesperson in turn
    (or ``fallback``); return the rows left without one."""
    orphans = []
    for row in rows:
        if row.values.get("owner") is not None or preview.action(row) is not Policy.CREATE:
            continue
        if preview.owners:
            row.values["owner"] = preview.owners[preview.rotation % len(preview.owners)]
            preview.rotation += 1
        elif fallback is not None:
            row.values["owner"] = fallback
        else:
            orphans.append(row)
    return orphans


def owner_missing() -> str:
    """Why a new customer has no owner, and what to do."""
    return _("required: map a column to it or choose the salespeople to share the customers")


def _read_rows(book: Workbook, sheet: str, mapping: ColumnMapping | None, keep_unowned: bool,
               progress: Progress | None, cancel: CancelFlag | None,
               ) -> tuple[ColumnMapping, RowContext, list[PreviewRow]]:
    total = book.row_count(sheet)
    source = book.rows(sheet)
    head = list(itertools.islice(source, HEAD_ROWS))
    mapping = mapping or guess_mapping(head)
    if "name" not in mapping.targets:
        raise MappingError(_("No column is mapped to {field}; map one and try again.").format(
            field=target_label("name")))
    context = RowContext(mapping, archive_lookups(), _defaults(), book.date1904, keep_unowned,
                         {field.name: field for field in office_fields()})
    rows: list[PreviewRow] = []
    for index, raw in enumerate(itertools.chain(head, source)):
        if index % STEP == 0:
            check_cancel(cancel)
            report(progress, index, total)
        if index <= mapping.header_row or is_blank(raw, mapping):
            continue
        rows.append(parse_row(index + 1, raw, context))
    return mapping, context, rows


def preview_import(path: Path | str, actor: Actor | None, options: ImportOptions = ImportOptions(),
                   progress: Progress | None = None, cancel: CancelFlag | None = None,
                   limits: Limits = DEFAULT_LIMITS) -> Preview:
    """Read and check every row of the file and say what an import would do; write nothing.

    Raises:
        UnreadableFileError: the file is refused (empty, damaged, protected, too big, ...).
        MappingError: no column gives the customer's name.
        Cancelled: ``cancel`` was set.
        PermissionDenied: ``actor`` may not import.
    """
    require(actor, Duty.IMPORT)
    with collector_paused():
        return _preview(Path(path), actor, options, progress, cancel, limits)


def _preview(path: Path, actor: Actor | None, options: ImportOptions, progress: Progress | None,
             cancel: CancelFlag | None, limits: Limits) -> Preview:
    with open_workbook(path, limits) as book:
        sheet = options.sheet or book.default_sheet()
        fallback = actor.staff_id if actor else None
        mapping, context, rows = _read_rows(book, sheet, options.mapping,
                                            not options.owners and fallback is None,
                                            progress, cancel)
        sha256 = book.facts.sha256
    check_cancel(cancel)
    preview = Preview(path, sha256, sheet, mapping, options.policy, options.owners, rows,
                      earlier_import=_earlier_import(sha256))
    resolve_referrers(rows, context)
    find_duplicates(rows)
    for row in assign_owners(preview, rows, fallback):
        row.problems.append(context.problem(row.row, "owner", owner_missing()))
    report(progress, len(rows), len(rows))
    return preview

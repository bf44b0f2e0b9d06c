"""The customers an export writes: the list's filter and order, read in chunks of rows."""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from crmdesk.exporters.columns import Renderer, Table, export_columns
from crmdesk.importers.progress import CancelFlag, Progress, check_cancel, report
from crmdesk.models import Customer
from crmdesk.services.context import Actor
from crmdesk.services.search import ListQuery, find_ids
from crmdesk.services.visibility import Duty, readable_ids, require

CHUNK = 1000


def customer_chunks(actor: Actor | None, query: ListQuery | None,
                    progress: Progress | None = None, cancel: CancelFlag | None = None,
                    ) -> tuple[int, Iterator[list[dict[str, Any]]]]:
    """How many customers match ``query`` (all when None), and their records in list order,
    a chunk at a time so memory stays flat however big the archive.

    Only those whose card ``actor`` may read are exported, and only by those who may export.

    Raises:
        PermissionDenied: ``actor`` may not export.
    """
    require(actor, Duty.EXPORT)
    ids = find_ids(query or ListQuery(), actor)

    def chunks() -> Iterator[list[dict[str, Any]]]:
        for start in range(0, len(ids), CHUNK):
            check_cancel(cancel)
            report(progress, start, len(ids))
            chunk = ids[start:start + CHUNK]
            found = {r["id"]: r for r in Customer.select().where(Customer.id.in_(chunk)).dicts()}
            readable = readable_ids(actor, [(r["id"], r["owner"], r["confidentiality"])
                                            for r in found.values()])
            yield [found[i] for i in chunk if i in readable]
        report(progress, len(ids), len(ids))

    return len(ids), chunks()


def customer_table(actor: Actor | None, query: ListQuery | None = None,
                   columns: Sequence[str] | None = None, progress: Progress | None = None,
                   cancel: CancelFlag | None = None) -> Table:
    """The customers the list ``query`` shows as an export: ``columns`` are field names (or
    "archive_no"), all of the card when None.

    Raises:
        KeyError: a column is no card field.
        PermissionDenied: ``actor`` may not export.
    """
    chosen = export_columns(columns)
    renderer = Renderer()
    _total, chunks = customer_chunks(actor, query, progress, cancel)

    def rows() -> Iterator[list[Any]]:
        value = renderer.value
        for records in chunks:
            renderer.prepare(records)
            for record in records:
                yield [value(c, record) for c in chosen]

    return Table("customers", chosen, rows())

"""The customers an export writes: the list's filter and order, read in chunks of rows."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from crmdesk.importers.progress import CancelFlag, Progress, check_cancel, report
from crmdesk.models import Customer
from crmdesk.services.search import ListQuery, find_ids

CHUNK = 1000


def customer_chunks(query: ListQuery | None, progress: Progress | None = None,
                    cancel: CancelFlag | None = None) -> tuple[int, Iterator[list[dict[str, Any]]]]:
    """How many customers match ``query`` (all when None), and their records in list order,
    a chunk at a time so memory stays flat however big the archive."""
    ids = find_ids(query or ListQuery())

    def chunks() -> Iterator[list[dict[str, Any]]]:
        for start in range(0, len(ids), CHUNK):
            check_cancel(cancel)
            report(progress, start, len(ids))
            chunk = ids[start:start + CHUNK]
            found = {r["id"]: r for r in Customer.select().where(Customer.id.in_(chunk)).dicts()}
            yield [found[i] for i in chunk if i in found]
        report(progress, len(ids), len(ids))

    return len(ids), chunks()

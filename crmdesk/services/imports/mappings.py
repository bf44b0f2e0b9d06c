"""Column mappings the user confirmed, remembered for the next file with the same headers, so
the next monthly file from the same template maps itself."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from crmdesk.importers import mapping as columns
from crmdesk.importers.mapping import ColumnMapping
from crmdesk.services import settings

SETTING = "import_mappings"
REMEMBERED = 50


def guess_mapping(head: Sequence[Sequence[Any]]) -> ColumnMapping:
    """The mapping of a sheet from its first rows: a remembered one for the same headers, else
    the guess from the headers' names."""
    return columns.guess_mapping(head, settings.get(SETTING))


def remember_mapping(mapping: ColumnMapping) -> None:
    """Keep ``mapping`` for the next file with the same headers (the latest few are kept)."""
    stored: dict[str, dict[str, str | None]] = dict(settings.get(SETTING))
    stored.pop(mapping.signature(), None)
    stored[mapping.signature()] = {
        h: t for h, t in zip(mapping.headers, mapping.targets, strict=True) if h}
    settings.put(SETTING, dict(list(stored.items())[-REMEMBERED:]))

"""Column mappings the user confirmed, remembered for the next file with the same headers, so
the next monthly file from the same template maps itself."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from crmdesk.importers import mapping as columns
from crmdesk.importers.mapping import ColumnMapping
from crmdesk.models.office_fields import office_fields
from crmdesk.services import settings

SETTING = "import_mappings"
REMEMBERED = 50


def guess_mapping(head: Sequence[Sequence[Any]]) -> ColumnMapping:
    """The mapping of a sheet from its first rows: a remembered one for the same headers, else
    the guess from the headers' names (the office's shown fields among them)."""
    return columns.guess_mapping(head, settings.get(SETTING), office_fields())


def mapping_targets() -> list[tuple[str, str]]:
    """(target, label) of everything a column can fill: the archive number, the card's fields
    and the office's shown fields."""
    return columns.target_choices(office_fields())


def remember_mapping(mapping: ColumnMapping) -> None:
    """Keep ``mapping`` for the next file with the same headers (the latest few are kept)."""
    stored: dict[str, dict[str, str | None]] = dict(settings.get(SETTING))
    stored.pop(mapping.signature(), None)
    stored[mapping.signature()] = {
        h: t for h, t in zip(mapping.headers, mapping.targets, strict=True) if h}
    settings.put(SETTING, dict(list(stored.items())[-REMEMBERED:]))

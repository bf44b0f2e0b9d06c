"""Which column of a sheet holds which card field: finding the header row and guessing the mapping.

Office sheets often start with a title (客户信息表, merged across the top) and a date line before
the real header. The header is the row among the first few whose cells name the most card fields,
by label or by one of the card's aliases (姓名/客户名称/名称, 手机/手机号/移动电话, ...).
The office's own fields (``office.<key>``) are named by their Chinese or English label or their
key; the caller passes their definitions. A mapping the user confirmed wins for the same set of
headers (``services.imports.mappings`` keeps them).
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from crmdesk.i18n import _, is_chinese
from crmdesk.importers.cells import cell_text, normalized
from crmdesk.models.card import FIELDS
from crmdesk.models.office_fields import PREFIX, OfficeField

# Not a card field: the archive number, used to recognise archives already in the archive
# (an export edited and imported again), never to number new ones.
ARCHIVE_NO = "archive_no"
ARCHIVE_NO_LABELS = ("档案编号", "Archive no.", "客户编号", "档案号", "编号")
HEAD_ROWS = 30
_DECORATION = re.compile(r"[*＊:：]|[(（][^)）]*[)）]$")


def target_label(target: str | None, office: Sequence[OfficeField] = ()) -> str:
    """How a mapping target is shown: the field's label (an office field's among ``office``),
    or the archive number's."""
    if target is None:
        return _("(ignore)")
    if target == ARCHIVE_NO:
        return ARCHIVE_NO_LABELS[0] if is_chinese() else ARCHIVE_NO_LABELS[1]
    if target.startswith(PREFIX):
        return next((f.label for f in office if f.name == target), target)
    return FIELDS[target].label


def target_choices(office: Sequence[OfficeField] = ()) -> list[tuple[str, str]]:
    """(target, label) of everything a column can be mapped to, in card order, the office's
    own fields last."""
    return [(ARCHIVE_NO, target_label(ARCHIVE_NO))] + [
        (name, spec.label) for name, spec in FIELDS.items()] + [
        (field.name, field.label) for field in office]


@lru_cache(maxsize=1)
def _index() -> tuple[dict[str, str], dict[str, str]]:
    """Exact labels first (zh, en, field name), then aliases, each normalised."""
    labels: dict[str, str] = {}
    aliases: dict[str, str] = {}
    for name, spec in FIELDS.items():
        for spelling in (spec.zh, spec.en, name):
            labels.setdefault(header_key(spelling), name)
        for alias in spec.aliases:
            aliases.setdefault(header_key(alias), name)
    for spelling in (*ARCHIVE_NO_LABELS, ARCHIVE_NO):
        labels.setdefault(header_key(spelling), ARCHIVE_NO)
    return labels, aliases


def header_key(header: Any) -> str:
    """A header as it is matched: without required-marks (*), colons or a trailing remark."""
    text = cell_text(header) if header is not None else ""
    return normalized(_DECORATION.sub("", text))


def office_labels(office: Sequence[OfficeField]) -> dict[str, str]:
    """The office fields' form names by their normalised labels and keys."""
    labels: dict[str, str] = {}
    for field in office:
        for spelling in (field.zh, field.en, field.name):
            labels.setdefault(header_key(spelling), field.name)
    return labels


def guess_target(header: Any, office: Mapping[str, str] | None = None) -> str | None:
    """The card field a header names, or None: a built-in field's label first, then an office
    field's label or key (``office`` as ``office_labels`` gives them), then a built-in alias."""
    key = header_key(header)
    if not key:
        return None
    labels, aliases = _index()
    return labels.get(key) or (office or {}).get(key) or aliases.get(key)


def find_header_row(rows: Sequence[Sequence[Any]],
                    office: Mapping[str, str] | None = None) -> int:
    """The index of the header row among ``rows`` (the first rows of a sheet).

    The row naming the most card fields wins; the first of equals. With no recognisable
    header, the first row with two or more filled cells is taken.
    """
    best, best_score = -1, 0
    for index, row in enumerate(rows[:HEAD_ROWS]):
        score = sum(1 for cell in row if guess_target(cell, office) is not None)
        if score > best_score:
            best, best_score = index, score
    if best >= 0:
        return best
    for index, row in enumerate(rows[:HEAD_ROWS]):
        if sum(1 for cell in row if cell is not None) >= 2:
            return index
    return 0


@dataclass(frozen=True)
class ColumnMapping:
    """The header row of a sheet and, for each column, the field it fills (None: ignored).

    ``header_row`` counts from 0; data starts on the row after it.
    """

    header_row: int
    headers: tuple[str, ...]
    targets: tuple[str | None, ...]

    def with_target(self, column: int, target: str | None) -> ColumnMapping:
        """The same mapping with ``column`` filling ``target`` (None to ignore the column).

        A field is filled from one column only: a column that filled ``target`` before is
        ignored from now on.
        """
        targets = [None if (t == target and target is not None) else t for t in self.targets]
        targets[column] = target
        return replace(self, targets=tuple(targets))

    def columns_of(self, target: str) -> int | None:
        """The column filling ``target``, or None."""
        return self.targets.index(target) if target in self.targets else None

    def signature(self) -> str:
        """An identity for this set of headers, whatever their order."""
        keys = sorted(header_key(h) for h in self.headers if header_key(h))
        return hashlib.sha1("\x1f".join(keys).encode()).hexdigest()[:16]


def guess_mapping(head: Sequence[Sequence[Any]],
                  remembered: Mapping[str, Mapping[str, str | None]] | None = None,
                  office: Sequence[OfficeField] = ()) -> ColumnMapping:
    """Find the header among the first rows of a sheet and guess each column's field, among
    the card's and the ``office``'s own fields.

    A mapping in ``remembered`` (targets by header, kept by the signature of their headers)
    for the same headers wins over the guess.
    """
    own = office_labels(office)
    header_row = find_header_row(head, own)
    row = head[header_row] if head else []
    headers = tuple(cell_text(c) if c is not None else "" for c in row)
    targets: list[str | None] = []
    for header in headers:
        target = guess_target(header, own)
        targets.append(None if target in targets else target)
    mapping = ColumnMapping(header_row, headers, tuple(targets))
    known_targets = (remembered or {}).get(mapping.signature())
    if known_targets:
        by_header = {header_key(h): t for h, t in known_targets.items()}
        known = set(FIELDS) | {ARCHIVE_NO} | set(own.values())
        targets = [by_header.get(header_key(h)) for h in headers]
        mapping = replace(mapping, targets=tuple(t if t in known else None for t in targets))
    return mapping

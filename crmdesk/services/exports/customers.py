"""The customers an export writes: the list's filter and order, read in chunks of rows, and
each stored value turned into the value of its cell.

Values are written so that importing the file again gives the same archive: staff by name,
levels by code, choices by label, referrers by archive number, yes/no as 是/否, phones as
their stored digits (always text), dates as real dates, amounts as numbers.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import cache
from typing import Any

import peewee

from crmdesk.exporters.columns import ExportColumn, Table, column
from crmdesk.importers.mapping import ARCHIVE_NO, target_label
from crmdesk.models import Customer, Level
from crmdesk.models.card import FIELDS
from crmdesk.models.db import database
from crmdesk.models.field_kind import Editor
from crmdesk.models.fieldtypes import FieldKind, Kind
from crmdesk.models.office_fields import PREFIX, OfficeField, office_fields
from crmdesk.progress import CancelFlag, Progress, check_cancel, report
from crmdesk.services import office_values
from crmdesk.services.context import Actor
from crmdesk.services.office_fields import hidden_builtins
from crmdesk.services.search import ListQuery, find_ids
from crmdesk.services.staff import staff_names
from crmdesk.services.visibility import Duty, readable_ids, require

CHUNK = 1000
# Fields whose stored values peewee gives back as they are (text, whole numbers, ids).
_AS_STORED = (peewee._StringField, peewee.IntegerField, peewee.ForeignKeyField)
# A kind with fewer distinct cell values than this per column is worked out once per value.
_REMEMBERED = 1000


def export_columns(keys: Sequence[str] | None = None) -> list[ExportColumn]:
    """The columns for ``keys`` (field names, the office's fields as ``office.<key>``, or
    "archive_no"); when None, all of the card but the built-in fields the office hides, its own
    shown fields last.

    Raises:
        KeyError: a key is neither a card field, an office field nor the archive number.
    """
    office = {f.name: f for f in office_fields()}
    hidden = hidden_builtins()
    chosen = list(keys) if keys else [
        ARCHIVE_NO, *(name for name in FIELDS if name not in hidden), *office]
    columns = []
    for key in chosen:
        if key != ARCHIVE_NO and key not in FIELDS and key not in office:
            raise KeyError(key)
        if key == ARCHIVE_NO:
            columns.append(column(key, target_label(key), Kind.TEXT, 16))
        elif key in office:
            field = office[key]
            columns.append(column(key, field.label, field.kind))
        else:
            columns.append(column(key, target_label(key), FIELDS[key].kind))
    return columns


class Renderer:
    """Turns stored customer values into cell values; looks names up once per export."""

    def __init__(self) -> None:
        self._referrers: dict[int, str] = {}
        # What a reference cell holds: staff by name, levels by code, referrers by number.
        self._names: dict[FieldKind, dict[int, str]] = {
            Kind.STAFF: staff_names(),
            Kind.LEVEL: dict(Level.select(Level.id, Level.code).tuples()),
            Kind.CUSTOMER: self._referrers}
        self._office: dict[str, OfficeField] = {
            f.name: f for f in office_fields(include_hidden=True)}

    def prepare(self, records: Iterable[dict[str, Any]]) -> None:
        """Look up the archive numbers of the referrers named in ``records``."""
        wanted = {r.get("referrer") for r in records} - set(self._referrers) - {None}
        if wanted:
            self._referrers.update(Customer.select(Customer.id, Customer.archive_no).where(
                Customer.id.in_(list(wanted))).tuples())

    def value(self, column: ExportColumn, record: dict[str, Any]) -> Any:
        """The typed value for an .xlsx cell (dates, numbers and text)."""
        key = column.key
        if key.startswith(PREFIX):
            field = self._office[key]
            return field.cell(record.get("office", {}).get(field.key))
        value = record.get(key)
        if value is None or value == "":
            return None
        if key == ARCHIVE_NO:
            return value
        kind = column.kind
        if kind.reference:
            return self._names[kind].get(value, "")
        return kind.cell(value, FIELDS[key].choices)

    def row_maker(self, columns: Sequence[ExportColumn]) -> Callable[[dict[str, Any]], list]:
        """A function giving a record's row of cell values for ``columns``, as ``value``
        gives them one by one, with the work per column done once: most of a card's fields
        are empty, and a choice has few values."""
        at = {c.key: i for i, c in enumerate(columns) if not c.key.startswith(PREFIX)}
        cells = [self._cell_of(c) for c in columns]
        office = [(i, c) for i, c in enumerate(columns) if c.key.startswith(PREFIX)]
        value = self.value

        def row(record: dict[str, Any]) -> list:
            made: list = [None] * len(cells)
            for key, stored in record.items():
                i = at.get(key)
                if i is not None and stored is not None and stored != "":
                    made[i] = cells[i](stored)
            for i, col in office:
                made[i] = value(col, record)
            return made

        return row

    def _cell_of(self, column: ExportColumn) -> Callable[[Any], Any]:
        """The cell value of a stored value (not empty) in ``column``, as ``value`` gives it."""
        kind = column.kind
        if column.key == ARCHIVE_NO or column.key.startswith(PREFIX):
            return lambda stored: stored
        if kind.reference:
            names = self._names[kind]
            return lambda stored: names.get(stored, "")
        if type(kind).cell is FieldKind.cell:
            return lambda stored: stored
        choices = FIELDS[column.key].choices
        if kind.editor not in (Editor.CHOICE, Editor.CHOICES, Editor.CHECK):
            return lambda stored: kind.cell(stored, choices)
        known: dict[Any, Any] = {}

        def remembered(stored: Any) -> Any:
            if stored in known:
                return known[stored]
            made = kind.cell(stored, choices)
            if len(known) < _REMEMBERED:
                known[stored] = made
            return made

        return remembered


@cache
def _reading() -> tuple[str, tuple[str, ...], tuple[tuple[int, Callable[[Any], Any]], ...]]:
    """The customer table's columns to select, their field names, and the fields (by place)
    whose stored values peewee turns into Python ones (dates, amounts, yes/no)."""
    fields = Customer._meta.sorted_fields
    names = ", ".join(f'"{f.column_name}"' for f in fields)
    convert = tuple((i, f.python_value) for i, f in enumerate(fields)
                    if not isinstance(f, _AS_STORED))
    return names, tuple(f.name for f in fields), convert


def customer_records(ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """The customers ``ids`` as peewee's ``dicts()`` gives them, by id: read as plain rows,
    an empty value left as it is (peewee turned each of the 150 values of a card)."""
    selected, names, convert = _reading()
    marks = ", ".join([database.param] * len(ids))
    table = Customer._meta.table_name
    rows = database.execute_sql(
        f'SELECT {selected} FROM "{table}" WHERE "id" IN ({marks})', list(ids)).fetchall()
    found = {}
    for row in rows:
        values = list(row)
        for i, python_value in convert:
            if values[i] is not None:
                values[i] = python_value(values[i])
        record = dict(zip(names, values, strict=True))
        found[record["id"]] = record
    return found


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
            found = customer_records(chunk)
            readable = readable_ids(actor, [(r["id"], r["owner"], r["confidentiality"])
                                            for r in found.values()])
            office = office_values.values_of([i for i in chunk if i in readable])
            yield [{**found[i], "office": office.get(i, {})} for i in chunk if i in readable]
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
        row = renderer.row_maker(chosen)
        for records in chunks:
            renderer.prepare(records)
            yield from map(row, records)

    return Table("customers", chosen, rows())

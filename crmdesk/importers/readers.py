"""Reading the rows of a workbook (.xlsx, .xlsm, .xls, .ods) or a CSV file, after the guards.

Rows come out as lists of plain Python values (str, int, float, bool, date, datetime; None for
an empty cell), indexed from column A and numbered from row 1 as the user sees them. A value
merged down over several rows is repeated on each of them, as the person who merged it meant.
Workbooks are read with python-calamine, about ten times faster than openpyxl's read-only mode.
"""
from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import python_calamine as calamine

from crmdesk.i18n import _
from crmdesk.importers.extent import CHUNK
from crmdesk.importers.guards import (
    DEFAULT_LIMITS,
    FileFacts,
    Limits,
    UnreadableFileError,
    inspect_file,
    not_a_spreadsheet,
)

# What a CSV export escapes so a cell is never read as a formula (see exporters/csv.py).
CSV_ESCAPED = ("'=", "'+", "'-", "'@", "'\t", "'\r")
_DELIMITERS = (",", "\t", ";")


def detect_encoding(path: Path) -> str:
    """The encoding of a text file: UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030.

    Chinese-locale Excel saves CSV in GBK, which GB18030 extends; a file that is valid UTF-8
    is read as UTF-8, so neither is ever shown as mojibake.

    Raises:
        UnreadableFileError: the file is no text in any of those encodings.
    """
    with path.open("rb") as handle:
        head = handle.read(4)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    for encoding in ("utf-8", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with path.open("rb") as handle:
                while chunk := handle.read(CHUNK):
                    if b"\x00" in chunk:
                        raise not_a_spreadsheet(path)
                    decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding
    raise not_a_spreadsheet(path)


def _unescape(text: str) -> str | None:
    if not text:
        return None
    return text[1:] if text.startswith(CSV_ESCAPED) else text


class Workbook:
    """An opened spreadsheet: its sheets, and their rows on demand.

    Use ``open_workbook``; close it (or use it in a ``with`` block) when done.
    """

    def __init__(self, path: Path, facts: FileFacts, limits: Limits) -> None:
        self.path = path
        self.facts = facts
        self._limits = limits
        self._book: calamine.CalamineWorkbook | None = None
        self._sheets: dict[str, calamine.CalamineSheet] = {}
        self._encoding = ""
        if facts.format == "csv":
            self._encoding = detect_encoding(path)
            self.sheet_names = [path.stem]
            self.visible_sheets = [path.stem]
            return
        try:
            with path.open("rb") as handle:
                self._book = calamine.CalamineWorkbook.from_filelike(handle)
            metadata = self._book.sheets_metadata
        except calamine.PasswordError as exc:
            raise UnreadableFileError(
                _("{name} is protected with a password. Open it in Excel or WPS, remove the "
                  "password, save it, and import the saved copy.").format(name=path.name)
            ) from exc
        except (calamine.CalamineError, OSError, ValueError) as exc:
            raise UnreadableFileError(
                _("{name} could not be read as a spreadsheet: {reason}").format(
                    name=path.name, reason=exc)) from exc
        worksheets = [m for m in metadata if m.typ == calamine.SheetTypeEnum.WorkSheet]
        self.sheet_names = [m.name for m in worksheets]
        self.visible_sheets = [m.name for m in worksheets
                               if m.visible == calamine.SheetVisibleEnum.Visible]

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def date1904(self) -> bool:
        """True when the workbook counts days from 1904 (old Mac Excel)."""
        return self.facts.date1904

    def default_sheet(self) -> str:
        """The sheet to offer first: the first visible worksheet."""
        if not self.sheet_names:
            raise UnreadableFileError(_("{name} has no worksheet.").format(name=self.path.name))
        return (self.visible_sheets or self.sheet_names)[0]

    def rows(self, sheet: str | None = None) -> Iterator[list[Any]]:
        """Every row of ``sheet`` (the default sheet when None), from row 1, column A first.

        Raises:
            UnreadableFileError: the sheet does not exist or cannot be read.
        """
        sheet = sheet or self.default_sheet()
        if sheet not in self.sheet_names:
            raise UnreadableFileError(
                _("{name} has no sheet called {sheet}; its sheets are: {sheets}").format(
                    name=self.path.name, sheet=sheet, sheets=", ".join(self.sheet_names)))
        if self._book is None:
            return self._csv_rows()
        return self._sheet_rows(sheet)

    def head(self, sheet: str | None = None, count: int = 30) -> list[list[Any]]:
        """The first ``count`` rows of a sheet, to find its header and guess the mapping."""
        head: list[list[Any]] = []
        for row in self.rows(sheet):
            head.append(row)
            if len(head) >= count:
                break
        return head

    def row_count(self, sheet: str | None = None) -> int:
        """How many rows the sheet has (for progress), counting blank ones."""
        if self._book is None:
            with self.path.open("rb") as handle:
                return sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(CHUNK), b""))
        found = self._sheet(sheet or self.default_sheet())
        return found.start[0] + found.height if found.start else 0

    def close(self) -> None:
        """Let go of the parsed workbook."""
        if self._book is not None:
            self._sheets.clear()
            self._book.close()
            self._book = None

    def _sheet(self, name: str) -> calamine.CalamineSheet:
        if name not in self._sheets:
            try:
                self._sheets[name] = self._book.get_sheet_by_name(name)  # type: ignore[union-attr]
            except calamine.CalamineError as exc:
                raise UnreadableFileError(
                    _("{name} could not be read as a spreadsheet: {reason}").format(
                        name=self.path.name, reason=exc)) from exc
        return self._sheets[name]

    def _sheet_rows(self, name: str) -> Iterator[list[Any]]:
        sheet = self._sheet(name)
        pad = [None] * (sheet.start[1] if sheet.start else 0)
        merged_down: dict[int, list[tuple[int, int]]] = {}
        ranges = [(top, left, bottom) for (top, left), (bottom, _right)
                  in sheet.merged_cell_ranges or ()]
        # calamine reports no merged cells for .ods; the guards found them in content.xml.
        ranges += [(top, left, bottom) for name_, top, left, bottom in self.facts.merged_down
                   if name_ == name]
        for top, left, bottom in ranges:
            if bottom > top:
                merged_down.setdefault(top, []).append((left, bottom))
        carried: dict[int, tuple[Any, int]] = {}
        for index, raw in enumerate(sheet.iter_rows()):
            row = [None if v == "" else v for v in raw]
            if pad:
                row[:0] = pad
            for column, (value, last) in list(carried.items()):
                if index > last:
                    del carried[column]
                elif column < len(row) and row[column] is None:
                    row[column] = value
            for column, bottom in merged_down.get(index, ()):
                if column < len(row):
                    carried[column] = (row[column], bottom)
            yield row

    def _csv_rows(self) -> Iterator[list[Any]]:
        with self.path.open("r", encoding=self._encoding, newline="") as handle:
            first = handle.readline(65536)
        delimiter = max(_DELIMITERS, key=first.count) if first.strip() else ","
        with self.path.open("r", encoding=self._encoding, newline="") as handle:
            try:
                yield from self._checked_rows(csv.reader(handle, delimiter=delimiter))
            except csv.Error as exc:  # a field over csv's size limit, a stray NUL, ...
                raise UnreadableFileError(
                    _("{name} could not be read as a spreadsheet: {reason}").format(
                        name=self.path.name, reason=exc)) from exc

    def _checked_rows(self, reader: Iterator[list[str]]) -> Iterator[list[Any]]:
        limits = self._limits
        for number, row in enumerate(reader, start=1):
            if number > limits.max_rows:
                raise UnreadableFileError(
                    _("{name} has more than {limit} rows; split it into smaller files.").format(
                        name=self.path.name, limit=limits.max_rows))
            if len(row) > limits.max_columns:
                raise UnreadableFileError(
                    _("{name}: row {row} has {columns} columns; at most {limit} are read.").format(
                        name=self.path.name, row=number, columns=len(row),
                        limit=limits.max_columns))
            yield [_unescape(cell) for cell in row]


def open_workbook(path: Path | str, limits: Limits = DEFAULT_LIMITS) -> Workbook:
    """Check ``path`` with the guards, then open it for reading.

    Raises:
        UnreadableFileError: the file is refused; the message says why and what to do.
    """
    path = Path(path)
    return Workbook(path, inspect_file(path, limits), limits)

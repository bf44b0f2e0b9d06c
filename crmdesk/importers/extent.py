"""How far a sheet reaches (rows x columns), measured from the raw file before it is parsed.

The spreadsheet reader builds each sheet as a dense grid from its first to its last cell, so a
few bytes placing one cell at A1 and another at XFD1048576 would ask for gigabytes. These
scanners read the cell positions cheaply (regular expressions over the XML as it streams out of
the zip, or the BIFF records of an .xls) and return an upper bound of the grid the reader would
build, so the guards can refuse a file before it is loaded.
"""
from __future__ import annotations

import html
import re
import struct
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

CHUNK = 1 << 20
# Below this bound on the shared text of a piece (cells x longest item), it is not counted.
SHARED_TEXT_CHEAP = 4 << 20
MAX_MERGED = 100_000

# Cell references (r="J50001") and row numbers (r="50001") of SpreadsheetML, in one pass: only
# cells have a reference with letters. Any other r="digits" would only raise the bound.
_REF = re.compile(rb"\sr=\"([A-Z]{0,3})([0-9]{1,7})\"")
_PREFIX = re.compile(rb"<([A-Za-z_][\w.-]*:)?sheetData[\s/>]")
# Shared strings: the end of each item, and the cells referring to one (t="s") with its index.
_SHARED_END = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?si>")
_SHARED_CELL = re.compile(
    rb"<(?:[A-Za-z_][\w.-]*:)?c\s[^>]*?\bt=\"s\"[^>]*>\s*<(?:[A-Za-z_][\w.-]*:)?v>([0-9]{1,10})<")
# The same, quicker, when t="s" is the cell's last attribute (as Excel, WPS and LibreOffice
# write it); used when it finds every t="s" of the piece.
_SHARED_CELL_LAST = re.compile(rb"\st=\"s\">(?:<(?:[A-Za-z_][\w.-]*:)?v>)([0-9]{1,10})<")
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
# Text written in the cells themselves: inline strings (<is><t>...</t></is>) and the cached
# results of formulas giving text (t="str"; numbers never run to 32 bytes).
_INLINE_TEXT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?t(?:\s[^>]*)?>([^<]+)")
_LONG_VALUE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?v>([^<]{32,})")

# OpenDocument tables: rows and cells (covered cells belong to merged areas) and sheet starts.
_ODS_TAG = re.compile(
    rb"<table:(table-row|table-cell|covered-table-cell|table)(?=[\s/>])([^>]*?)(/?)>"
    rb"|</table:table-row>")
_ROWS_REPEATED = re.compile(rb"number-rows-repeated=\"([0-9]+)\"")
_COLUMNS_REPEATED = re.compile(rb"number-columns-repeated=\"([0-9]+)\"")
_ROWS_SPANNED = re.compile(rb"number-rows-spanned=\"([0-9]+)\"")
_TABLE_NAME = re.compile(rb"table:name=\"([^\"]*)\"")

# A cell merged down: (sheet name, first row, column, last row), counted from 0.
MergedDown = tuple[str, int, int, int]


@dataclass(frozen=True)
class Extent:
    """An upper bound of a sheet's grid; ``has_dtd`` is set when the XML declares a DTD.

    ``repeated_text`` bounds the text the reader copies into more than one cell: an .xlsx
    shared string into every cell that refers to it, an .ods repeated cell into every cell it
    stands for. A short file can ask for gigabytes that way. ``text`` bounds the rest of the
    text the cells hold (written in the cells themselves), so that all the text the reader
    builds is ``repeated_text + text``. Both count bytes (UTF-8), never characters: a Chinese
    character takes three.
    """

    rows: int = 0
    columns: int = 0
    has_dtd: bool = False
    merged_down: tuple[MergedDown, ...] = ()
    repeated_text: int = 0
    text: int = 0

    def merge(self, other: Extent) -> Extent:
        return Extent(max(self.rows, other.rows), max(self.columns, other.columns),
                      self.has_dtd or other.has_dtd, self.merged_down + other.merged_down,
                      self.repeated_text + other.repeated_text, self.text + other.text)


def _column_number(letters: bytes) -> int:
    number = 0
    for byte in letters:
        number = number * 26 + (byte - 64)
    return number


def _pieces(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """Re-cut a byte stream so that no tag is split between two pieces."""
    carry = b""
    for chunk in chunks:
        buffer = carry + chunk
        cut = buffer.rfind(b"<")
        if cut <= 0:
            carry = buffer
            continue
        carry = buffer[cut:]
        yield buffer[:cut]
    if carry:
        yield carry


def _count_tags(piece: bytes, name: bytes) -> int:
    return sum(piece.count(name + end) for end in (b" ", b">", b"/>", b"\t", b"\r", b"\n"))


def _largest(numbers: set[bytes]) -> int:
    return int(max(numbers, key=lambda n: (len(n.lstrip(b"0")), n.lstrip(b"0"))))


def shared_string_sizes(chunks: Iterable[bytes]) -> tuple[list[int], bool]:
    """The size in bytes of each item of a shared-string table (its XML, an upper bound of
    its text), streamed in ``chunks``, and whether the XML declares a DTD."""
    sizes: list[int] = []
    offset = last_end = 0
    has_dtd = False
    for number, piece in enumerate(_pieces(chunks)):
        if number == 0:
            has_dtd = bool(_DTD.search(piece))
        for match in _SHARED_END.finditer(piece):
            end = offset + match.end()
            sizes.append(end - last_end)
            last_end = end
        offset += len(piece)
    return sizes, has_dtd


def _shared_text(piece: bytes, sizes: list[int], longest: int) -> int:
    """The shared text the cells of ``piece`` repeat: counted exactly only when the cells
    times the longest item could be much."""
    cells = piece.count(b't="s"')
    if cells * longest <= SHARED_TEXT_CHEAP:
        return cells * longest
    found = _SHARED_CELL_LAST.findall(piece)
    if len(found) != cells:
        found = _SHARED_CELL.findall(piece)
    count = len(sizes)
    return sum(sizes[int(index)] * times for index, times in Counter(found).items()
               if int(index) < count)


def xlsx_extent(chunks: Iterable[bytes], shared_sizes: list[int] | None = None) -> Extent:
    """The grid bound of one worksheet XML, streamed in ``chunks``, and (given the sizes of
    the shared strings) the size of the shared text its cells repeat.

    Cells normally carry their reference (r="J50001"); cells and rows without one continue
    from the one before, so each of those is counted as one more column or row.
    """
    max_row = max_column = max_row_ref = 0
    cells = referenced_cells = rows = repeated_text = text = 0
    has_dtd = False
    prefix = b""
    longest = max(shared_sizes or (0,))
    for number, piece in enumerate(_pieces(chunks)):
        if shared_sizes:
            repeated_text += _shared_text(piece, shared_sizes, longest)
        if number == 0:
            has_dtd = bool(_DTD.search(piece))
            found = _PREFIX.search(piece)
            prefix = (found.group(1) or b"") if found else b""
        text += sum(len(found) for found in _INLINE_TEXT.findall(piece))
        text += sum(len(found) for found in _LONG_VALUE.findall(piece))
        refs = _REF.findall(piece)
        cells += _count_tags(piece, b"<" + prefix + b"c")
        rows += _count_tags(piece, b"<" + prefix + b"row")
        if refs:
            letters = {letters for letters, _digits in refs}
            cell_rows = {digits for letters, digits in refs if letters}
            row_refs = {digits for letters, digits in refs if not letters}
            referenced_cells += len(refs) - (
                sum(1 for letters, _digits in refs if not letters) if row_refs else 0)
            letters.discard(b"")
            if letters:
                max_column = max(max_column, *(_column_number(c) for c in letters))
                max_row = max(max_row, _largest(cell_rows))
            if row_refs:
                max_row_ref = max(max_row_ref, _largest(row_refs))
    if cells > referenced_cells:
        return Extent(max(max_row, max_row_ref) + rows, max_column + cells - referenced_cells,
                      has_dtd, repeated_text=repeated_text, text=text)
    return Extent(max_row, max_column, has_dtd, repeated_text=repeated_text, text=text)


def ods_extent(chunks: Iterable[bytes]) -> Extent:
    """The grid bound of an OpenDocument content.xml, streamed in ``chunks``, and the cells
    merged down over several rows (which the reader fills in, as for .xlsx).

    Repeated rows and cells count only when they hold a value: every office program writes
    the empty remainder of a sheet as one row repeated a million times. A repeated cell with
    a value is copied by the reader into every cell it stands for: what lies between it and
    the next tag counts once per extra copy as repeated text.
    """
    extent = Extent()
    row = rows = columns = column = row_repeat = 0
    row_has_value = False
    sheet = ""
    merged: list[MergedDown] = []
    repeated = copies = 0  # copies: extra copies of the bytes now being read
    text = 0  # every byte between two table tags: an upper bound of the cells' own text
    for number, piece in enumerate(_pieces(chunks)):
        if number == 0 and _DTD.search(piece):
            extent = Extent(has_dtd=True)
        mark = 0
        for match in _ODS_TAG.finditer(piece):
            text += match.start() - mark
            repeated += copies * (match.start() - mark)
            mark, copies = match.end(), 0
            tag, attributes, closed = match.groups()
            if tag is None:  # </table:table-row>
                if row_has_value:
                    rows = max(rows, row + row_repeat)
                row += row_repeat
                continue
            if tag == b"table":
                extent = extent.merge(Extent(rows, columns))
                row = rows = columns = 0
                found = _TABLE_NAME.search(attributes)
                sheet = html.unescape(found.group(1).decode("utf-8", "replace")) if found else ""
            elif tag == b"table-row":
                found = _ROWS_REPEATED.search(attributes)
                row_repeat = int(found.group(1)) if found else 1
                column, row_has_value = 0, False
                if closed:
                    row += row_repeat
            else:
                found = _COLUMNS_REPEATED.search(attributes)
                repeat = int(found.group(1)) if found else 1
                if b"value-type" in attributes:
                    columns = max(columns, column + repeat)
                    row_has_value = True
                    copies = 0 if closed else repeat * max(row_repeat, 1) - 1
                spanned = _ROWS_SPANNED.search(attributes)
                if spanned and int(spanned.group(1)) > 1 and len(merged) < MAX_MERGED:
                    merged.append((sheet, row, column, row + int(spanned.group(1)) - 1))
                column += repeat
        repeated += copies * (len(piece) - mark)
        text += len(piece) - mark
    return extent.merge(Extent(rows, columns, merged_down=tuple(merged), repeated_text=repeated,
                               text=text))


_BIFF_CELLS = {0x0203, 0x00FD, 0x0204, 0x027E, 0x0205, 0x0006, 0x00D6, 0x0004, 0x0003,
               0x0002, 0x0001}
_BIFF_TEXT_CELLS = {0x0204, 0x00D6, 0x0004}  # LABEL, RSTRING, BIFF2 LABEL: text in the record
_MULRK = 0x00BD
_FILEPASS = 0x002F
_SST, _CONTINUE, _LABELSST = 0x00FC, 0x003C, 0x00FD


class _Segments:
    """The bodies of an SST record and its CONTINUE records, read as one stream."""

    def __init__(self, segments: list[bytes]) -> None:
        self._segments = segments
        self._index = self._offset = 0

    def exhausted(self) -> bool:
        while self._index < len(self._segments) and self._offset >= len(
                self._segments[self._index]):
            self._index, self._offset = self._index + 1, 0
        return self._index >= len(self._segments)

    def take(self, count: int) -> bytes:
        """The next ``count`` bytes (fewer at the end), across record boundaries."""
        parts = []
        while count > 0 and not self.exhausted():
            segment = self._segments[self._index]
            part = segment[self._offset:self._offset + count]
            self._offset += len(part)
            count -= len(part)
            parts.append(part)
        return b"".join(parts)

    def skip(self, count: int) -> None:
        """Pass over ``count`` bytes without copying them."""
        while count > 0 and not self.exhausted():
            step = min(count, len(self._segments[self._index]) - self._offset)
            self._offset += step
            count -= step

    def characters(self, count: int, wide: bool) -> int:
        """Read ``count`` characters; return their size in UTF-8. A string cut by a CONTINUE
        record starts the next one with a byte saying whether it goes on in one or two bytes a
        character."""
        size = 0
        while count > 0 and not self.exhausted():
            room = len(self._segments[self._index]) - self._offset
            chunk = self.take(min(count * (2 if wide else 1), room))
            text = chunk.decode("utf-16-le", "surrogatepass") if wide else chunk.decode("latin-1")
            size += len(text.encode("utf-8", "surrogatepass"))
            count -= len(chunk) // (2 if wide else 1)
            if count > 0 and not self.exhausted() and self._offset == 0:
                wide = bool(self.take(1)[0] & 0x01)
        return size


def sst_sizes(segments: list[bytes]) -> list[int]:
    """The size in bytes (UTF-8) of each string of an .xls shared-string table (SST) given as
    the bodies of its SST and CONTINUE records; a damaged table gives the strings read so far."""
    reader = _Segments(segments)
    head = reader.take(8)
    if len(head) < 8:
        return []
    _total, unique = struct.unpack("<II", head)
    sizes: list[int] = []
    while len(sizes) < unique and not reader.exhausted():
        header = reader.take(3)
        if len(header) < 3:
            break
        count, flags = struct.unpack("<HB", header)
        runs = struct.unpack("<H", reader.take(2).ljust(2, b"\0"))[0] if flags & 0x08 else 0
        extra = struct.unpack("<I", reader.take(4).ljust(4, b"\0"))[0] if flags & 0x04 else 0
        sizes.append(reader.characters(count, bool(flags & 0x01)))
        reader.skip(4 * runs + extra)
    return sizes


def xls_extent(stream: bytes) -> tuple[Extent, bool]:
    """The grid bound of every sheet of an .xls workbook stream, whether it is encrypted, and
    the text its cells hold: each shared string (SST) copied into every cell referring to it
    (LABELSST) as repeated text, the text written in a cell record as the cells' own.

    Reads the BIFF records one by one: each value cell names its row and column.
    """
    max_row = max_column = text = 0
    position, end = 0, len(stream)
    unpack = struct.unpack_from
    table: list[bytes] = []
    in_table = False
    references: Counter[int] = Counter()
    while position + 4 <= end:
        record, size = unpack("<HH", stream, position)
        body = position + 4
        if record == _FILEPASS:
            return Extent(), True
        if record == _SST or (record == _CONTINUE and in_table):
            table.append(stream[body:body + size])
        in_table = record == _SST or (record == _CONTINUE and in_table)
        if record in _BIFF_CELLS and size >= 4 and body + 4 <= end:
            row, column = unpack("<HH", stream, body)
            max_row, max_column = max(max_row, row + 1), max(max_column, column + 1)
            if record == _LABELSST and size >= 10 and body + 10 <= end:
                references[unpack("<I", stream, body + 6)[0]] += 1
            elif record in _BIFF_TEXT_CELLS:
                text += size
        elif record == _MULRK and size >= 6 and body + size <= end:
            row, _first = unpack("<HH", stream, body)
            (last,) = unpack("<H", stream, body + size - 2)
            max_row, max_column = max(max_row, row + 1), max(max_column, last + 1)
        position = body + size
    sizes = sst_sizes(table) if references else []
    repeated = sum(sizes[index] * times for index, times in references.items()
                   if index < len(sizes))
    return Extent(max_row, max_column, repeated_text=repeated, text=text), False

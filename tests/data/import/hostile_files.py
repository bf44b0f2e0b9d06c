"""Hostile workbooks built on demand, byte for byte the same each time: too big to keep in the
repository, small to describe. ``make_corpus.py`` also writes the small one into the corpus.

- ``long_shared_string_xls``: an .xls whose one shared string of 32,000 characters fills 3,000
  cells: about 200 KB on disk, 288 MB of text once every cell holds its copy.
- ``long_cells_xlsx``: an .xlsx of 200,000 rows, each a different 1,380-byte text written in
  the cell itself (inline): 280 MB unpacked, within the unpacked-size limit.
"""
from __future__ import annotations

import struct
import zipfile
from pathlib import Path

_SECTOR = 512
_END, _FREE, _FAT_SECTOR, _NONE = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
_MAX_RECORD = 8224


def _record(kind: int, body: bytes) -> bytes:
    return struct.pack("<HH", kind, len(body)) + body


def _sst(strings: list[str]) -> bytes:
    """The SST record and its CONTINUE records; a string cut by a CONTINUE repeats its flags
    byte at the start of the next record, as BIFF8 requires."""
    records: list[bytes] = []
    body = bytearray(struct.pack("<II", len(strings), len(strings)))
    for text in strings:
        data = text.encode("utf-16-le")
        if len(body) + 3 + 2 > _MAX_RECORD:
            records.append(bytes(body))
            body = bytearray()
        body += struct.pack("<HB", len(text), 1)
        while data:
            room = (_MAX_RECORD - len(body)) // 2 * 2
            body += data[:room]
            data = data[room:]
            if data:
                records.append(bytes(body))
                body = bytearray(b"\x01")
    records.append(bytes(body))
    return _record(0x00FC, records[0]) + b"".join(_record(0x003C, r) for r in records[1:])


def _bof(kind: int) -> bytes:
    return _record(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0x0DBB, 0x07CC, 0, 6))


def _workbook_stream(strings: list[str], cells: list[tuple[int, int, int]]) -> bytes:
    """A BIFF8 workbook stream: one sheet, ``cells`` as (row, column, string index)."""
    name = "客户".encode("utf-16-le")
    sheet_entry = lambda offset: _record(  # noqa: E731
        0x0085, struct.pack("<IBBBB", offset, 0, 0, len(name) // 2, 1) + name)
    head = _bof(0x0005) + _record(0x0042, struct.pack("<H", 1200))
    tail = _sst(strings) + _record(0x000A, b"")
    offset = len(head) + len(sheet_entry(0)) + len(tail)
    rows = max(r for r, _c, _i in cells) + 1
    columns = max(c for _r, c, _i in cells) + 1
    sheet = (_bof(0x0010) + _record(0x0200, struct.pack("<IIHHH", 0, rows, 0, columns, 0))
             + b"".join(_record(0x00FD, struct.pack("<HHHI", r, c, 15, i)) for r, c, i in cells)
             + _record(0x000A, b""))
    return head + sheet_entry(offset) + tail + sheet


def _compound_file(stream: bytes) -> bytes:
    """A compound file (OLE2, 512-byte sectors) holding ``stream`` as "Workbook"."""
    stream += b"\x00" * (-len(stream) % _SECTOR)
    data_sectors = len(stream) // _SECTOR
    fat_sectors = 1
    while fat_sectors * 128 < data_sectors + 1 + fat_sectors:
        fat_sectors += 1
    directory_at = data_sectors
    fat = [*range(1, data_sectors), _END, _END] + [_FAT_SECTOR] * fat_sectors
    fat += [_FREE] * (fat_sectors * 128 - len(fat))
    difat = [directory_at + 1 + n for n in range(fat_sectors)]
    difat += [_FREE] * (109 - len(difat))
    header = (bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 16
              + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\x00" * 6
              + struct.pack("<IIIIIIIII", 0, fat_sectors, directory_at, 0, 4096, _END, 0,
                            _END, 0)
              + struct.pack("<109I", *difat))

    def entry(name: str, kind: int, child: int, start: int, size: int) -> bytes:
        encoded = (name + "\x00").encode("utf-16-le")
        return (encoded.ljust(64, b"\x00") + struct.pack("<HBB", len(encoded), kind, 1)
                + struct.pack("<III", _NONE, _NONE, child) + b"\x00" * 36
                + struct.pack("<IQ", start, size))

    empty = b"\x00" * 64 + struct.pack("<HBB", 0, 0, 0) + struct.pack(
        "<III", _NONE, _NONE, _NONE) + b"\x00" * 48
    directory = (entry("Root Entry", 5, 1, _END, 0)
                 + entry("Workbook", 2, _NONE, 0, len(stream)) + empty * 2)
    return header + stream + directory + struct.pack(f"<{len(fat)}I", *fat)


def long_shared_string_xls(path: Path, characters: int = 32_000, cells: int = 3_000) -> Path:
    """Write the .xls with one long shared string repeated into ``cells`` cells of 姓名."""
    text = "".join(chr(0x4E00 + (n * 7919) % 20_000) for n in range(characters))
    placed = [(0, 0, 0)] + [(row, 0, 1) for row in range(1, cells + 1)]
    path.write_bytes(_compound_file(_workbook_stream(["姓名", text], placed)))
    return path


def long_cells_xlsx(path: Path, rows: int = 200_000, cell_bytes: int = 1_380,
                    header: str = "姓名") -> Path:
    """Write the .xlsx of ``rows`` rows of one different ``cell_bytes``-byte text each, in a
    column headed ``header``."""
    main = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    relations = b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        book.writestr("[Content_Types].xml", (
            b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats'
            b'.org/package/2006/content-types"><Default Extension="rels" ContentType="applicati'
            b'on/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" Conten'
            b'tType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="appli'
            b'cation/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override'
            b' PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats'
            b'-officedocument.spreadsheetml.worksheet+xml"/></Types>'))
        book.writestr("_rels/.rels", (
            b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxm'
            b'lformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://sch'
            b'emas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target='
            b'"xl/workbook.xml"/></Relationships>'))
        book.writestr("xl/workbook.xml", b'<?xml version="1.0" encoding="UTF-8"?><workbook '
                      + main + b" " + relations + b'><sheets><sheet name="Sheet1" sheetId="1" '
                      b'r:id="rId1"/></sheets></workbook>')
        book.writestr("xl/_rels/workbook.xml.rels", (
            b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxm'
            b'lformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://sch'
            b'emas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="work'
            b'sheets/sheet1.xml"/></Relationships>'))
        with book.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(b'<?xml version="1.0" encoding="UTF-8"?><worksheet ' + main
                        + b'><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>'
                        + header.encode() + b"</t></is></c></row>")
            filler = "档案".encode() * (cell_bytes // 6 + 1)
            for row in range(2, rows + 2):
                number = b"%07d" % row
                text = (number + filler)[:cell_bytes - len(number)] + number
                sheet.write(b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>%s</t></is></c></row>'
                            % (row, row, text[:cell_bytes].decode("utf-8", "ignore").encode()))
            sheet.write(b"</sheetData></worksheet>")
    return path

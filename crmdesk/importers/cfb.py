"""Just enough of the Compound File (OLE2) format to look inside .xls files before parsing them.

Excel 97-2003 workbooks, and Office files encrypted with a password, are compound files: a small
file system of sectors. The guards read its directory to tell the two apart and to fetch the
workbook stream, whose cell records say how big the sheet will be once loaded. Every offset is
checked and every sector chain is bounded, so a damaged or hostile file raises ``CompoundFileError``
rather than looping or reading past the end.
"""
from __future__ import annotations

import struct

MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_END_OF_CHAIN = 0xFFFFFFFE
_FREE = 0xFFFFFFFF
_HEADER_DIFAT = 109
_ENTRY_SIZE = 128
_STREAM, _ROOT = 2, 5


class CompoundFileError(ValueError):
    """The compound file is damaged (a chain leaves the file, loops, or a header is wrong)."""


class CompoundFile:
    """A compound file held in memory: its stream names and their contents."""

    def __init__(self, data: bytes) -> None:
        if len(data) < 512 or not data.startswith(MAGIC):
            raise CompoundFileError("not a compound file")
        self._data = data
        shift, mini_shift = struct.unpack_from("<HH", data, 0x1E)
        if shift not in (9, 12) or mini_shift != 6:
            raise CompoundFileError("bad sector size")
        self._size = 1 << shift
        self._mini_size = 1 << mini_shift
        self._sectors = max((len(data) - 512) // self._size, 0) + 1
        (dir_start,) = struct.unpack_from("<I", data, 0x30)
        self._cutoff, mini_fat_start, _, difat_start, difat_count = struct.unpack_from(
            "<IIIII", data, 0x38)
        self._fat = self._read_fat(difat_start, difat_count)
        directory = self._chain_bytes(dir_start)
        self._entries = self._read_entries(directory)
        root = next((e for e in self._entries.values() if e[0] == _ROOT), None)
        self._mini_stream = self._chain_bytes(root[1])[: root[2]] if root else b""
        self._mini_fat = self._to_ints(self._chain_bytes(mini_fat_start)) if root else []

    def names(self) -> set[str]:
        """The names of every stream and storage in the file."""
        return set(self._entries)

    def stream(self, name: str) -> bytes:
        """The contents of the stream called ``name``.

        Raises:
            KeyError: there is no such stream.
        """
        kind, start, size = self._entries[name]
        if kind != _STREAM:
            raise KeyError(name)
        if size < self._cutoff:
            return self._mini_chain_bytes(start)[:size]
        return self._chain_bytes(start)[:size]

    def _sector(self, number: int) -> bytes:
        if number >= self._sectors:
            raise CompoundFileError("sector outside the file")
        offset = (number + 1) * self._size
        return self._data[offset: offset + self._size]

    @staticmethod
    def _to_ints(raw: bytes) -> list[int]:
        return list(struct.unpack(f"<{len(raw) // 4}I", raw[: len(raw) // 4 * 4]))

    def _read_fat(self, difat_start: int, difat_count: int) -> list[int]:
        fat_sectors = [n for n in self._to_ints(self._data[0x4C: 0x4C + 4 * _HEADER_DIFAT])
                       if n < _END_OF_CHAIN - 4]
        sector, seen = difat_start, 0
        while sector < _END_OF_CHAIN - 4 and seen < difat_count:
            ints = self._to_ints(self._sector(sector))
            fat_sectors.extend(n for n in ints[:-1] if n < _END_OF_CHAIN - 4)
            sector, seen = ints[-1], seen + 1
        if len(fat_sectors) > self._sectors:
            raise CompoundFileError("allocation table larger than the file")
        return self._to_ints(b"".join(self._sector(n) for n in fat_sectors))

    def _walk(self, start: int, table: list[int], limit: int) -> list[int]:
        chain: list[int] = []
        sector = start
        while sector not in (_END_OF_CHAIN, _FREE):
            if sector >= len(table) or len(chain) > limit:
                raise CompoundFileError("broken sector chain")
            chain.append(sector)
            sector = table[sector]
        return chain

    def _chain_bytes(self, start: int) -> bytes:
        return b"".join(self._sector(n) for n in self._walk(start, self._fat, self._sectors))

    def _mini_chain_bytes(self, start: int) -> bytes:
        limit = len(self._mini_stream) // self._mini_size
        chain = self._walk(start, self._mini_fat, limit)
        if any(n >= limit for n in chain):
            raise CompoundFileError("mini sector outside the mini stream")
        return b"".join(
            self._mini_stream[n * self._mini_size: (n + 1) * self._mini_size] for n in chain)

    @staticmethod
    def _read_entries(directory: bytes) -> dict[str, tuple[int, int, int]]:
        entries: dict[str, tuple[int, int, int]] = {}
        for offset in range(0, len(directory) - _ENTRY_SIZE + 1, _ENTRY_SIZE):
            entry = directory[offset: offset + _ENTRY_SIZE]
            (name_len,) = struct.unpack_from("<H", entry, 64)
            kind = entry[66]
            if kind == 0 or not 2 <= name_len <= 64:
                continue
            name = entry[: name_len - 2].decode("utf-16-le", errors="replace")
            start, size = struct.unpack_from("<IQ", entry, 116)
            entries[name] = (kind, start, size & 0xFFFFFFFF if size >> 32 else size)
        return entries

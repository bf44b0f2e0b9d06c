"""Checks on a file before any spreadsheet parser sees it: what it really is, and how big.

An office receives files by e-mail and USB stick; some are damaged, some protected, a few
hostile. ``inspect_file`` tells which kind of spreadsheet a file is by its content (not its
name), refuses empty, damaged, password-protected and oversized files with a message the user
can act on, and bounds what the parser will build: the uncompressed size from the zip
directory (then verified while streaming), the rows and columns of every sheet, the text
repeated into many cells (.xlsx and .xls shared strings, .ods repeated cells) and all the text
the cells hold, counted in bytes.
"""
from __future__ import annotations

import hashlib
import itertools
import stat
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from crmdesk.errors import CrmError
from crmdesk.i18n import _
from crmdesk.importers.cfb import MAGIC as CFB_MAGIC
from crmdesk.importers.cfb import CompoundFile, CompoundFileError
from crmdesk.importers.extent import (
    CHUNK,
    Extent,
    MergedDown,
    ods_extent,
    shared_string_sizes,
    xls_extent,
    xlsx_extent,
)

MB = 1 << 20
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
TEXT_SUFFIXES = {".csv", ".txt", ".tsv"}
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
MAX_ZIP_MEMBERS = 10_000


class UnreadableFileError(CrmError):
    """The file cannot be imported; the message says why and what to do."""


@dataclass(frozen=True)
class Limits:
    """What one import may read. The defaults keep an import under 500 MB: the reader holds
    about 100 bytes a cell and the dry run about 1 KB a row (200,000 rows x 10 columns peak at
    about 480 MB, benchmarks/bench_import.py). Text costs about twice its size in bytes: the
    reader's copy and the dry run's (92 MB of text in 70,000 cells peaks at about 260 MB), so
    text is bounded in bytes, however few the characters, rows or unpacked bytes."""

    max_file_bytes: int = 100 * MB
    max_unpacked_bytes: int = 300 * MB
    max_rows: int = 210_000
    max_columns: int = 300
    max_cells: int = 2_200_000
    max_repeated_text_bytes: int = 100 * MB
    max_text_bytes: int = 100 * MB


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class FileFacts:
    """What the guards learnt: the format (xlsx, xls, ods, csv), size and SHA-256."""

    format: str
    size: int
    sha256: str
    date1904: bool = False
    merged_down: tuple[MergedDown, ...] = ()


def _damaged(path: Path) -> UnreadableFileError:
    return UnreadableFileError(
        _("{name} is damaged or incomplete (a download or copy may have been cut short). Open "
          "it in Excel or WPS, save it again, and import the saved copy.").format(name=path.name))


def _protected(path: Path) -> UnreadableFileError:
    return UnreadableFileError(
        _("{name} is protected with a password. Open it in Excel or WPS, remove the password, "
          "save it, and import the saved copy.").format(name=path.name))


def not_a_spreadsheet(path: Path) -> UnreadableFileError:
    """The error for a file that is no spreadsheet crmdesk reads."""
    return UnreadableFileError(
        _("{name} is not a spreadsheet crmdesk can read: choose an .xlsx, .xlsm, .xls, .ods or "
          ".csv file.").format(name=path.name))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _check_extent(path: Path, extent: Extent, limits: Limits) -> None:
    if extent.has_dtd:
        raise UnreadableFileError(
            _("{name} contains XML entity declarations, which spreadsheets never use; it is "
              "refused as unsafe.").format(name=path.name))
    if extent.rows > limits.max_rows:
        raise UnreadableFileError(
            _("{name} has {rows} rows; at most {limit} can be imported at once. Split it into "
              "smaller files.").format(name=path.name, rows=extent.rows, limit=limits.max_rows))
    if extent.columns > limits.max_columns:
        raise UnreadableFileError(
            _("{name} reaches column {columns}; at most {limit} columns can be imported. Delete "
              "unused columns and import again.").format(
                name=path.name, columns=extent.columns, limit=limits.max_columns))
    if extent.repeated_text > limits.max_repeated_text_bytes:
        raise UnreadableFileError(
            _("{name} repeats its texts into {size} MB of cells, more than the {limit} MB "
              "allowed; it may be damaged or built to harm.").format(
                name=path.name, size=extent.repeated_text // MB,
                limit=limits.max_repeated_text_bytes // MB))
    text = extent.repeated_text + extent.text
    if text > limits.max_text_bytes:
        raise UnreadableFileError(
            _("{name} holds {size} MB of text in its cells, more than the {limit} MB that can "
              "be imported at once. Split it into smaller files.").format(
                name=path.name, size=text // MB, limit=limits.max_text_bytes // MB))
    if extent.rows * extent.columns > limits.max_cells:
        raise UnreadableFileError(
            _("{name} spans {rows} rows by {columns} columns, more cells than can be imported "
              "at once (at most {limit}). Delete unused columns or split the file.").format(
                name=path.name, rows=extent.rows, columns=extent.columns,
                limit=limits.max_cells))


def _stream(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: list[int],
            limits: Limits, path: Path) -> Iterator[bytes]:
    """Yield the member's bytes; zipfile stops at the declared size and checks the CRC."""
    with archive.open(info) as member:
        while chunk := member.read(CHUNK):
            budget[0] += len(chunk)
            if budget[0] > limits.max_unpacked_bytes:
                raise _too_big_unpacked(path, budget[0], limits)
            yield chunk


def _too_big_unpacked(path: Path, size: int, limits: Limits) -> UnreadableFileError:
    return UnreadableFileError(
        _("{name} would expand to {size} MB when opened, more than the {limit} MB allowed; it "
          "may be damaged or built to harm.").format(
            name=path.name, size=size // MB, limit=limits.max_unpacked_bytes // MB))


def _is_shared_strings(name: str) -> bool:
    return name.lower().endswith("sharedstrings.xml")


def _inspect_zip(path: Path, limits: Limits) -> tuple[str, bool, tuple[MergedDown, ...]]:
    with zipfile.ZipFile(path) as archive:
        members = archive.infolist()
        if len(members) > MAX_ZIP_MEMBERS:
            raise _damaged(path)
        if any(info.flag_bits & 0x1 for info in members):
            raise _protected(path)
        declared = sum(info.file_size for info in members)
        if declared > limits.max_unpacked_bytes:
            raise _too_big_unpacked(path, declared, limits)
        names = {info.filename for info in members}
        if "xl/workbook.bin" in names:
            raise UnreadableFileError(
                _("{name} is a binary Excel workbook (.xlsb); save it as .xlsx and import "
                  "again.").format(name=path.name))
        if "xl/workbook.xml" in names:
            fmt = "xlsx"
            workbook = archive.read("xl/workbook.xml")[:65536]
            date1904 = b'date1904="1"' in workbook or b'date1904="true"' in workbook
        elif "mimetype" in names and archive.read("mimetype").strip() == ODS_MIMETYPE:
            fmt, date1904 = "ods", False
        else:
            raise not_a_spreadsheet(path)
        budget = [0]
        extent = Extent()
        shared: list[int] = []
        # Shared-string tables first: the sheets are measured with the sizes of their items.
        for info in sorted(members, key=lambda i: not _is_shared_strings(i.filename)):
            chunks = _stream(archive, info, budget, limits, path)
            name = info.filename
            if fmt == "xlsx" and _is_shared_strings(name):
                sizes, has_dtd = shared_string_sizes(chunks)
                shared = [max(pair) for pair in itertools.zip_longest(shared, sizes, fillvalue=0)]
                extent = extent.merge(Extent(has_dtd=has_dtd))
            elif fmt == "xlsx" and name.startswith("xl/worksheets/") and name.endswith(".xml"):
                extent = extent.merge(xlsx_extent(chunks, shared))
            elif fmt == "ods" and name == "content.xml":
                extent = extent.merge(ods_extent(chunks))
            elif name.endswith((".xml", ".rels")):
                extent = extent.merge(xlsx_extent(chunks))  # any DTD is refused too
            else:
                for _chunk in chunks:
                    pass
            _check_extent(path, extent, limits)
        return fmt, date1904, extent.merged_down


def _inspect_compound(path: Path, limits: Limits) -> str:
    container = CompoundFile(path.read_bytes())
    names = container.names()
    if {"EncryptedPackage", "EncryptionInfo"} & names:
        raise _protected(path)
    stream_name = next((n for n in ("Workbook", "Book") if n in names), None)
    if stream_name is None:
        raise not_a_spreadsheet(path)
    extent, encrypted = xls_extent(container.stream(stream_name))
    if encrypted:
        raise _protected(path)
    _check_extent(path, extent, limits)
    return "xls"


def inspect_file(path: Path, limits: Limits = DEFAULT_LIMITS) -> FileFacts:
    """Check ``path`` before parsing and tell what it is.

    Raises:
        UnreadableFileError: empty, not a spreadsheet, damaged or truncated, protected with a
            password, or beyond ``limits``; the message names the file and what to do.
    """
    try:
        facts = path.stat()
        if stat.S_ISDIR(facts.st_mode):
            raise UnreadableFileError(_("{name} is a folder: name a spreadsheet file in it.")
                                      .format(name=path.name))
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise UnreadableFileError(
            _("{name} cannot be opened: {reason}").format(name=path.name, reason=exc.strerror)
        ) from exc
    size = facts.st_size
    if size == 0:
        raise UnreadableFileError(_("{name} is empty (0 bytes).").format(name=path.name))
    if size > limits.max_file_bytes:
        raise UnreadableFileError(
            _("{name} is {size} MB; files over {limit} MB are not imported. Split it into "
              "smaller files.").format(name=path.name, size=size // MB,
                                       limit=limits.max_file_bytes // MB))
    date1904, merged_down = False, ()
    try:
        if head.startswith(ZIP_MAGIC):
            fmt, date1904, merged_down = _inspect_zip(path, limits)
        elif head.startswith(CFB_MAGIC):
            fmt = _inspect_compound(path, limits)
        elif path.suffix.lower() in TEXT_SUFFIXES:
            fmt = "csv"
        else:
            raise not_a_spreadsheet(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, CompoundFileError, EOFError, KeyError,
            ValueError, NotImplementedError) as exc:
        if isinstance(exc, CrmError):
            raise
        raise _damaged(path) from exc
    return FileFacts(fmt, size, _sha256(path), date1904, merged_down)

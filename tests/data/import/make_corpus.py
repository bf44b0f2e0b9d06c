"""Rebuild the import test corpus: python tests/data/import/make_corpus.py

Writes the openpyxl-built workbooks and CSV files, the hostile files, and, when LibreOffice is
installed (soffice on PATH), its .xls/.ods/.xlsx conversions of messy.xlsx. The files are
committed, so the tests need neither openpyxl tricks nor LibreOffice. password.xls comes from
LibreOffice (saved with a password through its UNO bridge) and password.xlsx from
msoffcrypto-tool; both are kept as committed.
"""
from __future__ import annotations

import datetime as dt
import os
import shutil
import struct
import subprocess
import tempfile
import zipfile
from pathlib import Path

from hostile_files import long_shared_string_xls
from openpyxl import Workbook
from openpyxl.utils.datetime import CALENDAR_MAC_1904

HERE = Path(__file__).resolve().parent
HEADERS = ["序号", "姓名", "手机号码", "单位", "出生日期", "首次接触", "客户来源", "性别", "级别",
           "负责人", "备注"]
ROWS = [
    [1, "张三", 13800138000, "华信科技", dt.date(1985, 5, 6), "2023年5月6日", "来访", "男", "A",
     "王强", None],
    [2, "李四", "１３９００１３９０００", "东方贸易", 31000, "2023.5.6", "Referral", "female", "H",
     "赵经理", None],
    None,
    [3, "王五", "13700137000", "北方重工", "1990/05/06", "2023/05/06", "展会", "男", "b", None,
     "同一批展会客户"],
    [4, "赵六", "13600136000", "北方重工", None, "20230506", "展会", "男", "B", None, None],
    [5, "张三", 13800138000, "华信科技", None, None, None, None, None, None, "又来了一次"],
    [6, "钱七", "1.38001E+10", None, None, None, None, None, None, None, None],
    [7, "孙八", "13500135000", None, "05/06/2023", None, None, None, None, None, None],
    [8, "周九", "13400134000", None, None, None, "路过", None, "Z", None, None],
    [9, None, "13300133000", "无名公司", None, None, None, None, None, None, None],
    [10, "吴十", "12345", None, None, None, None, None, None, None, None],
    [11, "郑十一", 13200132000, None, None, "25/06/2023", None, None, None, None, None],
    [12, "冯十二", "131-0013-1000", None, None, None, None, None, None, None, "已在档案中"],
    [13, "陈十三", None, "同城物流", None, None, None, None, None, None, "同名同单位"],
]


def messy(path: Path, epoch1904: bool = False) -> None:
    """Title rows, a merged title, a blank row, a cell merged down, phones as numbers, ..."""
    book = Workbook()
    if epoch1904:
        book.epoch = CALENDAR_MAC_1904
    sheet = book.active
    sheet.title = "客户名单"
    sheet.append(["2023年客户名单"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    sheet.append(["导出日期:", dt.date(2023, 6, 1)])
    sheet.append([])
    sheet.append(HEADERS)
    for row in ROWS:
        sheet.append(row or [])
    first = 5 + ROWS.index(next(r for r in ROWS if r and r[0] == 3))
    sheet.merge_cells(start_row=first, start_column=11, end_row=first + 1, end_column=11)
    notes = book.create_sheet("说明")
    notes.append(["这张表不是客户"])
    book.save(path)


def dates_1904(path: Path) -> None:
    """A workbook in the 1904 date system: a real date cell and a bare serial number."""
    book = Workbook()
    book.epoch = CALENDAR_MAC_1904
    sheet = book.active
    sheet.append(["客户名称", "手机", "出生日期"])
    sheet.append(["老陈", "13900139001", dt.date(1985, 5, 6)])
    sheet.append(["老林", "13900139002", 29711])  # a serial typed into a General cell
    book.save(path)


def csv_files() -> None:
    lines = ["客户名称,手机,地址,客户来源,备注",
             "刘一,13800000001,上海市长宁路1号,来电,老客户",
             "陈二,13800000002,\"北京市朝阳区建国路1号,A座\",转介绍,'=HYPERLINK(\"x\")"]
    (HERE / "gbk.csv").write_bytes("\r\n".join(lines).encode("gbk") + b"\r\n")
    (HERE / "utf8_bom.csv").write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8-sig"))
    (HERE / "utf8.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def hostile() -> None:
    (HERE / "empty.xlsx").write_bytes(b"")
    (HERE / "random.xlsx").write_bytes(os.urandom(3000))
    whole = (HERE / "messy.xlsx").read_bytes()
    (HERE / "truncated.xlsx").write_bytes(whole[: len(whole) // 2])
    with zipfile.ZipFile(HERE / "messy.xlsx") as source:
        members = {i.filename: source.read(i) for i in source.infolist()}
    laughs = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else
                                                       b"&lol;") * 10) for i in range(1, 10))
              + b']><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
              b'count="1" uniqueCount="1"><si><t>&lol9;</t></si></sst>')
    _rezip(HERE / "laughs.xlsx", {**members, "xl/sharedStrings.xml": laughs})
    # A zip bomb: its directory declares that one sheet expands to nearly 4 GiB.
    spaces = b" " * (4 << 20)
    _rezip(HERE / "bomb.xlsx", {**members, "xl/worksheets/sheet2.xml": spaces})
    _declare_size(HERE / "bomb.xlsx", "xl/worksheets/sheet2.xml", 0xFFFFFFF0)
    # A text bomb: one shared string of 30 KB that 40,000 cells refer to. The reader copies it
    # into every cell: 137 KB on disk, 1.2 GB in memory.
    text = "字".encode() * 10_000
    table = (b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
             b'uniqueCount="1"><si><t>' + text + b"</t></si></sst>")
    rows = b"".join(b'<row r="%d"><c r="A%d" t="s"><v>0</v></c><c r="B%d" t="s"><v>0</v></c>'
                    b"</row>" % (n, n, n) for n in range(1, 20_001))
    sheet = (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             b"<sheetData>" + rows + b"</sheetData></worksheet>")
    _rezip(HERE / "repeated_text.xlsx", {**members, "xl/sharedStrings.xml": table,
                                         "xl/worksheets/sheet1.xml": sheet})
    # One shared string of 32,000 characters in 3,000 cells of an .xls: 288 MB once read.
    long_shared_string_xls(HERE / "long_string.xls")
    if (HERE / "messy.ods").exists():
        repeated_ods()


def repeated_ods() -> None:
    """messy.ods with one more row: a 30 KB text in a cell repeated over 10 columns and 2,000
    rows. 25 KB on disk; the reader would copy the text 20,000 times (600 MB)."""
    with zipfile.ZipFile(HERE / "messy.ods") as source:
        members = {i.filename: source.read(i) for i in source.infolist()}
    content = members["content.xml"]
    row = (b'<table:table-row table:number-rows-repeated="2000"><table:table-cell '
           b'office:value-type="string" table:number-columns-repeated="10"><text:p>'
           + "字".encode() * 10_000 + b"</text:p></table:table-cell></table:table-row>")
    at = content.rindex(b"<table:table-row", 0, content.index(b'number-rows-repeated="1048557"'))
    members["content.xml"] = content[:at] + row + content[at:]
    with zipfile.ZipFile(HERE / "repeated_text.ods", "w") as out:
        out.writestr("mimetype", members.pop("mimetype"), compress_type=zipfile.ZIP_STORED)
        for name, data in members.items():
            out.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)


def far_apart(path: Path, last: str = "XFD1048576") -> None:
    """Two cells, at A1 and at the last cell a sheet can have: a tiny file, a huge grid."""
    book = Workbook()
    book.active["A1"] = "客户名称"
    book.active[last] = "x"
    book.save(path)


def _declare_size(path: Path, member: str, size: int) -> None:
    """Overwrite the uncompressed size the zip's headers declare for ``member``."""
    data = bytearray(path.read_bytes())
    name = member.encode()
    for signature, offset, name_at in ((b"PK\x01\x02", 24, 46), (b"PK\x03\x04", 22, 30)):
        start = 0
        while (start := data.find(signature, start)) >= 0:
            length = struct.unpack_from("<H", data, start + name_at - (18 if name_at == 46
                                                                        else 4))[0]
            if data[start + name_at: start + name_at + length] == name:
                struct.pack_into("<I", data, start + offset, size)
            start += 4
    path.write_bytes(bytes(data))


def _rezip(path: Path, members: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in members.items():
            out.writestr(name, data)


def libreoffice() -> None:
    if shutil.which("soffice") is None:
        print("soffice not found: LibreOffice conversions left as they are")
        return
    with tempfile.TemporaryDirectory() as work:
        for target, name in (("xls", "messy.xls"), ("ods", "messy.ods")):
            subprocess.run(["soffice", "--headless", "--convert-to", target, "--outdir", work,
                            str(HERE / "messy.xlsx")], check=True, capture_output=True)
            shutil.copy(Path(work) / f"messy.{target}", HERE / name)
        subprocess.run(["soffice", "--headless", "--convert-to", "xlsx", "--outdir", work,
                        str(HERE / "messy.ods")], check=True, capture_output=True)
        shutil.copy(Path(work) / "messy.xlsx", HERE / "messy_libreoffice.xlsx")
        far_apart(Path(work) / "far.xlsx", "IV65536")  # the last cell of an .xls sheet
        subprocess.run(["soffice", "--headless", "--convert-to", "xls", "--outdir", work,
                        str(Path(work) / "far.xlsx")], check=True, capture_output=True)
        shutil.copy(Path(work) / "far.xls", HERE / "far.xls")


if __name__ == "__main__":
    messy(HERE / "messy.xlsx")
    messy(HERE / "messy_1904.xlsx", epoch1904=True)
    dates_1904(HERE / "dates_1904.xlsx")
    csv_files()
    hostile()
    far_apart(HERE / "far.xlsx")
    libreoffice()

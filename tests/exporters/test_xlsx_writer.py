"""The export's .xlsx writer: cells read back as written, by openpyxl and by the import's reader."""
from __future__ import annotations

import datetime as dt
import zipfile
from decimal import Decimal
from xml.dom import minidom

import pytest
import python_calamine
from openpyxl import load_workbook

from crmdesk.exporters.columns import Table, column
from crmdesk.exporters.excel import excel_day, write_xlsx
from crmdesk.models.fieldtypes import Kind

TEXTS = ["A&B <公司> \"甲\" 'x'", "  leading and trailing  ", "line one\nline two",
         "literal _x0041_ stays", "=SUM(A1)", "tab\there", "\u4e2d\u6587", "windows\r\nline"]


def _write(tmp_path, rows, what="customers"):
    columns = [column(f"c{i}", f"列{i}", Kind.TEXT) for i in range(len(rows[0]))]
    path = tmp_path / "out.xlsx"
    assert write_xlsx(path, Table(what, columns, iter(rows))) == len(rows)
    return path


def test_text_reads_back_unchanged_by_openpyxl_and_the_import_reader(tmp_path):
    path = _write(tmp_path, [[t] for t in TEXTS])
    sheet = load_workbook(path).active
    read = [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)]
    # openpyxl leaves Excel's escapes (_x000D_ for a carriage return, _x005F_ before a literal
    # "_x0041_") as they are; Excel and calamine read them.
    plain = [i for i, text in enumerate(TEXTS) if "\r" not in text and "_x" not in text]
    assert [read[i] for i in plain] == [TEXTS[i] for i in plain]
    assert all(c.data_type == "s" for c in sheet["A"])
    sheet = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    assert [r[0] for r in sheet.to_python()[1:]] == TEXTS


def test_control_characters_are_dropped_and_every_part_is_well_formed_xml(tmp_path):
    path = _write(tmp_path, [["bell\x07 and nul\x00 gone"], ["\x01"]])
    with zipfile.ZipFile(path) as book:
        for name in book.namelist():
            if name.endswith((".xml", ".rels")):
                minidom.parseString(book.read(name))
    read = [r[0] for r in load_workbook(path).active.iter_rows(min_row=2, values_only=True)]
    assert read == ["bell and nul gone"]  # the second row was left with no cell at all


def test_numbers_dates_amounts_and_answers_keep_their_types(tmp_path):
    row = [12, 3.5, Decimal("12000.50"), dt.date(1985, 5, 6), dt.datetime(2024, 1, 2, 9, 30),
           True, None, ""]
    path = _write(tmp_path, [row])
    sheet = load_workbook(path).active
    cells = next(sheet.iter_rows(min_row=2))
    assert [c.value for c in cells[:6]] == [12, 3.5, 12000.5, dt.datetime(1985, 5, 6),
                                             dt.datetime(2024, 1, 2, 9, 30), True]
    assert cells[2].number_format == "#,##0.00"
    assert cells[3].number_format == "yyyy-mm-dd"
    assert cells[4].number_format == "yyyy-mm-dd hh:mm"
    assert sheet.max_column == 8  # the header names every column; empty cells stay empty


@pytest.mark.parametrize(("day", "serial"), [(dt.date(1900, 1, 1), 1), (dt.date(1900, 2, 28), 59),
                                             (dt.date(1900, 3, 1), 61),
                                             (dt.date(2024, 1, 1), 45292)])
def test_days_are_excel_serial_numbers_with_its_1900_leap_day(day, serial):
    assert excel_day(day) == serial


def test_a_failure_while_writing_leaves_no_file(tmp_path):
    def rows():
        yield ["one"]
        raise RuntimeError("stopped")

    path = tmp_path / "broken.xlsx"
    with pytest.raises(RuntimeError):
        write_xlsx(path, Table("customers", [column("c", "列", Kind.TEXT)], rows()))
    assert not path.exists()


def test_an_empty_list_still_has_its_header_and_filter(tmp_path):
    path = tmp_path / "empty.xlsx"
    columns = [column("a", "甲", Kind.TEXT), column("b", "乙", Kind.TEXT)]
    assert write_xlsx(path, Table("visits", columns, iter([]))) == 0
    sheet = load_workbook(path).active
    assert sheet.title == "来访来电登记"
    assert [c.value for c in sheet[1]] == ["甲", "乙"]
    assert sheet.auto_filter.ref == "A1:B1"

"""Real office sheets: every messy case of the corpus imports right or is refused with its reason.

messy.xlsx is built with openpyxl; messy.xls, messy.ods and messy_libreoffice.xlsx are the same
sheet saved by LibreOffice; messy_1904.xlsx uses the 1904 date system.
"""
from __future__ import annotations

import datetime as dt

import pytest

from crmdesk import i18n
from crmdesk.importers.preview import RowStatus
from crmdesk.models import Level, Staff
from crmdesk.services.imports.dry_run import preview_import

from .conftest import CORPUS


@pytest.fixture(autouse=True)
def _english():
    """Messages are checked in English, their message ids."""
    i18n.set_language("en")


MESSY = ["messy.xlsx", "messy.xls", "messy.ods", "messy_libreoffice.xlsx", "messy_1904.xlsx"]


def _level(code: str) -> int:
    return Level.get(Level.code == code).id


def _staff(name: str) -> int:
    return Staff.get(Staff.name == name).id


@pytest.fixture(params=MESSY)
def messy(request, office):
    return request.param, {r.row: r for r in preview_import(CORPUS / request.param, office).rows}


def test_title_rows_blank_rows_and_the_header_are_not_data(messy):
    _name, rows = messy
    assert sorted(rows) == [5, 6, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18]


def test_clean_rows_become_card_values(messy):
    name, rows = messy
    first, second = rows[5].values, rows[6].values
    assert rows[5].status is RowStatus.NEW
    assert first["mobile"] == "13800138000"  # typed as a number
    assert first["birth_date"] == dt.date(1985, 5, 6)
    assert first["first_contact_date"] == dt.date(2023, 5, 6)  # 2023年5月6日
    assert (first["source"], first["gender"]) == ("visit", "male")
    assert (first["level"], first["owner"]) == (_level("A"), _staff("王强"))
    assert second["mobile"] == "13900139000"  # full-width digits
    assert second["first_contact_date"] == dt.date(2023, 5, 6)  # 2023.5.6
    assert (second["source"], second["gender"]) == ("referral", "female")  # English, key
    assert (second["level"], second["owner"]) == (_level("H"), _staff("赵经理"))
    base = dt.date(1904, 1, 1) if "1904" in name else dt.date(1899, 12, 30)
    assert second["birth_date"] == base + dt.timedelta(days=31000)  # a bare serial number
    assert rows[8].values["birth_date"] == dt.date(1990, 5, 6)
    assert rows[8].values["level"] == _level("B")  # lower-case code
    assert rows[9].values["first_contact_date"] == dt.date(2023, 5, 6)  # 20230506
    assert rows[16].values["first_contact_date"] == dt.date(2023, 6, 25)  # only one reading


def test_a_value_merged_down_fills_every_row_it_covers(messy):
    _name, rows = messy
    assert rows[8].values["notes"] == rows[9].values["notes"] == "同一批展会客户"


def test_duplicates_are_found_in_the_file_and_in_the_archive(messy):
    _name, rows = messy
    assert (rows[10].match.row, rows[10].match.reason) == (5, "mobile")
    assert rows[17].match.archive_no.startswith("KH")
    assert rows[17].match.reason == "mobile"  # written 131-0013-1000
    assert rows[18].match.reason == "name"  # same name, same company


@pytest.mark.parametrize(("row", "cell", "words"), [
    (11, "C11", "lost"),
    (12, "E12", "day first or month first"),
    (13, "G13", "路过"),
    (13, "I13", "Z"),
    (14, "B14", "required"),
    (15, "C15", "11 digits"),
])
def test_bad_cells_are_errors_naming_row_column_and_reason(messy, row, cell, words):
    _name, rows = messy
    assert rows[row].status is RowStatus.ERROR
    problem = next(p for p in rows[row].problems if p.cell == cell)
    assert words in problem.message
    assert f"row {row}" in str(problem)


def test_the_1904_date_system_reads_dates_and_serials(office):
    rows = preview_import(CORPUS / "dates_1904.xlsx", office).rows
    assert [r.values["birth_date"] for r in rows] == [dt.date(1985, 5, 6)] * 2


@pytest.mark.parametrize("name", ["gbk.csv", "utf8_bom.csv", "utf8.csv"])
def test_csv_in_gbk_or_utf8_reads_without_mojibake(office, name):
    rows = preview_import(CORPUS / name, office).rows
    assert [r.values["name"] for r in rows] == ["刘一", "陈二"]
    assert rows[1].values["address"] == "北京市朝阳区建国路1号,A座"
    assert rows[1].values["source"] == "referral"
    assert rows[1].values["notes"] == '=HYPERLINK("x")'  # the CSV export's escape is undone

"""Broken and hostile files get a clear message and leave the archive byte-for-byte unchanged."""
from __future__ import annotations

import re

import pytest

from crmdesk import i18n
from crmdesk.cli import main
from crmdesk.importers.guards import Limits, UnreadableFileError
from crmdesk.importers.pipeline import preview_import
from crmdesk.importers.readers import open_workbook
from crmdesk.models.db import close_database
from tests.backends import archive_digest

from .conftest import CORPUS

HOSTILE = [
    ("empty.xlsx", "empty (0 bytes)"),
    ("random.xlsx", "not a spreadsheet"),
    ("truncated.xlsx", "damaged or incomplete"),
    ("bomb.xlsx", "would expand to"),
    ("repeated_text.xlsx", "repeats its texts into"),
    ("repeated_text.ods", "repeats its texts into"),
    ("laughs.xlsx", "entity declarations"),
    ("password.xlsx", "protected with a password"),
    ("password.xls", "protected with a password"),
    ("far.xlsx", "rows; at most"),
    ("far.xls", "more cells than can be imported"),
]


@pytest.fixture(autouse=True)
def _english():
    i18n.set_language("en")


@pytest.mark.parametrize(("name", "reason"), HOSTILE)
def test_a_hostile_file_is_refused_and_changes_nothing(office, name, reason):
    before = archive_digest()
    with pytest.raises(UnreadableFileError, match=re.escape(reason)) as refused:
        preview_import(CORPUS / name, office)
    assert name in str(refused.value)
    assert archive_digest() == before


def test_limits_on_rows_and_columns_apply_before_parsing():
    with pytest.raises(UnreadableFileError, match="at most 5 can be imported"):
        open_workbook(CORPUS / "messy.xlsx", Limits(max_rows=5))
    with pytest.raises(UnreadableFileError, match="at most 4 columns"):
        open_workbook(CORPUS / "messy.ods", Limits(max_columns=4))
    with pytest.raises(UnreadableFileError, match="more cells"):
        open_workbook(CORPUS / "messy.xls", Limits(max_cells=20))


def test_a_missing_sheet_is_named(office):
    with open_workbook(CORPUS / "messy.xlsx") as book:
        assert book.sheet_names == ["客户名单", "说明"]
        with pytest.raises(UnreadableFileError, match="no sheet called"):
            list(book.rows("客户"))


def test_the_command_line_exits_1_with_one_line_and_writes_nothing(tmp_path, capsys):
    data = tmp_path / "office"
    assert main(["--data-dir", str(data), "--lang", "en", "staff", "list"]) == 0
    close_database()
    before = (data / "archive.sqlite3").read_bytes()
    code = main(["--data-dir", str(data), "--lang", "en", "import", str(CORPUS / "bomb.xlsx")])
    close_database()
    error = capsys.readouterr().err.strip().splitlines()
    assert code == 1
    assert len(error) == 1
    assert "bomb.xlsx would expand to" in error[0]
    assert (data / "archive.sqlite3").read_bytes() == before

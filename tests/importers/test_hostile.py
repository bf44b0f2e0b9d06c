"""Broken and hostile files get a clear message and leave the archive byte-for-byte unchanged."""
from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from crmdesk import i18n
from crmdesk.cli import main
from crmdesk.importers.guards import Limits, UnreadableFileError
from crmdesk.importers.readers import open_workbook
from crmdesk.models.db import close_database
from crmdesk.services.imports.dry_run import preview_import
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
    ("long_string.xls", "repeats its texts into"),
]
# The documented bound of an import's memory (guards.Limits), interpreter and crmdesk included.
MEMORY_BOUND_MB = 500
DRY_RUN = Path(__file__).with_name("import_memory.py")


def hostile_files():
    """The generators of the hostile files too big to keep (tests/data/import/hostile_files.py)."""
    spec = importlib.util.spec_from_file_location("hostile_files", CORPUS / "hostile_files.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def dry_run_alone(path: Path) -> dict:
    """Preview ``path`` in a process of its own: what happened, and its peak memory in MB."""
    done = subprocess.run([sys.executable, str(DRY_RUN), str(path)], capture_output=True,
                          text=True, timeout=900, check=True)
    return json.loads(done.stdout.splitlines()[-1])


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


@pytest.mark.parametrize(("name", "reason"), [
    ("long_string.xls", "long_string.xls repeats its texts into 274 MB of cells"),
    ("long_cells.xlsx", "long_cells.xlsx holds 263 MB of text in its cells"),
])
def test_a_file_of_long_texts_is_refused_before_it_takes_memory(tmp_path, name, reason):
    # One 32,000-character shared string in 3,000 cells of an .xls (288 MB once every cell
    # holds its copy); 200,000 rows of 1,380-byte cells written inline (280 MB unpacked).
    path = (CORPUS / name if name.endswith(".xls")
            else hostile_files().long_cells_xlsx(tmp_path / name))
    outcome = dry_run_alone(path)
    assert reason in outcome.get("refused", "")
    assert outcome["peak_mb"] < MEMORY_BOUND_MB


def test_long_texts_just_within_the_limit_import_under_the_memory_bound(tmp_path):
    # 70,000 different 1,380-byte names: 92 MB of text, under the 100 MB the guards allow;
    # each name is longer than the card's 100 characters, so every row is refused with why.
    path = hostile_files().long_cells_xlsx(tmp_path / "long_names.xlsx", rows=70_000)
    outcome = dry_run_alone(path)
    assert outcome["rows"] == outcome["errors"] == 70_000
    assert outcome["first_problem"] == "row 2, cell A2 (姓名): at most 100 characters"
    assert outcome["peak_mb"] < MEMORY_BOUND_MB


def test_the_text_of_the_cells_is_bounded_in_bytes(tmp_path):
    path = hostile_files().long_cells_xlsx(tmp_path / "names.xlsx", rows=3_000)
    with pytest.raises(UnreadableFileError, match="holds 3 MB of text in its cells, more than "
                                                  "the 1 MB"):
        open_workbook(path, Limits(max_text_bytes=1 << 20))
    with open_workbook(path, Limits(max_text_bytes=5 << 20)) as book:
        assert book.row_count() == 3_001


def test_text_longer_than_its_field_is_refused_naming_row_and_cell(office, tmp_path):
    path = tmp_path / "long.csv"
    path.write_text("客户名称,备注\n" + "张" * 101 + ",短\n" + "李" * 100 + "," + "字" * 2001
                    + "\n" + "王" * 100 + "," + "字" * 2000 + "\n", encoding="utf-8")
    preview = preview_import(path, office)
    assert [r.reasons for r in preview.rows] == [
        "row 2, cell A2 (客户名称): at most 100 characters",
        "row 3, cell B3 (备注): at most 2000 characters",
        ""]

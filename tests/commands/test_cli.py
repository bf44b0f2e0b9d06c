"""The command line, run in-process as ``crmdesk.cli.main([...])`` and once as ``python -m``."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from crmdesk import paths
from crmdesk.cli import main
from crmdesk.models import Staff
from crmdesk.models.db import close_database, open_database
from crmdesk.models.search_keys import pinyin_keys
from crmdesk.services import customers
from crmdesk.services.context import Actor
from crmdesk.services.search import LIST_COLUMNS

REPO = Path(__file__).resolve().parents[2]
ENVIRONMENT = ("CRMDESK_DATABASE_URL", "CRMDESK_DATA_DIR", "CRMDESK_USER", "CRMDESK_PASSWORD")


def _add_customer(data_dir: Path, name: str, **values) -> None:
    open_database(paths.archive_path(data_dir))
    try:
        desk = Actor.of(Staff.select().order_by(Staff.id).get())
        card = customers.new_card(desk)
        card.values.update(name=name, **values)
        customers.save_card(card, desk, accept_incomplete=True)
    finally:
        close_database()


def test_demo_prints_its_counts_as_json(crmdesk):
    run = crmdesk("demo", "--customers", "50", "--json")
    assert run.code == 0
    assert run.err == ""
    counts = run.json()
    assert {"staff", "customers", "communications", "decision_people", "purchases"} <= set(
        counts)
    assert all(type(n) is int for n in counts.values())
    assert counts["customers"] == 50
    assert counts["communications"] >= 50 * 5


def test_customers_prints_matches_as_a_json_array_of_objects(crmdesk, data_dir):
    assert crmdesk("demo", "--customers", "30", "--json").code == 0
    _add_customer(data_dir, "张三", mobile="138 0013 8000")
    run = crmdesk("customers", "zs", "--json")
    assert run.code == 0
    found = run.json()
    assert isinstance(found, list)
    assert all(isinstance(row, dict) and tuple(row) == LIST_COLUMNS for row in found)
    assert "张三" in [row["name"] for row in found]
    assert all(pinyin_keys(row["name"])[1].startswith("zs")
               or pinyin_keys(row["name"])[0].startswith("zs") or "zs" in row["name"].lower()
               for row in found)
    mine = next(row for row in found if row["name"] == "张三")
    assert mine["mobile"] == "138 0013 8000"
    assert mine["archive_no"].startswith("KH")


def test_customers_limit_caps_the_list(crmdesk):
    crmdesk("demo", "--customers", "30", "--json")
    assert len(crmdesk("customers", "--limit", "7", "--json").json()) == 7


def test_customers_of_an_empty_archive_is_an_empty_array(crmdesk):
    run = crmdesk("customers", "--json")
    assert (run.code, run.json()) == (0, [])


def test_customers_as_text_prints_one_line_per_customer(crmdesk, data_dir):
    crmdesk("staff", "add", "王强", "--username", "sales")
    _add_customer(data_dir, "张三", mobile="13800138000")
    _add_customer(data_dir, "李四", mobile="13912345678")
    run = crmdesk("customers", "8000", before=("--lang", "en"))
    assert run.code == 0
    lines = run.out.splitlines()
    assert len(lines) == 2
    assert lines[0].split("\t")[1:3] == ["张三", "138 0013 8000"]
    assert lines[1] == "1 shown"


def test_staff_added_on_the_command_line_is_listed(crmdesk):
    added = crmdesk("staff", "add", "李娜", "--username", "lina", "--roles", "sales,frontdesk",
                    "--json")
    assert (added.code, added.json()) == (0, {"staff": 1})
    listed = crmdesk("staff", "list", "--json")
    assert listed.code == 0
    [member] = listed.json()
    assert member == {"id": member["id"], "name": "李娜", "username": "lina",
                      "roles": "sales,frontdesk", "active": True}
    assert type(member["id"]) is int


def test_staff_list_as_text(crmdesk):
    crmdesk("staff", "add", "李娜", "--username", "lina")
    run = crmdesk("staff", "list")
    assert run.out.split("\t")[1:4] == ["lina", "李娜", "sales"]


def test_taken_username_exits_1_with_one_line_on_stderr(crmdesk):
    crmdesk("staff", "add", "李娜", "--username", "lina")
    run = crmdesk("staff", "add", "李娜二", "--username", "lina", before=("--lang", "en"))
    assert run.code == 1
    assert run.out == ""
    assert run.err.count("\n") == 1
    assert run.err.startswith("crmdesk: ")
    assert "User name" in run.err
    assert "already taken" in run.err
    assert len(crmdesk("staff", "list", "--json").json()) == 1


def test_unknown_role_exits_1_naming_it(crmdesk):
    run = crmdesk("staff", "add", "李娜", "--username", "lina", "--roles", "boss")
    assert run.code == 1
    assert run.err.count("\n") == 1
    assert "boss" in run.err


def test_negative_demo_size_is_a_usage_error_naming_the_range(crmdesk):
    run = crmdesk("demo", "--customers", "-1", before=("--lang", "en"))
    assert run.code == 2
    assert run.err.splitlines()[-1].endswith(
        "--customers takes a whole number from 0 to 1000000, not -1")


@pytest.mark.parametrize(
    "args",
    [
        ("frobnicate",),
        ("staff",),
        ("staff", "add", "李娜"),
        ("demo", "--customers", "many"),
        ("customers", "--no-such-option"),
    ],
    ids=["unknown-command", "missing-action", "missing-username", "not-a-number",
         "unknown-option"],
)
def test_usage_errors_exit_2(crmdesk, args):
    run = crmdesk(*args)
    assert run.code == 2
    assert run.err.strip()
    assert run.out == ""


def test_unknown_user_is_a_usage_error(crmdesk):
    run = crmdesk("customers", before=("--lang", "en", "--user", "nobody"))
    assert run.code == 2
    assert run.err.count("\n") == 1
    assert "nobody" in run.err


def test_english_is_spoken_when_asked(crmdesk, data_dir):
    crmdesk("staff", "add", "王强", "--username", "sales")
    _add_customer(data_dir, "张三", status="following")
    chinese = crmdesk("customers", "--json").json()
    english = crmdesk("customers", "--json", before=("--lang", "en")).json()
    assert chinese[0]["status"] == "跟进中"
    assert english[0]["status"] == "Following up"


def test_english_help_text(crmdesk):
    run = crmdesk("--help", before=("--lang", "en"))
    assert run.code == 0
    assert "Customer archive system" in run.out


def test_module_entry_point_runs_a_command(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ENVIRONMENT}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    done = subprocess.run(
        [sys.executable, "-m", "crmdesk", "--data-dir", str(tmp_path / "data"), "customers",
         "--json"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=60, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []
    assert (tmp_path / "data" / paths.ARCHIVE_FILE).exists()


def test_unreadable_archive_file_gives_one_line_and_exit_1(tmp_path, capsys):
    (tmp_path / "archive.sqlite3").write_bytes(b"this is not an archive " * 100)
    assert main(["--data-dir", str(tmp_path), "customers"]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "crmdesk" in err

"""``crmdesk overdue``, ``due`` and ``levels`` print what the services (and so the pages) show."""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest

from crmdesk import paths
from crmdesk.cli import main
from crmdesk.models import Staff
from crmdesk.models.db import close_database, open_database
from crmdesk.services import followup
from crmdesk.services.demo import build_demo
from crmdesk.services.followup import FollowUpFilter

DAY = dt.date(2026, 3, 10)
ENVIRONMENT = ("CRMDESK_DATABASE_URL", "CRMDESK_DATA_DIR", "CRMDESK_USER", "CRMDESK_PASSWORD")


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory) -> Path:
    """A data folder holding a 1,000-customer demo archive built around DAY."""
    folder = tmp_path_factory.mktemp("data")
    open_database(paths.archive_path(folder))
    build_demo(1000, seed=5, today=DAY)
    close_database()
    return folder


@pytest.fixture
def crmdesk(demo_dir, capsys, monkeypatch):
    for name in ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)

    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--data-dir", str(demo_dir), "--lang", "en", *args])
        out, err = capsys.readouterr()
        return code, out, err

    yield run
    close_database()


def service(call, *args, **kwargs) -> list[dict]:
    """Rows from the service on the demo archive, opened afresh after the command ran."""
    return [{k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in row.items()}
            for row in (dataclasses.asdict(r) for r in call(*args, **kwargs))]


def test_overdue_json_is_the_service_list(crmdesk):
    code, out, _err = crmdesk("overdue", "--as-of", DAY.isoformat(), "--json")
    assert code == 0
    printed = json.loads(out)
    expected = service(followup.overdue, DAY, limit=None)
    assert printed == expected
    assert len(printed) == followup.counts(DAY).overdue > 20
    assert all(row["days_overdue"] >= 1 for row in printed)


def test_overdue_for_one_owner_and_level(crmdesk):
    code, out, _err = crmdesk("overdue", "--as-of", "2026-03-10", "--owner", "lina",
                              "--level", "C", "--json")
    assert code == 0
    printed = json.loads(out)
    owner = Staff.get(Staff.username == "lina")
    level_id = printed[0]["level_id"]
    assert {row["owner_name"] for row in printed} == {"李娜"}
    assert {row["level_code"] for row in printed} == {"C"}
    assert printed == service(followup.overdue, DAY, FollowUpFilter(
        owner_id=owner.id, level_id=level_id), limit=None)


def test_due_today_and_this_week(crmdesk):
    code, out, _err = crmdesk("due", "--today", "--as-of", DAY.isoformat(), "--json")
    assert code == 0
    today = json.loads(out)
    assert {row["next_follow_up"] for row in today} == {DAY.isoformat()}
    code, out, _err = crmdesk("due", "--week", "--as-of", DAY.isoformat(), "--json")
    week = json.loads(out)
    assert week == service(followup.due_this_week, DAY, limit=None)
    assert len(today) == followup.counts(DAY).due_today and len(week) > len(today)


def test_text_output_and_bad_input(crmdesk):
    code, out, _err = crmdesk("overdue", "--as-of", "2026-03-10", "--band", "1-3")
    assert code == 0
    lines = out.splitlines()
    assert lines[-1] == f"{len(lines) - 1} shown"
    assert {int(line.split("\t")[6]) for line in lines[:-1]} <= {1, 2, 3}
    assert crmdesk("overdue", "--owner", "nobody")[0] == 2
    assert crmdesk("overdue", "--level", "Z")[0] == 2
    assert crmdesk("overdue", "--as-of", "yesterday")[0] == 2
    assert crmdesk("due", "--as-of", "2026-03-10")[0] == 2


def test_levels_lists_the_scheme(crmdesk):
    code, out, _err = crmdesk("levels", "--json")
    assert code == 0
    scheme = json.loads(out)
    assert [(lv["code"], lv["interval_days"]) for lv in scheme] == [
        ("O", None), ("H", 2), ("A", 3), ("B", 5), ("C", 7), ("战败", None)]

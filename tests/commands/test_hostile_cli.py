"""Hostile command lines, built from the real parser, never end in a traceback.

Every subcommand's options and arguments get values a careless or hostile colleague might
type: huge and negative numbers, empty text, 10,000 characters, NUL, emoji, SQL, impossible
dates, a folder where a file is expected, a file in a folder that does not exist. Whatever
the command line, crmdesk answers with exit code 0, 1 or 2 and, when it refuses, at most one
line on stderr (after argparse's usage, for a usage error).
"""
from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crmdesk.cli import main
from crmdesk.models import Staff
from crmdesk.services import accounts, customers
from tests.backends import location_options
from tests.subcommands import leaves

PASSWORD = "a long password"
# backup, restore and check are tested with their own service; watch runs until it is stopped
# (tested with a real process in test_watch.py).
EXCLUDED = {("backup",), ("restore",), ("check",), ("watch",)}
# Options a line always carries: without it demo would load its default 1,000 customers.
ALWAYS = {("demo",): {"--customers"}}
NUMBERS = ("-1", "0", "1", "3", "-99999999999999999999", "99999999999999999999999",
           "2147483648", "9223372036854775808", "1e309", "nan", "0x10", "٣", "9" * 5000)
TEXTS = ("", " ", "a" * 10_000, "张" * 10_000, "\x00", "a\x00b", "😀👍🏽", "\u202eevil\u202c",
         "tab\there", "line\nbreak", "'; DROP TABLE customer; --", "%s %(x)s {0} {name}",
         "2026-02-30", "9999-12-31", "0000-00-00", "0001-01-01", "-1", "KH2026000001",
         "13800000001", "admin", "管理员", "sales,admin", "--json", "../../etc/passwd")


LEAVES = sorted((path, parser) for path, parser in leaves()
                if path and path not in EXCLUDED)


@pytest.fixture
def office(archive, tmp_path, monkeypatch):
    """An archive with a logged-in administrator (also manager) and two customers; the
    working folder is the test's own, so files written by relative names land there."""
    for name in ("CRMDESK_USER", "CRMDESK_DATABASE_URL", "CRMDESK_DATA_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CRMDESK_PASSWORD", PASSWORD)
    monkeypatch.chdir(tmp_path)
    admin = accounts.create_first_admin("管理员", "admin", PASSWORD)
    for name, mobile, mark in (("张三", "13800000001", "normal"),
                               ("李四", "13800000002", "secret")):
        card = customers.new_card(admin)
        card.values.update(name=name, mobile=mobile, confidentiality=mark)
        customers.save_card(card, admin, accept_incomplete=True)
    (tmp_path / "a folder").mkdir()
    return archive, tmp_path


def _values(folder: Path) -> st.SearchStrategy[str]:
    paths = (str(folder / "a folder"), str(folder / "missing" / "out.xlsx"),
             str(folder / "missing" / "out.pdf"), str(folder / ("x" * 10_000 + ".xlsx")),
             str(folder / "out.csv"), str(folder / "nul\x00.xlsx"), "out.pdf", ".xlsx")
    return st.one_of(st.sampled_from(NUMBERS), st.sampled_from(TEXTS), st.sampled_from(paths),
                     st.text(max_size=12))


@st.composite
def command_lines(draw: st.DrawFn, folder: Path) -> list[str]:
    """A subcommand with a random selection of its options, each with a hostile value."""
    path, parser = draw(st.sampled_from(LEAVES))
    values = _values(folder)
    line = list(path)
    # One of each required either-or group (due: --today or --week), so the command runs.
    chosen_in_groups = {draw(st.sampled_from(group._group_actions))
                        for group in parser._mutually_exclusive_groups if group.required}
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction):
            continue
        always = (action.required or action in chosen_in_groups
                  or set(action.option_strings) & ALWAYS.get(path, set()))
        # Optional ones a third of the time: fewer refusals by argparse, deeper runs.
        if not always and not draw(st.sampled_from((True, False, False))):
            continue
        count = 0 if action.nargs == 0 else draw(st.integers(1, 2)) if action.nargs in (
            "+", "*") else 1
        chosen = [draw(st.sampled_from(action.choices) if action.choices and draw(
            st.booleans()) else values) for _ in range(count)]
        if action.option_strings:
            line.append(action.option_strings[-1])
        line.extend(chosen)
    return line


def _message_lines(err: str) -> list[str]:
    """stderr without argparse's usage block: what crmdesk itself said."""
    lines = err.splitlines()
    if lines and lines[0].startswith("usage:"):
        lines = lines[1:]
        while lines and lines[0].startswith(" "):
            lines = lines[1:]
    return lines


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_hostile_command_lines_exit_cleanly(office, capsys, data):
    archive, folder = office
    line = data.draw(command_lines(folder), label="command line")
    Staff.update(password_hash=accounts.hash_password(PASSWORD), failed_logins=0,
                 locked_until=None, active=True).where(Staff.username == "admin").execute()
    try:
        code = main([*location_options(archive), "--user", "admin", *line])
    except Exception as exc:
        pytest.fail(f"{type(exc).__name__} escaped main: {exc!s:.300}")
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert code in (0, 1, 2), err[:300]
    if code:
        # One message line at most (an import with rejected rows says so on stdout), with the
        # indented detail lines the command line prints below it.
        said = _message_lines(err)
        assert sum(not line.startswith(" ") for line in said) <= 1, err[:500]


HUGE = "99999999999999999999999"
FOLDER = "<folder>"


@pytest.mark.parametrize(("line", "code", "says"), [
    (("customers", "--limit", HUGE), 2, "--limit takes a whole number from 0 to 1000000"),
    (("pool", "--limit", HUGE), 2, "--limit takes a whole number from 0 to 1000000"),
    (("overdue", "--limit", "-1"), 2, "--limit takes a whole number from 0 to 1000000"),
    (("audit", "list", "--limit", HUGE), 2, "--limit takes a whole number"),
    (("visit", "add", "--name", "张三", "--phone", "13912345678", "--party", HUGE), 2,
     "--party takes a whole number from 1 to 999"),
    (("import-undo", HUGE), 2, "BATCH_ID takes a whole number from 1 to 2147483647"),
    (("demo", "--customers", HUGE), 2, "--customers takes a whole number from 0 to 1000000"),
    (("import", FOLDER), 1, "is a folder"),
    (("template", FOLDER), 1, "it is a folder"),
    (("export", "customers", "<folder>/missing/out.xlsx"), 1, "no such folder"),
    (("export", "customers", "<folder>/" + "x" * 10_000 + ".xlsx"), 1, "longer than 255 bytes"),
    (("import", "<folder>/a.xlsx", "--errors", "<folder>/missing/e.xlsx"), 1,
     "no such folder"),
    (("print", "roster", "-o", FOLDER), 1, "it is a folder"),
    (("visit", "add", "--name", "张" * 101, "--phone", "13912345678"), 1,
     "Visitor's name: at most 100 characters"),
    (("register", "--name", "\u202e三张", "--phone", "13912345678"), 1,
     "Visitor's name: must not contain control characters or direction overrides"),
    (("register", "--name", "张三", "--phone", "13912345678", "--purpose", "看\x00车"), 2,
     "--purpose must not contain control characters"),
    (("visit", "add", "--name", "张三", "--company", "\u2067公司", "--phone", "13912345678"), 1,
     "Company: must not contain control characters or direction overrides"),
    (("staff", "password", "line\nbreak"), 2, "no member of staff with the user name line\\n"),
])
def test_hostile_values_get_one_clear_line(office, capsys, line, code, says):
    archive, folder = office
    line = [arg.replace(FOLDER, str(folder / "a folder")) for arg in line]
    assert main([*location_options(archive), "--lang", "en", "--user", "admin", *line]) == code
    err = capsys.readouterr().err
    said = _message_lines(err)
    assert len(said) == 1, err
    assert says in said[0]


@pytest.mark.parametrize("line", [
    ("visits", "--from", "0001-01-01", "--to", "9999-12-31"),
    ("print", "visits", "--from", "0001-01-01", "--to", "9999-12-31", "-o", "visits.pdf"),
    ("export", "visits", "visits.xlsx", "--from", "0001-01-01", "--to", "9999-12-31"),
    ("audit", "list", "--to", "9999-12-31"),
    ("due", "--week", "--as-of", "9999-12-31"),
    ("overdue", "--band", "8-30", "--as-of", "0001-01-01"),
    ("overdue", "--band", "more", "--as-of", "0001-01-02"),
    ("print", "overdue", "--as-of", "0001-01-01", "-o", "overdue.pdf"),
])
def test_the_ends_of_the_calendar_are_ordinary_days(office, capsys, line):
    archive, _folder = office
    assert main([*location_options(archive), "--user", "admin", *line]) == 0
    assert capsys.readouterr().err == ""


def test_a_huge_roster_filter_still_prints(office, capsys):
    archive, folder = office
    target = folder / "roster.pdf"
    assert main([*location_options(archive), "--user", "admin", "print", "roster", "--query",
                 "a" * 10_000, "-o", str(target)]) == 0
    assert target.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("where", ["long", "file"])
def test_an_impossible_data_folder_is_one_line(tmp_path, capsys, where):
    folder = tmp_path / ("d" * 10_000) if where == "long" else tmp_path / "taken"
    if where == "file":
        folder.write_text("not a folder")
    assert main(["--lang", "en", "--data-dir", str(folder), "customers"]) == 1
    said = _message_lines(capsys.readouterr().err)
    assert len(said) == 1
    assert ("is a file, not a folder" if where == "file" else "cannot create the folder") in (
        said[0])


def test_a_file_named_backups_is_reported_not_raised(tmp_path):
    from crmdesk import i18n, paths
    from crmdesk.errors import ArchiveLocationError

    i18n.set_language("en")
    (tmp_path / "backups").write_text("")
    with pytest.raises(ArchiveLocationError, match="backups is a file, not a folder"):
        paths.backup_dir(tmp_path)


@pytest.mark.sqlite_only
def test_a_log_file_that_is_a_folder_is_one_line(archive, capsys, monkeypatch):
    monkeypatch.delenv("CRMDESK_USER", raising=False)
    (archive.parent / "logs" / "crmdesk.log").mkdir(parents=True)
    assert main(["--lang", "en", "--data-dir", str(archive.parent), "customers"]) == 1
    said = _message_lines(capsys.readouterr().err)
    assert len(said) == 1 and "cannot write the log" in said[0]

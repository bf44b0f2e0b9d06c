"""``crmdesk customers`` prints the office fields the office shows in the list, as the window
does (empty where the reader may not read the card), and filters by an office field's value."""
from __future__ import annotations

import json

import pytest

from crmdesk.cli import main
from crmdesk.models.db import close_database
from crmdesk.services import accounts, customer_list, customers
from tests.backends import location_options
from tests.office_field_samples import CLUB, WORK_YEARS, add_fields

PASSWORD = "a long password"


@pytest.fixture
def cli(archive, manager, salesperson, monkeypatch, capsys):
    """Run a command on the test archive as ``user`` (manager or sales)."""
    for actor in (manager, salesperson):
        accounts.set_password(actor, actor.staff_id, PASSWORD)
    monkeypatch.delenv("CRMDESK_DATABASE_URL", raising=False)
    monkeypatch.setenv("CRMDESK_PASSWORD", PASSWORD)

    def run(user: str, *args: str) -> tuple[int, str, str]:
        code = main([*location_options(archive), "--lang", "en", "--user", user, *args])
        out, err = capsys.readouterr()
        return code, out, err

    yield run
    close_database()


@pytest.fixture
def club_members(manager, salesperson) -> None:
    """张三 (golf, 12 years of work) of the salesperson, 李四 (tennis) of the salesperson,
    王五 (golf) of the manager; the list shows the club and the years of work."""
    add_fields(manager, WORK_YEARS, CLUB)
    for actor, name, mobile, office in (
            (salesperson, "张三", "13800138000", {"club": "golf", "work_years": "12"}),
            (salesperson, "李四", "13800138001", {"club": "tennis"}),
            (manager, "王五", "13800138002", {"club": "golf"})):
        card = customers.new_card(actor)
        card.values.update(name=name, mobile=mobile)
        card.office = office
        customers.save_card(card, actor, accept_incomplete=True)
    customer_list.set_listed_fields(["club", "work_years"], manager)


def _by_name(out: str) -> dict[str, dict[str, str]]:
    return {row["name"]: row for row in json.loads(out)}


def test_the_list_shows_the_office_columns_empty_where_the_card_may_not_be_read(
        cli, club_members):
    code, out, err = cli("sales", "customers", "--json")
    assert code == 0, err
    rows = _by_name(out)
    assert list(rows["张三"])[-2:] == ["office.club", "office.work_years"]
    assert (rows["张三"]["office.club"], rows["张三"]["office.work_years"]) == ("Golf", "12")
    assert rows["李四"]["office.club"] == "Tennis"
    assert (rows["王五"]["office.club"], rows["王五"]["office.work_years"]) == ("", "")
    code, out, _err = cli("manager", "customers", "--json")
    assert _by_name(out)["王五"]["office.club"] == "Golf"


def test_the_text_list_ends_each_line_with_the_office_columns(cli, club_members):
    code, out, _err = cli("sales", "customers", "13800138000")
    assert code == 0
    line, total = out.splitlines()
    assert line.split("\t")[1] == "张三" and line.split("\t")[-2:] == ["Golf", "12"]
    assert total == "1 shown"


def test_the_list_filters_by_an_office_fields_value(cli, club_members):
    code, out, err = cli("manager", "customers", "--field", "club=高尔夫", "--json")
    assert code == 0, err
    assert sorted(_by_name(out)) == ["张三", "王五"]
    code, out, _err = cli("manager", "customers", "王", "--field", "club=golf", "--json")
    assert sorted(_by_name(out)) == ["王五"]
    code, out, _err = cli("sales", "customers", "--field", "club=Golf", "--json")
    assert sorted(_by_name(out)) == ["张三"]  # 王五's card is not the salesperson's to read
    code, out, _err = cli("manager", "customers", "--field", "work_years=12", "--json")
    assert sorted(_by_name(out)) == ["张三"]


def test_a_filter_on_no_field_or_no_value_of_it_is_refused_plainly(cli, club_members):
    code, _out, err = cli("manager", "customers", "--field", "shoe_size=42")
    assert code == 1 and "shoe_size" in err
    code, _out, err = cli("manager", "customers", "--field", "club=chess")
    assert code == 1 and "Club" in err and "chess" in err
    code, _out, err = cli("manager", "customers", "--field", "club")
    assert code == 2 and "--field" in err and "KEY=VALUE" in err
    code, _out, err = cli("manager", "customers", "--field", "club=")
    assert code == 1 and "Club" in err

"""The home pages' figures: each role's tiles, by the same visibility as the lists they open."""
from __future__ import annotations

import datetime as dt
import logging

import pytest

from crmdesk.models import Customer, Staff
from crmdesk.services import workbench
from crmdesk.services.context import Actor
from crmdesk.services.frontdesk import VisitDraft, register_visit, set_departure

DAY = dt.date(2026, 2, 27)
LONG_AGO = dt.datetime(2026, 1, 1, 9)  # protection lapses on 2026-03-03, within a week of DAY



@pytest.fixture
def desk(archive) -> Actor:
    return Actor.of(Staff.create(name="陈静", username="desk", roles="frontdesk"))



@pytest.fixture
def office(add_customer, backdate, salesperson, lina, level_ids) -> dict[str, int]:
    """王强: 张三 overdue and lapsing, 李四 due on DAY with a birthday the day after;
    李娜: 王五 overdue and lapsing."""
    overdue = add_customer(salesperson, level=level_ids["C"])
    backdate(overdue, LONG_AGO)
    due = add_customer(salesperson, level=level_ids["C"], birth_date=dt.date(1980, 2, 28))
    backdate(due, dt.datetime.combine(DAY - dt.timedelta(days=7), dt.time(9)))
    theirs = add_customer(lina, level=level_ids["C"])
    backdate(theirs, LONG_AGO)
    return {"overdue": overdue, "due": due, "theirs": theirs}


def _visit(desk: Actor, name: str, phone: str, to: Actor, hour: int, channel: str = "visit"):
    return register_visit(VisitDraft(name, phone, channel=channel, salesperson_id=to.staff_id,
                                     override_reason="熟人介绍",
                                     arrived_at=dt.datetime.combine(DAY, dt.time(hour))), desk)


def test_each_role_lands_on_the_widest_of_its_homes(archive):
    def of(roles: str) -> str | None:
        return workbench.home_of(Actor(1, "某人", tuple(roles.split(","))))

    assert of("manager,sales") == workbench.MANAGER
    assert of("frontdesk,sales") == workbench.FRONT_DESK
    assert of("sales") == workbench.SALES
    assert of("admin") is None
    assert workbench.home(None, DAY) == {}


def test_a_salespersons_home_holds_only_their_own_customers(
        office, salesperson, lina, desk):
    _visit(desk, "孙先生", "13912345678", salesperson, 10)
    _visit(desk, "周女士", "13912345679", lina, 11)

    tiles = workbench.home(salesperson, DAY)

    assert tiles["overdue"].count == 1
    assert tiles["overdue"].lines[0].customer_id == office["overdue"]
    assert "50" in tiles["overdue"].lines[0].detail  # days overdue
    assert [line.customer_id for line in tiles["due_today"].lines] == [office["due"]]
    assert tiles["lapsing"].count == 1
    assert tiles["lapsing"].lines[0].customer_id == office["overdue"]
    assert "2026-03-03" in tiles["lapsing"].lines[0].detail
    assert [(b.count, b.lines[0].customer_id) for b in [tiles["birthdays"]]] == [
        (1, office["due"])]
    assert tiles["visitors"].count == 1 and tiles["visitors"].lines[0].title == "孙先生"
    assert [line.title for line in workbench.full_list("visitors", salesperson, DAY)] == [
        "孙先生"]


def test_the_managers_home_counts_the_whole_office_by_salesperson(office, manager):
    tiles = workbench.home(manager, DAY)

    assert tiles["office"].count == 3
    assert tiles["overdue_by_owner"].count == 2
    assert sorted((line.title, line.detail) for line in tiles["overdue_by_owner"].lines) == [
        ("李娜", "1"), ("王强", "1")]
    assert sorted((line.title, line.detail) for line in tiles["lapsing"].lines) == [
        ("李娜", "1"), ("王强", "1")]
    lapsing = workbench.full_list("lapsing", manager, DAY)
    assert sorted(line.customer_id for line in lapsing) == sorted(
        [office["overdue"], office["theirs"]])


def test_a_colleagues_top_secret_archive_stays_out_of_the_managers_figures(office, manager):
    Customer.update(confidentiality="secret").where(Customer.id == office["theirs"]).execute()

    tiles = workbench.home(manager, DAY)

    assert tiles["office"].count == 2
    assert [(line.title, line.detail) for line in tiles["overdue_by_owner"].lines] == [
        ("王强", "1")]
    assert [line.customer_id for line in workbench.full_list("lapsing", manager, DAY)] == [
        office["overdue"]]


def test_the_front_desk_sees_who_is_inside_todays_counts_and_who_is_next(
        desk, salesperson, lina):
    left = _visit(desk, "孙先生", "13912345678", salesperson, 9)
    _visit(desk, "周女士", "13912345679", lina, 10)
    _visit(desk, "吴先生", "13912345670", lina, 11, channel="call")
    set_departure(left.visit_id, desk, dt.datetime.combine(DAY, dt.time(9, 30)))

    tiles = workbench.home(desk, DAY)

    assert tiles["inside"].count == 1 and tiles["inside"].lines[0].title == "周女士"
    assert "李娜" in tiles["inside"].lines[0].detail
    assert tiles["today"].count == 3
    assert [line.detail for line in tiles["today"].lines] == ["2", "1", "3", "0"]
    assert tiles["next"].count == 1 and tiles["next"].lines[0].title in ("王强", "李娜")
    assert [line.title for line in tiles["duty"].lines] == ["王强", "李娜"]
    assert tiles["duty"].count == 2


def _statements(caplog, call) -> int:
    with caplog.at_level(logging.DEBUG, logger="peewee"):
        caplog.clear()
        call()
    return sum(1 for record in caplog.records if record.name == "peewee")


def test_a_home_page_reads_as_many_statements_whatever_the_number_of_customers(
        add_customer, backdate, salesperson, manager, level_ids, caplog):
    def one_more() -> None:
        backdate(add_customer(salesperson, level=level_ids["C"]), LONG_AGO)

    one_more()
    few = {who.name: _statements(caplog, lambda w=who: workbench.home(w, DAY))
           for who in (salesperson, manager)}
    for _n in range(4):
        one_more()
    more = {who.name: _statements(caplog, lambda w=who: workbench.home(w, DAY))
            for who in (salesperson, manager)}
    assert more == few and all(few.values())

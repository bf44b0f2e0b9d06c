"""``crmdesk appointment add / cancel`` and ``crmdesk appointments``."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from crmdesk.cli import main
from crmdesk.models import Customer, Staff
from crmdesk.services.context import Actor
from crmdesk.services.frontdesk import VisitDraft, register_visit
from tests.backends import location_options

TOMORROW = dt.date.today() + dt.timedelta(days=1)


@pytest.fixture
def office(archive, monkeypatch):
    desk = Actor.of(Staff.create(name="陈静", username="desk", roles="frontdesk"))
    Staff.create(name="王强", username="wq", roles="sales")
    register_visit(VisitDraft("张三", "13800138000"), desk)
    return archive


def run(archive, capsys, *args: str, user: str) -> tuple[int, str, str]:
    code = main([*location_options(archive), "--lang", "en", "--user", user, *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_book_list_and_cancel_an_appointment(office, capsys):
    number = Customer.get().archive_no
    code, out, err = run(office, capsys, "appointment", "add", number, "--at",
                         f"{TOMORROW} 10:00", "--purpose", "看样品", "--expected", "张先生夫妇",
                         user="wq")
    assert code == 0, err
    assert "Appointment 1 booked" in out

    code, out, _err = run(office, capsys, "appointments", "--day", str(TOMORROW), "--json",
                          user="desk")
    [row] = json.loads(out)
    assert (row["name"], row["expected"], row["salesperson"], row["state"]) == (
        "张三", "张先生夫妇", "王强", "booked")

    assert run(office, capsys, "appointment", "cancel", "1", user="wq")[0] == 0
    code, out, _err = run(office, capsys, "appointments", "--day", str(TOMORROW), user="wq")
    assert "Cancelled" in out


def test_a_time_that_is_not_a_time_gets_one_line(office, capsys):
    code, _out, err = run(office, capsys, "appointment", "add", Customer.get().archive_no,
                          "--at", "next tuesday", "--purpose", "看样品", user="wq")
    assert code == 2
    assert "argument --at: write it as 2026-03-02 09:30, not next tuesday" in err.splitlines()[-1]

"""The home pages (工作台): each role lands on its own, tiles count and open their lists, counts
follow another desk's changes, and the day's notices arrive once."""
from __future__ import annotations

import datetime as dt
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from crmdesk.models import Customer, Level, Notice, Staff
from crmdesk.services import cadence, customers
from crmdesk.services.context import Actor
from crmdesk.ui.main_window import MainWindow
from crmdesk.ui.pages.home.frontdesk_home import FrontDeskHome
from crmdesk.ui.pages.home.manager_home import ManagerHome
from crmdesk.ui.pages.home.sales_home import SalesHome

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date.today()


def _customer(owner: Actor, name: str, mobile: str, registered_days_ago: int) -> int:
    """A level-C customer of ``owner`` registered that many days ago (due 7 days after)."""
    card = customers.new_card(owner)
    card.values.update(name=name, mobile=mobile, owner=owner.staff_id,
                       level=Level.get(Level.code == "C").id)
    customer_id = customers.save_card(card, owner, accept_incomplete=True).customer_id
    registered = dt.datetime.combine(TODAY - dt.timedelta(days=registered_days_ago), dt.time(9))
    Customer.update(created_at=registered).where(Customer.id == customer_id).execute()
    cadence.refresh_follow_up(customer_id)
    return customer_id


@pytest.fixture
def people(archive) -> dict[str, Actor]:
    """A manager, two salespeople and a front desk; 王强 has one customer overdue and lapsing
    within the week (张三) and one due today (李四); 李娜 has one overdue (王五)."""
    made = {key: Actor.of(Staff.create(name=name, username=key, roles=roles))
            for key, name, roles in (("manager", "赵经理", "manager"),
                                     ("sales", "王强", "sales"), ("lina", "李娜", "sales"),
                                     ("frontdesk", "陈静", "frontdesk"))}
    _customer(made["sales"], "张三", "13800138000", 55)
    _customer(made["sales"], "李四", "13800138001", 7)
    _customer(made["lina"], "王五", "13800138002", 30)
    return made


def _open(qtbot, archive, actor: Actor) -> MainWindow:
    window = MainWindow(actor, str(archive))
    qtbot.addWidget(window)
    window.show()
    home = window.pages.widget(0)
    qtbot.waitUntil(lambda: all(t.figure.text() != "…" for t in home.tiles.values()),
                    timeout=10000)
    return window


def _figures(window: MainWindow) -> dict[str, str]:
    return {key: tile.figure.text() for key, tile in window.pages.widget(0).tiles.items()}


@pytest.mark.parametrize(("who", "page"), [("manager", ManagerHome), ("sales", SalesHome),
                                           ("frontdesk", FrontDeskHome)])
def test_each_role_lands_on_its_home_page(qtbot, archive, boxes, people, who, page):
    window = _open(qtbot, archive, people[who])
    assert isinstance(window.pages.currentWidget(), page)
    assert window.pages.currentIndex() == 0
    assert window.pages.tabText(0) == "工作台"
    assert "今天是" in window.pages.currentWidget().greeting.text()
    window.tasks.wait()


def test_the_tiles_show_the_right_counts(qtbot, archive, boxes, people):
    sales = _open(qtbot, archive, people["sales"])
    assert _figures(sales) == {"overdue": "1", "due_today": "1", "visitors": "0",
                               "lapsing": "1", "birthdays": "0", "no_shows": "0"}
    overdue = sales.pages.widget(0).tiles["overdue"].lines.item(0).text()
    assert "张三" in overdue and "逾期 48 天" in overdue
    sales.tasks.wait()
    manager = _open(qtbot, archive, people["manager"])
    assert _figures(manager) == {"office": "3", "overdue_by_owner": "2", "visits": "0",
                                 "lapsing": "1"}
    manager.tasks.wait()
    desk = _open(qtbot, archive, people["frontdesk"])
    assert _figures(desk)["next"] == "王强" and _figures(desk)["inside"] == "0"
    desk.tasks.wait()


def test_a_tile_opens_its_list_and_a_line_its_card(qtbot, archive, boxes, people):
    window = _open(qtbot, archive, people["sales"])
    home = window.pages.widget(0)
    home.tiles["overdue"].figure.click()
    assert window.pages.currentWidget() is window.followups
    assert window.followups.which.currentData() == "overdue"

    home.tiles["lapsing"].figure.click()
    dialog = home.list_dialog
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=5000)
    assert dialog.table.item(0, 0).text() == "张三"
    dialog.table.activated.emit(dialog.table.model().index(0, 0))
    window.tasks.wait()
    qtbot.waitUntil(lambda: window.card.customer_id is not None, timeout=5000)
    assert window.card.editor("name").text() == "张三"

    lines = home.tiles["due_today"].lines
    lines.itemClicked.emit(lines.item(0))
    qtbot.waitUntil(lambda: window.card.editor("name").text() == "李四", timeout=5000)
    window.tasks.wait()


def test_the_front_desk_registers_a_visitor_from_its_home_page(qtbot, archive, boxes, people):
    window = _open(qtbot, archive, people["frontdesk"])
    window.pages.widget(0).findChild(type(window.pages.widget(0).tiles["next"].figure),
                                     "homeRegisterVisitor").click()
    assert window.frontdesk_page.dialog is not None and window.frontdesk_page.dialog.isVisible()
    window.frontdesk_page.dialog.reject()
    window.tasks.wait()


def _another_desk_logs_a_contact(location: str, staff_id: int, customer_id: int) -> None:
    script = textwrap.dedent(f"""
        import datetime as dt
        from crmdesk.models import Staff
        from crmdesk.models.db import open_database
        from crmdesk.services.contacts import Contact, log_contact
        from crmdesk.services.context import Actor
        open_database({location!r})
        log_contact({customer_id}, Contact(dt.datetime.now(), "phone", "回访",
                    next_follow_up=dt.date.today() + dt.timedelta(days=3)),
                    Actor.of(Staff.get_by_id({staff_id})))
    """)
    subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT,
                   timeout=120, check=True)


def test_a_count_follows_a_change_made_at_another_desk(qtbot, archive, boxes, people):
    window = _open(qtbot, archive, people["sales"])
    due = Customer.get(Customer.name == "李四").id
    _another_desk_logs_a_contact(str(archive), people["sales"].staff_id, due)
    qtbot.waitUntil(lambda: _figures(window)["due_today"] == "0", timeout=8000)
    window.tasks.wait()


def test_the_days_notices_arrive_once(qtbot, archive, boxes, people):
    first = _open(qtbot, archive, people["sales"])
    bell = first.notice_bell
    qtbot.waitUntil(lambda: bell.text() == "通知：2", timeout=5000)
    assert bell.popups == []  # they wait under the bell; the home page shows the same
    first.tasks.wait()
    first.close()

    again = _open(qtbot, archive, people["sales"])
    qtbot.waitUntil(lambda: again.notice_bell.text() == "通知：2", timeout=5000)
    again.tasks.wait()
    kinds = sorted(n.kind for n in Notice.select().where(
        Notice.recipient == people["sales"].staff_id))
    assert kinds == ["due_today", "lapsing"]


def test_changes_arriving_during_a_read_cause_one_more_read_not_one_each(
        qtbot, archive, boxes, people, monkeypatch):
    from crmdesk.services import workbench

    window = _open(qtbot, archive, people["manager"])
    window.tasks.wait()
    reads = []
    real = workbench.home
    monkeypatch.setattr(workbench, "home", lambda *args: reads.append(1) or real(*args))
    home = window.pages.widget(0)
    for _n in range(5):
        home.refresh()
    qtbot.waitUntil(lambda: len(reads) == 2 and not home._reading, timeout=5000)
    window.tasks.wait()
    assert len(reads) == 2


def test_the_managers_statistics_links_open_this_weeks_visitor_report(qtbot, archive, boxes,
                                                                      people):
    from PySide6.QtWidgets import QPushButton

    from crmdesk.ui.pages.statistics_page import StatisticsPage

    window = _open(qtbot, archive, people["manager"])
    window.pages.widget(0).findChild(QPushButton, "homeWeekStatistics").click()

    page = window.findChild(StatisticsPage)
    assert window.pages.currentWidget() is page
    assert page.report_name.currentData() == "visitors"
    window.tasks.wait()

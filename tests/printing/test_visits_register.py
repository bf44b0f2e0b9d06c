"""The visitor and caller register (来人来电登记表) printed: every line in order, the header on
every page, the counts, masked phones, who may print it and ``crmdesk print visits``."""
from __future__ import annotations

import datetime as dt
import json
import random
import re

import pytest

from crmdesk.cli import main
from crmdesk.i18n import _
from crmdesk.models import AuditEntry, Staff, Visit
from crmdesk.services import customers, documents, printouts
from crmdesk.services.accounts import PermissionDenied
from crmdesk.services.context import Actor
from tests.backends import location_options

DAY = dt.date(2026, 4, 1)
VISITORS = 1_000
NUMBERED = re.compile(r"访客(\d{4})")


def visit(name: str, minutes: int, day: dt.date = DAY, **values) -> Visit:
    """A line of the register, ``minutes`` after 8:30 on ``day``."""
    fields = {"channel": "visit", "phone": "13800138000", "purpose": "看车",
              "source": "visit", "party_size": 1}
    fields.update(values)
    arrived = dt.datetime.combine(day, dt.time(8, 30)) + dt.timedelta(minutes=minutes)
    return Visit.create(name=name, arrived_at=arrived, **fields)


def saved_customer(owner: Actor, name: str, mark: str = "normal",
                   mobile: str = "13900139000") -> int:
    """A saved customer owned by ``owner``; returns its id."""
    card = customers.new_card(owner)
    card.values.update(name=name, mobile=mobile, confidentiality=mark)
    return customers.save_card(card, owner, accept_incomplete=True).customer_id


@pytest.fixture
def desk(archive) -> Actor:
    """The front desk: prints registers, reads no full card of its own."""
    return Actor.of(Staff.create(name="刘前台", username="desk", roles="frontdesk"))


@pytest.fixture
def days_visits(manager, salesperson) -> list[Visit]:
    """Three lines on DAY (a walk-in, a call, a return visit that has left) and one the day
    after."""
    mine = saved_customer(salesperson, "李娜")
    return [
        visit("张三", 0, receptionist=manager.staff_id, salesperson=salesperson.staff_id),
        visit("欧阳一鸣", 20, channel="call", source="internet", phone="02165529988",
              purpose="咨询SUV报价"),
        visit("李娜", 45, source="referral", customer=mine, returning=True, party_size=3,
              departed_at=dt.datetime.combine(DAY, dt.time(10, 5))),
        visit("赵六", 0, day=DAY + dt.timedelta(days=1)),
    ]


def text_of(data: bytes, pdf) -> str:
    return pdf.squeeze("".join(pdf.pages_text(data)))


def test_the_days_register_prints_its_title_names_and_counts(manager, days_visits, pdf):
    text = text_of(documents.visits_pdf(DAY, DAY, manager), pdf)
    assert "来人来电登记表" in text
    assert pdf.squeeze(_("Date: {date}").format(date="2026-04-01")) in text
    for name in ("张三", "欧阳一鸣", "李娜", "咨询SUV报价", "王强", "赵经理", "10:05"):
        assert name in text
    assert "赵六" not in text
    assert pdf.squeeze("合计 3：来访 2 · 来电 1；首访 2，回访 1") in text
    assert pdf.squeeze("按来源：来访 1 · 转介绍 1 · 网络 1") in text
    entry = AuditEntry.get(AuditEntry.action == "print")
    assert json.loads(entry.details)["printout"] == "visits"
    assert json.loads(entry.details)["visits"] == 3


def test_a_range_prints_every_day_in_it(manager, days_visits, pdf):
    text = text_of(documents.visits_pdf(DAY, DAY + dt.timedelta(days=1), manager), pdf)
    assert "赵六" in text
    assert "04-0208:30" in text  # a range shows the day with the time
    assert pdf.squeeze("日期：2026-04-01 至 2026-04-02") in text


def test_an_empty_day_still_prints_its_header_and_zero_counts(manager, pdf):
    pages = pdf.pages_text(documents.visits_pdf(DAY, DAY, manager))
    assert len(pages) == 1
    text = pdf.squeeze(pages[0])
    assert pdf.squeeze(_("Nothing to print.")) in text
    assert pdf.squeeze("合计 0：来访 0 · 来电 0") in text


@pytest.fixture
def big_register(manager) -> list[str]:
    """1,000 visitors registered out of order; their names in order of arrival."""
    order = list(range(VISITORS))
    random.Random(5).shuffle(order)
    Visit.insert_many([
        {"name": f"访客{i:04d}", "phone": f"138{i:08d}", "purpose": "看车" if i % 2 else "咨询",
         "channel": "call" if i % 4 == 0 else "visit", "source": "visit",
         "arrived_at": dt.datetime.combine(DAY, dt.time(8)) + dt.timedelta(seconds=36 * i)}
        for i in order
    ]).execute()
    return [f"{i:04d}" for i in range(VISITORS)]


def test_every_line_of_a_1000_visit_register_prints_once_in_order_under_its_header(
        manager, big_register, pdf):
    pages = pdf.pages_text(documents.visits_pdf(DAY, DAY, manager))
    assert [n for page in pages for n in NUMBERED.findall(page)] == big_register
    assert VISITORS / 60 < len(pages) < VISITORS / 25
    headings = ["来人来电登记表", "本分公司", _("Date: {date}").format(date="2026-04-01"),
                _("Arrival"), _("Channel"), _("Visitor"), _("Phone"), _("Purpose"),
                _("Archive no."), _("Departure"),
                _("Printed by {user} at {time}").format(user=manager.name, time="")]
    for number, page in enumerate(pages, start=1):
        text = pdf.squeeze(page)
        for heading in headings:
            assert pdf.squeeze(heading) in text, (number, heading)
        assert pdf.squeeze(_("Page {page} of {pages}").format(page=number, pages=len(pages))
                           ) in text
    counts = pdf.squeeze("合计 1000：来访 750 · 来电 250；首访 1000，回访 0")
    assert counts in pdf.squeeze(pages[-1])


def test_phones_print_masked_where_the_printer_may_not_read_the_card(
        desk, manager, salesperson, pdf):
    secret = saved_customer(salesperson, "钱七", mark="secret")
    ordinary = saved_customer(salesperson, "孙八", mobile="13900139001")
    visit("钱七", 0, customer=secret, phone="13912345678", returning=True)
    visit("孙八", 5, customer=ordinary, phone="13712345678", returning=True)
    visit("周九", 10, phone="13612345678")  # no archive: printed as the desk wrote it
    by_desk = text_of(documents.visits_pdf(DAY, DAY, desk), pdf)
    assert "139****5678" in by_desk
    assert "137****5678" in by_desk
    assert "13612345678" in by_desk
    by_manager = text_of(documents.visits_pdf(DAY, DAY, manager), pdf)
    assert "139****5678" in by_manager  # 绝密: only its owner and the people named on it
    assert "13712345678" in by_manager


def test_a_salesperson_may_not_print_the_register(salesperson, days_visits):
    with pytest.raises(PermissionDenied):
        printouts.visit_rows(DAY, DAY, salesperson)
    with pytest.raises(PermissionDenied):
        documents.visits_pdf(DAY, DAY, salesperson)
    assert not AuditEntry.select().where(AuditEntry.action == "print").exists()


def crmdesk(path, *args: str) -> int:
    return main([*location_options(path), *args])


def test_print_visits_writes_the_days_register(archive, days_visits, tmp_path, pdf):
    target = tmp_path / "visits.pdf"
    assert crmdesk(archive, "print", "visits", "--date", "2026-04-01", "-o", str(target)) == 0
    text = text_of(target.read_bytes(), pdf)
    assert "来人来电登记表" in text
    assert "欧阳一鸣" in text
    assert "赵六" not in text


def test_print_visits_takes_a_range_and_today_by_default(archive, tmp_path, pdf):
    visit("吴十", 0, day=dt.date.today())
    visit("郑一", 0, day=dt.date(2026, 3, 30))
    today = tmp_path / "today.pdf"
    assert crmdesk(archive, "print", "visits", "-o", str(today)) == 0
    assert "吴十" in text_of(today.read_bytes(), pdf)
    ranged = tmp_path / "range.pdf"
    assert crmdesk(archive, "print", "visits", "--from", "2026-03-30", "--to", "2026-04-01",
                   "-o", str(ranged)) == 0
    text = text_of(ranged.read_bytes(), pdf)
    assert "郑一" in text
    assert "吴十" not in text


def test_print_visits_refuses_a_day_and_a_range_together(archive, tmp_path, capsys):
    target = tmp_path / "visits.pdf"
    code = crmdesk(archive, "print", "visits", "--date", "2026-04-01", "--from", "2026-03-01",
                   "-o", str(target))
    assert code == 2
    assert "--date" in capsys.readouterr().err
    assert not target.exists()

"""The audit page speaks the office's language: actions by name, details as a line with
names and archive numbers, filters chosen from lists, times shown whole."""
from __future__ import annotations

import re
from pathlib import Path

from crmdesk.models import Staff
from crmdesk.services import accounts, customers
from crmdesk.services.audit_text import ACTION_TITLES, Describer, action_title
from crmdesk.services.context import Actor
from crmdesk.ui.pages.audit_view import AuditPage

PACKAGE = Path(__file__).resolve().parents[2] / "crmdesk"


def test_every_audited_action_has_a_name(archive):
    used = set()
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r'audit\.record\(\s*[^,]+,\s*"([a-z_]+)"', text))
        used |= {f"ownership_{k}" for k in re.findall(r'record_change\([^)]*"([a-z]+)"', text)}
    assert used
    assert used - ACTION_TITLES.keys() == set()


def test_details_name_people_instead_of_ids(archive, manager):
    seller = Staff.create(name="王强", username="wq", roles="sales")
    line = Describer().describe("ownership_transfer", {"old": manager.staff_id,
                                                       "new": seller.id, "reason": "离职交接"})
    assert "赵经理" in line and "王强" in line and "离职交接" in line
    assert str(seller.id) not in line.replace("离职交接", "")
    line = Describer().describe("register_visit", {"visit": 3, "channel": "visit",
                                                   "salesperson": seller.id, "created": True})
    assert "王强" in line and "来访" in line and "salesperson" not in line


def test_the_page_shows_names_and_filters_by_lists(qtbot, archive, manager, boxes):
    seller = Actor.of(Staff.create(name="王强", username="wq", roles="sales"))
    card = customers.new_card(manager)
    card.values.update(name="张三", mobile="13800138000")
    number = customers.save_card(card, manager, accept_incomplete=True).archive_no
    accounts.set_roles(None, seller.staff_id, ("sales",))
    page = AuditPage(manager)
    qtbot.addWidget(page)
    page.show()
    page.reload()
    titles = {page.action.itemText(i) for i in range(page.action.count())}
    assert action_title("create") in titles and action_title("set_roles") in titles
    assert "赵经理" in [page.person.itemText(i) for i in range(page.person.count())]
    page.action.setCurrentIndex(page.action.findData("create"))
    page.reload()
    assert page.table.rowCount() == 1
    assert page.table.item(0, 3).text() == action_title("create")
    assert page.table.item(0, 4).text() == number
    assert "{" not in page.table.item(0, 5).text()
    when = page.table.item(0, 1).text()
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", when)
    needed = page.table.fontMetrics().horizontalAdvance(when)
    assert page.table.columnWidth(1) >= needed
    page.action.setCurrentIndex(page.action.findData("set_roles"))
    page.reload()
    assert page.table.rowCount() == 1 and "王强" in page.table.item(0, 5).text()

"""The managers' list of suspected leaks: every report, newest first, for managers only."""
from __future__ import annotations

import datetime as dt

import pytest

from crmdesk.services import confidentiality, customers
from crmdesk.services.accounts import PermissionDenied


def test_managers_list_every_leak_report_newest_first(manager, salesperson):
    card = customers.new_card(manager)
    card.values.update(name="张三")
    customer_id = customers.save_card(card, manager, accept_incomplete=True).customer_id
    confidentiality.report_leak("名单外泄", "客户告知", salesperson,
                                dt.datetime(2026, 3, 1, 9, 0), customer_id)
    confidentiality.report_leak("复印件遗失", "盘点发现", manager)
    rows = confidentiality.leak_reports(manager)
    assert [(r.what, r.reporter, r.archive_no != "") for r in rows] == [
        ("复印件遗失", "赵经理", False), ("名单外泄", "王强", True)]
    assert rows[1].happened_at == dt.datetime(2026, 3, 1, 9, 0)


def test_a_salesperson_may_not_read_the_leak_reports(salesperson):
    with pytest.raises(PermissionDenied):
        confidentiality.leak_reports(salesperson)

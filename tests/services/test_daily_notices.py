"""Notices of the day (follow-ups due, customers about to lapse) and of customers handed over."""
from __future__ import annotations

import datetime as dt

import pytest

from crmdesk import i18n
from crmdesk.models import Notice
from crmdesk.services import daily_notices, notices
from crmdesk.services.ownership import transfer

DAY = dt.date(2026, 2, 27)




@pytest.fixture
def busy_day(add_customer, backdate, salesperson, level_ids) -> None:
    """王强 has two customers due on DAY and one lapsing to the pool on 2026-03-03."""
    for _n in range(2):
        backdate(add_customer(salesperson, level=level_ids["C"]),
                    dt.datetime.combine(DAY - dt.timedelta(days=7), dt.time(9)))
    backdate(add_customer(salesperson, level=level_ids["C"]), dt.datetime(2026, 1, 1, 9))


def test_the_days_notices_are_left_once_however_often_one_logs_in(busy_day, salesperson):
    i18n.set_language("en")
    assert daily_notices.post_daily(salesperson, DAY) == 2
    assert daily_notices.post_daily(salesperson, DAY) == 0
    texts = sorted(row.text for row in notices.notices_for(salesperson))
    assert texts == [
        "1 of your customers goes to the public pool within 7 days unless followed up",
        "2 of your customers are due for a follow-up today"]
    assert notices.unread_count(salesperson) == 2


def test_a_notice_read_today_is_not_left_again_today_but_tomorrow_brings_new_ones(
        busy_day, salesperson):
    daily_notices.post_daily(salesperson, DAY)
    for row in notices.notices_for(salesperson):
        notices.mark_read(row.id, salesperson)
    assert daily_notices.post_daily(salesperson, DAY) == 0
    assert notices.unread_count(salesperson) == 0
    assert daily_notices.post_daily(salesperson, DAY + dt.timedelta(days=1)) == 1  # lapsing
    assert Notice.select().where(Notice.recipient == salesperson.staff_id).count() == 3


def test_two_desks_of_one_person_never_leave_the_days_notice_twice(busy_day, salesperson):
    daily_notices.post_daily(salesperson, DAY)
    # A second desk that counted before the first one wrote inserts the same notices.
    Notice.delete().where(Notice.kind == "lapsing").execute()
    assert daily_notices.post_daily(salesperson, DAY) == 1
    assert Notice.select().where(Notice.kind == "due_today").count() == 1


def test_nobody_is_told_of_nothing(archive, lina):
    assert daily_notices.post_daily(lina, DAY) == 0
    assert daily_notices.post_daily(None, DAY) == 0
    assert notices.notices_for(lina) == []


def test_customers_handed_over_are_announced_to_their_new_owner(
        add_customer, salesperson, lina, manager):
    i18n.set_language("en")
    first, second, third = (add_customer(salesperson) for _n in range(3))

    transfer([first], lina.staff_id, "王强调岗", manager)
    transfer([first, second, third], lina.staff_id, "全部交接", manager)

    latest, earlier = notices.notices_for(lina)
    assert earlier.customer_id == first
    assert earlier.text.startswith("赵经理 handed you 张三 (") and earlier.text.endswith(
        "): 王强调岗")
    assert latest.customer_id is None
    assert latest.text == "赵经理 handed you 2 customers: 全部交接"  # one was hers already


def test_a_manager_taking_customers_over_is_not_told_of_it(add_customer, salesperson, manager):
    transfer([add_customer(salesperson)], manager.staff_id, "接手", manager)
    assert notices.notices_for(manager) == []

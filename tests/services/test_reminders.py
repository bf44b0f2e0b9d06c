"""Reminders: birthdays to greet, dormant customers, archives with important fields empty."""
from __future__ import annotations

import datetime as dt

from crmdesk.models import Customer
from crmdesk.services import customers, reminders
from crmdesk.services import settings as office_settings
from crmdesk.services.contacts import Contact, log_contact


def test_birthdays_of_customer_spouse_and_child_in_the_next_seven_days(add_customer, level_ids):
    today = dt.date(2026, 6, 10)
    cid = add_customer(name="李雷", birth_date=dt.date(1980, 6, 10), spouse_name="韩梅梅",
                       spouse_birth_date=dt.date(1982, 6, 16), children="李小雷",
                       child_birth_date=dt.date(2010, 6, 17))
    found = reminders.birthdays(today)
    assert [(b.whose, b.person, b.days_until, b.turning) for b in found] == [
        ("customer", "李雷", 0, 46), ("spouse", "韩梅梅", 6, 44)]
    assert found[1].whose_label == "配偶生日" and found[0].customer_id == cid
    assert [b.whose for b in reminders.birthdays(today + dt.timedelta(days=1))] == [
        "spouse", "child"]


def test_birthdays_across_the_new_year_and_on_29_february(add_customer):
    add_customer(name="新年", birth_date=dt.date(1990, 1, 2))
    add_customer(name="闰日", birth_date=dt.date(1992, 2, 29))
    new_year = reminders.birthdays(dt.date(2025, 12, 28))
    assert [(b.person, b.occurs_on, b.turning) for b in new_year] == [
        ("新年", dt.date(2026, 1, 2), 36)]
    plain_year = reminders.birthdays(dt.date(2025, 2, 25))
    assert [(b.person, b.occurs_on) for b in plain_year] == [("闰日", dt.date(2025, 2, 28))]
    leap_year = reminders.birthdays(dt.date(2028, 2, 25))
    assert [(b.person, b.occurs_on) for b in leap_year] == [("闰日", dt.date(2028, 2, 29))]
    assert reminders.birthdays(dt.date(2025, 3, 1)) == []


def test_an_organisations_opening_day_joins_the_birthdays_as_its_anniversary(add_customer):
    cid = add_customer(kind="organisation", name="丸石商贸有限公司",
                       opening_date=dt.date(2016, 6, 12), mobile="13900139000")

    [anniversary] = reminders.birthdays(dt.date(2026, 6, 10))

    assert (anniversary.customer_id, anniversary.whose, anniversary.person,
            anniversary.turning, anniversary.days_until) == (cid, "opening", "丸石商贸有限公司",
                                                             10, 2)
    assert anniversary.whose_title == "店庆"


def incomplete(complete_card, actor, **values) -> int:
    """Save a card with some important fields left empty, as the user may after the warning."""
    card = complete_card(actor, **values)
    return customers.save_card(card, actor, accept_incomplete=True).customer_id


def test_lost_customers_get_no_reminders(complete_card, salesperson):
    incomplete(complete_card, salesperson, birth_date=dt.date(1980, 6, 10), status="lost",
               needs=None)
    assert reminders.birthdays(dt.date(2026, 6, 10)) == []
    assert reminders.incomplete_archives() == []


def test_dormant_after_the_set_number_of_days(add_customer, salesperson):
    quiet = add_customer(name="沉睡")
    never = add_customer(name="未联系")
    Customer.update(created_at=dt.datetime(2025, 12, 1, 9)).execute()
    log_contact(quiet, Contact(dt.datetime(2026, 1, 1, 10), "phone", "电话"), salesperson)
    assert reminders.dormant(dt.date(2026, 2, 28)) == []  # 89 days since registering
    rows = reminders.dormant(dt.date(2026, 3, 31))  # 89 days since the contact
    assert [(r.customer_id, r.days_since, r.last_contact_at) for r in rows] == [
        (never, 120, None)]
    rows = reminders.dormant(dt.date(2026, 4, 1))
    assert [(r.name, r.days_since) for r in rows] == [("未联系", 121), ("沉睡", 90)]
    assert reminders.dormant_count(dt.date(2026, 4, 1)) == 2
    office_settings.put("dormant_days", 30)
    assert reminders.dormant_count(dt.date(2026, 1, 31)) == 2
    assert reminders.dormant_count(dt.date(2026, 1, 30)) == 1
    assert reminders.dormant_count(dt.date(2026, 1, 31), days=10_000) == 0


def test_incomplete_archives_name_the_missing_fields_per_owner(add_customer, complete_card,
                                                               manager, salesperson):
    complete = add_customer()
    person = incomplete(complete_card, salesperson, mobile=None, employer=None, consent=None)
    company = incomplete(complete_card, manager, kind="organisation", name="华信科技有限公司",
                         address=" ", needs=None)
    rows = {r.customer_id: r for r in reminders.incomplete_archives()}
    assert complete not in rows
    assert rows[person].missing == ("consent", "mobile", "employer")
    assert rows[person].missing_labels == ("同意建档", "手机", "工作单位")
    assert rows[company].missing == ("address", "needs")
    assert [r.customer_id for r in reminders.incomplete_archives(owner_id=manager.staff_id)] == [
        company]
    assert [r.customer_id for r in reminders.incomplete_archives(actor=salesperson)] == [person]
    by_owner = {c.owner_name: c.count for c in reminders.incomplete_by_owner()}
    assert by_owner == {"王强": 1, "赵经理": 1}

"""Archive numbers (档案编号): assigned on the first save, unique, never handed out twice."""
from __future__ import annotations

import datetime as dt
import re

from crmdesk.models import Customer
from crmdesk.services import customers
from crmdesk.services.numbering import format_archive_no, reserve_archive_numbers

ARCHIVE_NO = re.compile(r"KH(\d{4})(\d{6})")


def test_archive_number_is_kh_the_year_and_six_digits():
    assert format_archive_no(2026, 123) == "KH2026000123"


def test_first_save_assigns_an_archive_number_of_this_year(add_customer):
    customer_id = add_customer()
    number = Customer.get_by_id(customer_id).archive_no
    match = ARCHIVE_NO.fullmatch(number)
    assert match is not None
    assert int(match.group(1)) == dt.date.today().year
    assert int(match.group(2)) == 1


def test_archive_number_stays_when_the_card_is_saved_again(add_customer, salesperson):
    customer_id = add_customer()
    number = Customer.get_by_id(customer_id).archive_no
    card = customers.get_card(customer_id)
    card.values["notes"] = "再次保存"
    result = customers.save_card(card, salesperson)
    assert result.archive_no == number
    assert Customer.get_by_id(customer_id).archive_no == number


def test_every_customer_gets_a_different_number_in_order(add_customer):
    ids = [add_customer(name=f"客户{i}") for i in range(12)]
    numbers = [Customer.get_by_id(i).archive_no for i in ids]
    assert len(set(numbers)) == len(numbers)
    assert numbers == sorted(numbers)
    assert all(ARCHIVE_NO.fullmatch(n) for n in numbers)


def test_number_of_a_deleted_customer_is_never_reused(add_customer):
    add_customer(name="张三")
    newest = add_customer(name="李四")
    deleted_number = Customer.get_by_id(newest).archive_no
    Customer.get_by_id(newest).delete_instance()

    replacement = add_customer(name="王五")
    number = Customer.get_by_id(replacement).archive_no
    assert number != deleted_number
    assert number > deleted_number
    assert int(number[-6:]) == int(deleted_number[-6:]) + 1


def test_reserved_numbers_run_on_from_the_last_one(archive):
    first = reserve_archive_numbers(3, dt.date(2026, 5, 6))
    second = reserve_archive_numbers(2, dt.date(2027, 1, 2))
    assert first == ["KH2026000001", "KH2026000002", "KH2026000003"]
    assert second == ["KH2027000004", "KH2027000005"]

"""Field kinds: how typed or imported text becomes a stored value, and how it reads back."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from crmdesk import i18n
from crmdesk.models import parsers
from crmdesk.models.fieldtypes import Kind, display_text, parse_text


@pytest.fixture
def english():
    i18n.set_language("en")


@pytest.mark.parametrize(
    "typed",
    ["2023-05-06", "2023/5/6", "2023.5.6", "2023年5月6日", "2023年05月06日", "20230506",
     " 2023-5-6 ", "２０２３－０５－０６", "2023 年 5 月 6 日"],
)
def test_a_day_written_year_first_in_any_office_style_is_understood(typed):
    assert parsers.parse_date(typed) == dt.date(2023, 5, 6)


@pytest.mark.parametrize("typed", ["2023-02-30", "2023-13-01", "2023年4月31日", "20230230",
                                   "2023.0.10", "2023-2-29"])
def test_impossible_day_is_refused(english, typed):
    with pytest.raises(parsers.ValueProblem, match="no such day"):
        parsers.parse_date(typed)


def test_leap_day_is_a_real_day():
    assert parsers.parse_date("2024-2-29") == dt.date(2024, 2, 29)


@pytest.mark.parametrize("typed", ["6/5/2023", "05-06", "yesterday", "2023-5", "2023056"])
def test_date_not_written_year_month_day_is_refused_with_an_example(english, typed):
    with pytest.raises(parsers.ValueProblem, match="2023-05-06"):
        parsers.parse_date(typed)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("1200", "1200.00"), ("12,345.6", "12345.60"), ("¥1200", "1200.00"), ("￥88.5元", "88.50"),
     ("0.005", "0.01"), ("2.345", "2.35"), ("１２３", "123.00"), ("0", "0.00")],
)
def test_amount_becomes_a_decimal_with_two_places(typed, stored):
    value = parsers.parse_money(typed)
    assert isinstance(value, Decimal)
    assert value == Decimal(stored)
    assert value.as_tuple().exponent == -2


@pytest.mark.parametrize("typed", ["-1", "-0.01", "¥-500"])
def test_negative_amount_is_refused(english, typed):
    with pytest.raises(parsers.ValueProblem, match="negative"):
        parsers.parse_money(typed)


@pytest.mark.parametrize("typed", ["abc", "12元5角", "NaN", "Infinity", "1e99"])
def test_text_that_is_no_amount_is_refused(english, typed):
    with pytest.raises(parsers.ValueProblem, match="not an amount"):
        parsers.parse_money(typed)


def test_amount_is_displayed_with_thousands_and_two_places():
    assert display_text(Kind.MONEY, Decimal("1234567.5")) == "1,234,567.50"


@pytest.mark.parametrize("typed", ["zhang@example.com", " li.si+crm@mail.example.cn "])
def test_email_address_is_kept_trimmed(typed):
    assert parsers.parse_email(typed) == typed.strip()


@pytest.mark.parametrize("typed", ["zhang", "zhang@", "@example.com", "zhang@example",
                                   "zhang san@example.com", "a@b.c"])
def test_malformed_email_is_refused(english, typed):
    with pytest.raises(parsers.ValueProblem, match="e-mail"):
        parsers.parse_email(typed)


@pytest.mark.parametrize(("typed", "value"), [("0", 0), ("100", 100), ("35%", 35), ("３５％", 35)])
def test_percentage_from_0_to_100_is_accepted(typed, value):
    assert parsers.parse_percent(typed) == value


@pytest.mark.parametrize("typed", ["101", "-1", "150%"])
def test_percentage_outside_0_to_100_is_refused(english, typed):
    with pytest.raises(parsers.ValueProblem, match="between 0 and 100"):
        parsers.parse_percent(typed)


def test_percentage_is_displayed_with_its_sign():
    assert display_text(Kind.PERCENT, 35) == "35%"


@pytest.mark.parametrize("typed", ["是", "Y", "yes", "TRUE", "1", "√", "同意", "有"])
def test_yes_words_read_as_true(typed):
    assert parsers.parse_bool(typed) is True


@pytest.mark.parametrize("typed", ["否", "n", "No", "false", "0", "×", "不同意", "无"])
def test_no_words_read_as_false(typed):
    assert parsers.parse_bool(typed) is False


def test_other_words_are_no_answer(english):
    with pytest.raises(parsers.ValueProblem, match="yes or no"):
        parsers.parse_bool("也许")


def test_whole_numbers_allow_thousands_separators_and_full_width_digits():
    assert parsers.parse_integer("1,200") == 1200
    assert parsers.parse_integer("１２０") == 120
    with pytest.raises(parsers.ValueProblem):
        parsers.parse_integer("12.5")


def test_empty_text_is_no_value_for_every_kind():
    for kind in Kind:
        assert parse_text(kind, "  ") is None
        assert parse_text(kind, None) is None


def test_phone_problem_reaches_the_form_as_a_value_problem(english):
    with pytest.raises(parsers.ValueProblem, match="area code"):
        parse_text(Kind.PHONE, "65529988")


def test_parse_text_dispatches_on_the_kind():
    assert parse_text(Kind.DATE, "2023年5月6日") == dt.date(2023, 5, 6)
    assert parse_text(Kind.MOBILE, "+86 138-0013-8000") == "13800138000"
    assert parse_text(Kind.MONEY, "1,000") == Decimal("1000.00")
    assert parse_text(Kind.TEXT, "  张三 ") == "张三"


def test_stored_values_read_back_as_people_write_them(english):
    assert display_text(Kind.MOBILE, "13800138000") == "138 0013 8000"
    assert display_text(Kind.DATE, dt.date(2023, 5, 6)) == "2023-05-06"
    assert display_text(Kind.BOOL, True) == "Yes"
    assert display_text(Kind.BOOL, False) == "No"
    assert display_text(Kind.TEXT, None) == ""

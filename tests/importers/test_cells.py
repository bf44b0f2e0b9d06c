"""Cleaning single cells: what spreadsheets do to phones, dates and choices."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from crmdesk import i18n
from crmdesk.importers.cells import Lookups, clean_cell, excel_serial
from crmdesk.models.card import FIELDS
from crmdesk.models.parsers import ValueProblem

NOBODY = Lookups()


def clean(field: str, value: object, date1904: bool = False) -> object:
    return clean_cell(FIELDS[field], value, NOBODY, date1904)


@pytest.fixture(autouse=True)
def _english():
    i18n.set_language("en")


@pytest.mark.parametrize("value", [13800138000.0, 13800138000, "13800138000.0",
                                   "１３８００１３８０００", "+86 138-0013-8000",
                                   "1.3800138000E+10"])
def test_a_mobile_survives_every_way_a_sheet_holds_it(value):
    assert clean("mobile", value) == "13800138000"


def test_a_mobile_excel_shortened_to_scientific_notation_is_refused():
    with pytest.raises(ValueProblem, match="last digits are lost"):
        clean("mobile", "1.38001E+10")


@pytest.mark.parametrize("value", ["2023-05-06", "2023/05/06", "2023.5.6", "2023年5月6日",
                                   "20230506", 20230506, "2023-05-06 00:00:00",
                                   dt.datetime(2023, 5, 6, 9, 30), dt.date(2023, 5, 6),
                                   "2023/5/6", "２０２３－０５－０６"])
def test_a_date_in_any_office_form(value):
    assert clean("birth_date", value) == dt.date(2023, 5, 6)


def test_day_or_month_first_is_read_when_only_one_reading_is_a_day():
    assert clean("birth_date", "25/06/2023") == dt.date(2023, 6, 25)
    assert clean("birth_date", "06/25/2023") == dt.date(2023, 6, 25)
    assert clean("birth_date", "06/06/2023") == dt.date(2023, 6, 6)


def test_an_ambiguous_day_and_month_is_an_error_not_a_guess():
    with pytest.raises(ValueProblem, match="day first or month first"):
        clean("birth_date", "05/06/2023")


def test_excel_serials_in_both_date_systems():
    assert clean("birth_date", 45052) == dt.date(2023, 5, 6)
    assert clean("birth_date", 45052 - 1462, date1904=True) == dt.date(2023, 5, 6)
    assert excel_serial(59, False) == dt.date(1900, 2, 28)
    assert excel_serial(61, False) == dt.date(1900, 3, 1)
    with pytest.raises(ValueProblem):
        excel_serial(60, False)


def test_choices_match_their_chinese_or_english_label_or_key():
    assert clean("source", "转介绍") == clean("source", "Referral") == "referral"
    assert clean("source", " REFERRAL ") == "referral"
    assert clean("education", "高中") == "senior"  # one part of 高中/中专
    assert clean("purchase_factors", "价格、Quality，service") == "price,quality,service"
    with pytest.raises(ValueProblem, match="choose from"):
        clean("source", "路过")


def test_numbers_amounts_and_shares():
    assert clean("fixed_assets", 1234.5) == Decimal("1234.50")
    assert clean("fixed_assets", "¥1,234.50") == Decimal("1234.50")
    assert clean("employees", 120.0) == 120
    assert clean("market_share", 0.35) == 35  # a cell formatted as 35%
    assert clean("market_share", "35%") == 35
    assert clean("consent", True) is True
    assert clean("consent", "是") is True
    with pytest.raises(ValueProblem):
        clean("employees", 12.5)


def test_text_fields_keep_numbers_as_typed():
    assert clean("postcode", 200000.0) == "200000"
    assert clean("name", "  张三 ") == "张三"
    assert clean("name", None) is None


def test_staff_and_levels_by_name_or_code():
    lookups = Lookups(staff={"王强": 7, "wq": 7}, levels={"a": 3, "a级": 3}, level_codes=("A",))
    assert clean_cell(FIELDS["owner"], "王强", lookups) == 7
    assert clean_cell(FIELDS["level"], "Ａ级", lookups) == 3
    with pytest.raises(ValueProblem, match="no member of staff"):
        clean_cell(FIELDS["owner"], "李雷", lookups)
    with pytest.raises(ValueProblem, match="the levels are A"):
        clean_cell(FIELDS["level"], "Z", lookups)


def test_plain_mobiles_take_the_quick_path_to_the_same_stored_form():
    """Eleven plain digits skip the phone library only where it would give the same answer."""
    import random

    from crmdesk.models import phones

    rng = random.Random(11)
    samples = ["1" + "".join(rng.choice("0123456789") for _ in range(10)) for _ in range(3000)]
    samples += ["17901234567", "11012345678", "17400012345", "17406012345", "16100123456"]
    for text in samples:
        try:
            slow = phones._stored(phones._parse(text))
            mobile = phones._is_mainland_mobile(phones._parse(text))
        except phones.PhoneError:
            slow, mobile = None, False
        if phones._KNOWN_MOBILE.fullmatch(text):
            assert (slow, mobile) == (text, True), text
            assert phones.normalize_mobile(text) == phones.normalize_phone(text) == text

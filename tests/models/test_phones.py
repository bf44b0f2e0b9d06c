"""Phone numbers: every way people type one gives the same stored number and display form."""
from __future__ import annotations

import phonenumbers
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from crmdesk import i18n
from crmdesk.models.phones import (
    PhoneError,
    format_phone,
    mask_mobile,
    normalize_mobile,
    normalize_phone,
)


@pytest.fixture
def english():
    i18n.set_language("en")


@pytest.mark.parametrize(
    "typed",
    [
        "138 0013 8000",
        "13800138000",
        "+86 138-0013-8000",
        "+8613800138000",
        "0086 138 0013 8000",
        "008613800138000",
        "１３８００１３８０００",
        "＋８６ １３８ ００１３ ８０００",
        " 138-0013-8000 ",
    ],
)
def test_every_way_of_typing_a_mobile_stores_the_same_number(typed):
    assert normalize_mobile(typed) == "13800138000"
    assert normalize_phone(typed) == "13800138000"


@pytest.mark.parametrize(
    "typed", ["010-65529988", "(010) 6552 9988", "010 65529988", "+86 10 6552 9988",
              "０１０－６５５２９９８８"],
)
def test_fixed_line_with_area_code_is_stored_with_its_trunk_zero(typed):
    assert normalize_phone(typed) == "01065529988"


def test_fixed_line_outside_beijing_keeps_its_area_code():
    assert normalize_phone("0755-8888 6666") == "075588886666"


@pytest.mark.parametrize("typed", ["65529988", "6552 9988", "6552998"])
def test_fixed_line_without_area_code_is_refused_saying_so(english, typed):
    with pytest.raises(PhoneError, match="area code"):
        normalize_phone(typed)


@pytest.mark.parametrize("typed", ["1380013800", "138001380001", "12345678901"])
def test_mobile_with_wrong_digits_is_refused(english, typed):
    with pytest.raises(PhoneError, match="11 digits"):
        normalize_mobile(typed)


def test_fixed_line_is_not_accepted_as_a_mobile(english):
    with pytest.raises(PhoneError, match="mobile"):
        normalize_mobile("010-65529988")


@pytest.mark.parametrize("typed", ["abc", "电话", "++", "1"])
def test_text_that_is_no_number_is_refused(typed):
    with pytest.raises(PhoneError):
        normalize_phone(typed)


def test_number_abroad_keeps_its_country_code():
    assert normalize_mobile("+852 9123 4567") == "+85291234567"
    assert normalize_phone("00852 9123 4567") == "+85291234567"
    assert format_phone("+85291234567") == "+852 9123 4567"


def test_mobile_is_displayed_in_groups_of_three_four_four():
    assert format_phone("13800138000") == "138 0013 8000"


def test_fixed_line_is_displayed_with_its_area_code_apart():
    assert format_phone("01065529988") == "010 6552 9988"
    assert format_phone("075588886666") == "0755 8888 6666"


def test_empty_number_displays_as_nothing():
    assert format_phone(None) == ""
    assert format_phone("") == ""


def test_masked_mobile_hides_the_middle_digits():
    assert mask_mobile("13800138000") == "138****8000"
    assert mask_mobile(None) == ""


# Mainland mobile prefixes in service; the other eight digits are free.
_MOBILE_PREFIXES = ("130", "131", "132", "135", "136", "138", "139", "150", "151", "155",
                    "158", "176", "177", "186", "187", "188", "199")


def _styles(mobile: str) -> list[str]:
    """The ways a front desk types one mobile."""
    spaced = f"{mobile[:3]} {mobile[3:7]} {mobile[7:]}"
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in mobile)
    return [mobile, spaced, f"+86 {mobile[:3]}-{mobile[3:7]}-{mobile[7:]}", f"0086{mobile}",
            full_width]


@given(
    prefix=st.sampled_from(_MOBILE_PREFIXES),
    rest=st.integers(min_value=0, max_value=99_999_999),
)
def test_formatting_then_normalising_gives_the_same_stored_mobile(prefix, rest):
    mobile = f"{prefix}{rest:08d}"
    assume(phonenumbers.is_valid_number(phonenumbers.parse(mobile, "CN")))
    stored = normalize_mobile(mobile)
    assert stored == mobile
    shown = format_phone(stored)
    assert shown.replace(" ", "") == mobile
    assert normalize_mobile(shown) == stored
    assert normalize_phone(shown) == stored
    for typed in _styles(mobile):
        assert normalize_mobile(typed) == stored


def test_plain_fixed_lines_take_the_quick_path_to_the_same_stored_form():
    """Fixed lines written plainly skip the phone library only where it gives the same answer:
    every two- and three-digit area code, local numbers of seven and eight digits."""
    import random

    from crmdesk.models import phones

    rng = random.Random(12)
    samples = []
    for area in [f"{n}" for n in range(10, 100)] + [f"{n}" for n in range(100, 1000)]:
        for _ in range(6):
            local = str(rng.randint(2, 9)) + "".join(
                rng.choice("0123456789") for _ in range(rng.choice((6, 7))))
            samples.append(f"0{area}{rng.choice(('-', ' ', ''))}{local}")
    samples += ["010-65529988", "0755-88886666", "0138-00138000", "013800138000",
                "0179-01234567", "0110-1234567", "0120-12345678", "010-2345678"]
    quick = 0
    for text in samples:
        try:
            slow = phones._stored(phones._parse(text))
        except phones.PhoneError:
            slow = None
        fast = phones._known_fixed_line(text)
        if fast is not None:
            quick += 1
            assert fast == slow, text
        if slow is not None:
            assert phones.normalize_phone(text) == slow, text
    assert quick > 1000
    for typed in ("010-65529988", "021-62345678", "0755-88886666", "0571 88886666"):
        assert phones._known_fixed_line(typed) == typed.replace("-", "").replace(" ", "")

"""Line breaking for Chinese print: Latin words whole, punctuation rules, nothing lost."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmdesk.printing.fonts import font_name
from crmdesk.printing.wrap import NO_LINE_START, text_width, wrap_lines

SIZE = 9
MIXED = ("客户邮箱为 zhang.san@huaxin-tech.com.cn ,公司名称 Shanghai Huaxin International "
         "Technology Development Co., Ltd. 上海华信国际科技发展有限公司,网址 "
         "www.huaxin-international.com.cn 请联系。")


def lines_of(text: str, width: float) -> list[str]:
    return wrap_lines(text, font_name(), SIZE, width)


def no_space(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("width", [150, 200, 260, 330])
def test_latin_words_and_addresses_in_mixed_text_are_never_split(width):
    lines = lines_of(MIXED, width)
    for word in re.findall(r"[A-Za-z0-9@.\-]+", MIXED):
        if text_width(word, font_name(), SIZE) <= width:
            assert any(word in line for line in lines), (word, lines)


@pytest.mark.parametrize("width", [60, 150, 260])
def test_every_line_fits_and_no_character_is_lost(width):
    lines = lines_of(MIXED, width)
    assert all(text_width(line, font_name(), SIZE) <= width + 0.01 for line in lines)
    assert no_space("".join(lines)) == no_space(MIXED)


def test_chinese_breaks_between_any_two_characters():
    text = "上海华信国际科技发展有限公司" * 4
    lines = lines_of(text, 100)
    assert len(lines) > 1
    assert "".join(lines) == text
    assert all(text_width(line, font_name(), SIZE) <= 100.01 for line in lines)


def test_closing_punctuation_never_starts_a_line():
    text = "客户来电,询问价格。客户表示满意!" * 12
    for width in range(40, 200, 7):
        for line in lines_of(text, width)[1:]:
            assert line[0] not in NO_LINE_START, (width, line)


def test_closing_punctuation_after_a_space_stays_with_the_word_before():
    text = "请发邮件到 li.ming@huaxin-tech.com.cn 。谢谢" * 6
    for width in range(60, 240, 9):
        for line in lines_of(text, width):
            assert line[0] != "。", (width, line)


def test_opening_punctuation_never_ends_a_line():
    text = "交车前请确认(含配件)与《购车合同》条款" * 8
    for width in range(40, 200, 7):
        for line in lines_of(text, width)[:-1]:
            assert line[-1] not in "(《", (width, line)


def test_a_word_wider_than_the_column_breaks_after_its_punctuation():
    lines = lines_of("zhang.san.very.long.name@huaxin-international-technology.com.cn", 80)
    assert "".join(lines) == "zhang.san.very.long.name@huaxin-international-technology.com.cn"
    assert all(line[-1] in "@.-" for line in lines[:-1])


def test_line_breaks_in_the_text_are_kept():
    assert lines_of("第一行\n\n第三行", 300) == ["第一行", "", "第三行"]
    assert lines_of("", 100) == [""]
    assert lines_of(None, 100) == [""]


def test_three_thousand_characters_wrap_without_loss(long_record):
    lines = lines_of(long_record, 160)
    assert len(long_record) == 3000
    assert no_space("".join(lines)) == no_space(long_record)
    assert all(text_width(line, font_name(), SIZE) <= 160.01 for line in lines)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("客户华信科技abcXYZ019 .,@-,。(《)》\n")),
               max_size=200),
       st.integers(min_value=20, max_value=300))
def test_any_text_keeps_every_visible_character_in_order(text, width):
    lines = lines_of(text, width)
    assert no_space("".join(lines)) == no_space(text)
    widest_char = max((text_width(ch, font_name(), SIZE) for ch in text), default=0)
    for line in lines:
        assert text_width(line, font_name(), SIZE) <= max(width, widest_char) + 0.01

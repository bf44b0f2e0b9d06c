"""Search keys stored beside each customer: pinyin, initials, mobile tail, search text."""
from __future__ import annotations

import pytest

from crmdesk.models.search_keys import mobile_tail, pinyin_keys, search_text


@pytest.mark.parametrize(
    ("name", "keys"),
    [("张三", ("zhangsan", "zs")), ("欧阳娜娜", ("ouyangnana", "oynn")),
     ("上海恒通物流有限公司", ("shanghaihengtongwuliuyouxiangongsi", "shhtwlyxgs")),
     ("Apex 张", ("apexzhang", "az")), ("", ("", ""))],
)
def test_names_give_their_full_pinyin_and_initials(name, keys):
    assert pinyin_keys(name) == keys


def test_mobile_tail_is_the_last_four_digits():
    assert mobile_tail("13800138000") == "8000"
    assert mobile_tail("+85291234567") == "4567"
    assert mobile_tail(None) is None
    assert mobile_tail("123") is None


def test_search_text_joins_name_alias_and_company_in_one_folded_line():
    assert search_text("张三", None, "ＡＰＥＸ Holdings ") == "张三 | apex holdings"
    assert search_text(None, None, None) == ""

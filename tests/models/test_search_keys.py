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


# Surnames as offices write them, polyphonic ones included (单 shàn, 曾 zēng, 解 xiè, 区 ōu,
# 朴 piáo, 仇 qiú, 查 zhā, 乐 yuè) and compound ones.
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛"
    "郝龚邵万钱严覃武戴莫孔向汤单解区朴仇查乐盖缪翟尉燕葛柏隗"
)
_COMPOUND = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "万俟", "令狐", "长孙")
_GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰飞红鹏辉建国志文斌宇浩凯俊帆佳慧颖"
    "婷雪琳晨曦子涵梓轩思远一鸣欣怡雨萱博文晓东海波春梅长乐行重和朝发觉调都得"
)


def test_names_read_character_by_character_give_what_the_phrase_dictionary_gives():
    """The per-character table is used only when pypinyin would read the name that way."""
    import random

    from crmdesk.models import search_keys
    from crmdesk.services.demo import GIVEN, SURNAMES

    rng = random.Random(7)
    surnames = list(_SURNAMES + SURNAMES[:-2]) + list(_COMPOUND) + ["欧阳"]
    given = _GIVEN + GIVEN
    names = [s for s in surnames]
    names += [s + g for s in surnames for g in given]
    names += [rng.choice(surnames) + "".join(rng.choice(given) for _ in range(rng.choice((2, 3))))
              for _ in range(20_000)]
    names += ["张行长", "银行", "重庆", "单于", "长孙无忌", "曾参", "王 伟", "李Ａ", "𠀋", "〇"]
    quick = 0
    for name in names:
        fast = search_keys._per_character_keys(name)
        slow = search_keys._dictionary_keys(name)
        if fast is not None:
            quick += 1
            assert fast == slow, name
        assert search_keys.pinyin_keys(name) == slow, name
    assert quick > len(names) // 2

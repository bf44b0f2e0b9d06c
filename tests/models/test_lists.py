"""The registers' column lists: declared once, read the same by screen, Excel and paper."""
from __future__ import annotations

import datetime as dt

import pytest

from crmdesk.i18n import set_language
from crmdesk.models.lists import kinds
from crmdesk.models.lists.communications import CARD_OF_CONTACT, COMMUNICATION_LOG, PRINTED_LOG
from crmdesk.models.lists.customers import CUSTOMER_LIST
from crmdesk.models.lists.overdue import OVERDUE_LIST
from crmdesk.models.lists.visits import VISIT_REGISTER
from crmdesk.printing.logtable import log_grid, log_record

LISTS = (CUSTOMER_LIST, OVERDUE_LIST, VISIT_REGISTER, COMMUNICATION_LOG, PRINTED_LOG,
         CARD_OF_CONTACT)


@pytest.mark.parametrize("listed", LISTS, ids=lambda listed: listed.name)
@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_every_list_has_distinct_keys_and_a_heading_per_column(listed, language):
    set_language(language)
    try:
        assert len(set(listed.keys)) == len(listed)
        assert all(title.strip() for title in listed.titles())
    finally:
        set_language("zh_CN")


def test_a_kind_gives_the_text_on_screen_and_the_typed_cell():
    moment = dt.datetime(2026, 5, 1, 9, 30)
    assert (kinds.DAY.display(moment), kinds.DAY.cell(moment)) == ("2026-05-01", moment)
    assert kinds.MOMENT.display(moment) == "2026-05-01 09:30"
    assert kinds.TIME.display(moment) == "09:30"
    assert kinds.PHONE.display("13800138000") == "138 0013 8000"
    assert kinds.PHONE.display("138****8000") == "138****8000"
    assert kinds.PHONE.cell("13800138000") == "13800138000"
    assert (kinds.OVERDUE_DAYS.display(0), kinds.OVERDUE_DAYS.display(3)) == ("", "3")
    assert kinds.LAST_CONTACT.display(None) == "从未"
    assert kinds.ARCHIVE_NO.cell("") is None


def test_the_overdue_list_shows_a_method_by_its_label_everywhere():
    method = OVERDUE_LIST.columns[OVERDUE_LIST.keys.index("last_method")]
    assert method.kind.display("phone") == "电话"
    assert method.kind.cell("phone") == "电话"
    assert method.kind.display("gone") == "gone"


def test_the_printed_log_is_the_logs_columns_with_person_and_role_together():
    entry = {"seq": 3, "contacted_at": dt.datetime(2026, 4, 1, 10, 0), "method": "wechat",
             "person": "张三", "person_role": "决策者", "level": "A", "record": "谈价格",
             "conclusion": None, "next_follow_up": dt.date(2026, 4, 8), "recorded_by": "王强"}
    assert [c.label for c in log_grid().columns] == list(PRINTED_LOG.titles())
    assert log_record(entry) == ["3", "2026-04-01 10:00", "微信", "张三/决策者", "A", "谈价格", "",
                                 "2026-04-08", "王强"]
    assert COMMUNICATION_LOG.displayed(entry)[3:5] == ("张三", "决策者")

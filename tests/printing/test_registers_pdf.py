"""Registers: the roster of 10,000 rows complete and in order, headers on every page, the
overdue list by owner and one customer's log."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from crmdesk.i18n import _
from crmdesk.models.card import COMMUNICATION_COLUMNS, FIELDS
from crmdesk.printing import render
from crmdesk.printing.inputs import LogSheet, OverdueRow, PrintContext
from crmdesk.printing.logtable import log_grid

ROWS = 10_000
COLUMNS = ("archive_no", "name", "mobile", "company", "level", "status", "owner",
           "last_contact", "next_follow_up")
COMPANIES = ("华信科技有限公司", "Apex Trading (Shenzhen) Co., Ltd. 深圳分部",
             "北京中科鼎新电子技术发展有限公司", "")
ARCHIVE_NO = re.compile(r"KH2026\d{6}")


def roster_row(i: int) -> tuple[str, ...]:
    return (f"KH2026{i:06d}", "张伟" if i % 2 else "欧阳一鸣", f"138 0013 {i % 10000:04d}",
            COMPANIES[i % 4], "ABC"[i % 3], "跟进中", "王强", "2026-04-01", "2026-05-03")


@pytest.fixture(scope="module")
def big_roster(pdf) -> tuple[bytes, list[str]]:
    """A 10,000-row roster (rows made in memory, as the list service gives them) and the
    text of its pages; built once for the tests below."""
    context = PrintContext("上海分公司", "王强", dt.datetime(2026, 5, 1, 9, 30))
    rows = [roster_row(i) for i in range(1, ROWS + 1)]
    data = render.roster(COLUMNS, rows, "张", context)
    return data, pdf.quick_pages_text(data)


def test_quick_reading_matches_pypdf(context, pdf):
    data = render.roster(COLUMNS, [roster_row(i) for i in range(1, 121)], "张", context)
    quick, full = pdf.quick_pages_text(data), pdf.pages_text(data)
    assert len(quick) == len(full) >= 3
    assert [pdf.squeeze(page) for page in quick] == [pdf.squeeze(page) for page in full]


def test_a_10000_row_roster_prints_every_row_once_in_order(big_roster):
    _data, pages = big_roster
    found = [no for page in pages for no in ARCHIVE_NO.findall(page)]
    assert found == [f"KH2026{i:06d}" for i in range(1, ROWS + 1)]
    # About 40 rows a page: complete, and not one row per page either.
    assert ROWS / 60 < len(pages) < ROWS / 30


def test_every_roster_page_repeats_title_branch_filter_and_column_headings(big_roster, pdf):
    _data, pages = big_roster
    headings = [_("Customer roster"), "上海分公司", _("Filter: {text}").format(text="张"),
                _("Archive no."), FIELDS["name"].label, FIELDS["mobile"].label,
                FIELDS["owner"].label]
    for number, page in enumerate(pages, start=1):
        text = pdf.squeeze(page)
        for heading in headings:
            assert pdf.squeeze(heading) in text, (number, heading)
        footer = _("Page {page} of {pages}").format(page=number, pages=len(pages))
        assert pdf.squeeze(footer) in text
        assert pdf.squeeze(_("Printed by {user} at {time}").format(
            user="王强", time="2026-05-01 09:30")) in text


def test_an_empty_roster_still_prints_its_header(context, pdf):
    pages = pdf.pages_text(render.roster(COLUMNS, [], "", context))
    assert len(pages) == 1
    assert pdf.squeeze(_("Nothing to print.")) in pdf.squeeze(pages[0])
    assert pdf.squeeze(_("All customers")) in pdf.squeeze(pages[0])


def overdue_row(owner: str, i: int, days: int) -> OverdueRow:
    return OverdueRow(owner=owner, archive_no=f"KH2026{i:06d}", name=f"客户{i}",
                      mobile="13800138000", level="A", days_overdue=days,
                      last_contact=dt.date(2026, 4, 1), last_method="phone",
                      last_conclusion="约定下周到店", next_follow_up=dt.date(2026, 4, 20))


def test_the_overdue_list_groups_rows_by_owner(context, pdf):
    rows = ([overdue_row("王强", i, 30 - i) for i in range(1, 61)]
            + [overdue_row("李娜", i, 5) for i in range(61, 64)])
    data = render.overdue(rows, "截至 2026-05-01", context)
    text = pdf.squeeze("".join(pdf.pages_text(data)))
    first, second = text.index("王强60"), text.index("李娜3")
    assert first < second
    numbers = ARCHIVE_NO.findall(text)
    assert numbers == [r.archive_no for r in rows]
    assert text[first:].index("KH2026000001") < second
    assert text.index("KH2026000061") > second
    assert "电话" in text
    assert "约定下周到店" in text


def test_a_customers_log_prints_in_time_order_with_long_records_whole(context, contact, pdf,
                                                                      long_record):
    log = [contact(i, f"第{i}次联系") for i in range(1, 60)] + [contact(60, long_record)]
    sheet = LogSheet("KH2026000007", "张三", "王强", log)
    data = render.communication_log(sheet, context)
    pages = pdf.pages_text(data)
    assert len(pages) >= 3
    text = pdf.squeeze("".join(pages))
    positions = [text.index(f"第{i}次联系") for i in range(1, 60)]
    assert positions == sorted(positions)
    record_lines = log_grid().wrap_cell(long_record, 5)
    assert pdf.lines_in_order(data, record_lines)
    for page in pages:
        for column in ("record", "conclusion", "next_follow_up"):
            label = next(c.label for c in COMMUNICATION_COLUMNS if c.name == column)
            assert pdf.squeeze(label) in pdf.squeeze(page)
        assert "KH2026000007" in page
        assert "张三" in page


def test_the_lending_register_prints_every_loan_with_a_place_to_sign(archive, manager,
                                                                      salesperson, pdf):
    from crmdesk.services import confidentiality, customers, documents

    card = customers.new_card(manager)
    card.values.update(name="张三")
    customer_id = customers.save_card(card, manager, accept_incomplete=True).customer_id
    confidentiality.lend(customer_id, salesperson.staff_id, 2, "外出拜访客户", manager)

    text = " ".join(pdf.quick_pages_text(documents.loans_pdf(manager)))

    assert "外借登记册" in text
    for expected in ("王强", "外出拜访客户", "已借出", "归还签字"):
        assert expected in text

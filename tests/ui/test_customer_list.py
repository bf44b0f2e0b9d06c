"""The customer list: search as you type, lazy rows over a large archive."""
from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt

from crmdesk.models import Customer
from crmdesk.services import customers
from crmdesk.services.demo import build_demo
from crmdesk.services.search import ListQuery, SortKey, find_ids, first_screen
from crmdesk.ui.itemmodels import customer_table
from crmdesk.ui.itemmodels.customer_table import SORT_KEYS, CustomerTableModel
from crmdesk.ui.pages import customers as customers_page


def _add(manager, name: str, mobile: str) -> int:
    card = customers.new_card(manager)
    card.values.update(name=name, mobile=mobile)
    return customers.save_card(card, manager, accept_incomplete=True).customer_id


def _search(qtbot, window, text: str) -> list[str]:
    page = window.customers
    window.tasks.wait()
    qtbot.wait(10)  # let any earlier search deliver first
    with qtbot.waitSignal(page.searched, timeout=5000):
        page.search.setText(text)
    return [page.model.index(r, 1).data() for r in range(page.model.rowCount())]


def test_search_box_finds_by_pinyin_initials_and_last_four_digits(window, qtbot, manager):
    _add(manager, "张三", "13800138000")
    _add(manager, "李四", "13912345678")
    _add(manager, "张珊珊", "13600005678")

    assert sorted(_search(qtbot, window, "zs")) == ["张三", "张珊珊"]
    assert _search(qtbot, window, "zhangsan") == ["张三"]
    assert sorted(_search(qtbot, window, "5678")) == ["张珊珊", "李四"]
    assert _search(qtbot, window, "尾号8000") == ["张三"]
    assert window.customers.count.text().startswith("1")


@pytest.mark.usefixtures("inline_operations")  # the card opens before the call returns
def test_enter_in_the_search_box_opens_the_first_match(window, qtbot, manager):
    wanted = _add(manager, "王小明", "13700001111")
    page = window.customers
    page.search.setText("wxm")
    with qtbot.waitSignal(page.searched, timeout=5000):
        page.search.returnPressed.emit()
    assert window.card.customer_id == wanted


def test_saved_card_appears_in_the_list(window, qtbot):
    card = window.card
    card.editor("name").setText("孙八")
    with qtbot.waitSignal(window.customers.searched, timeout=5000):
        card.save()
    names = [window.customers.model.index(r, 1).data()
             for r in range(window.customers.model.rowCount())]
    assert names == ["孙八"]


@pytest.fixture
def big_archive(archive, manager):
    build_demo(20_000, seed=3)
    return archive


def test_list_of_20000_customers_reads_only_the_rows_shown(window, qtbot, big_archive,
                                                           monkeypatch, manager):
    fetched: list[int] = []
    real = customer_table.list_rows

    def counting(ids, actor=None):
        fetched.append(len(ids))
        return real(ids, actor)

    monkeypatch.setattr(customer_table, "list_rows", counting)
    page = window.customers
    with qtbot.waitSignal(page.searched, timeout=10000):
        page.reload()
    hidden = Customer.select().where((Customer.confidentiality == "secret")
                                     & (Customer.owner != manager.staff_id)).count()
    assert 0 < hidden < 1000  # top-secret cards of others stay out of a manager's list
    assert page.model.rowCount() == 20_000 - hidden
    qtbot.wait(50)
    assert sum(fetched) <= 2 * customer_table.PAGE

    page.view.scrollToBottom()
    bottom = page.model.index(page.model.rowCount() - 1, 0)
    qtbot.waitUntil(lambda: bottom.data() is not None)  # the page is read as an operation
    assert bottom.data().startswith("KH")
    assert sum(fetched) <= 4 * customer_table.PAGE


def test_header_click_sorts_in_sql(window, qtbot, manager):
    for name in ("周九", "艾一", "孟二"):
        _add(manager, name, None)
    page = window.customers
    with qtbot.waitSignal(page.searched, timeout=5000):
        page.view.horizontalHeader().setSortIndicator(1, page.view.horizontalHeader()
                                                      .sortIndicatorOrder().AscendingOrder)
    names = [page.model.index(r, 1).data() for r in range(3)]
    assert names == ["艾一", "孟二", "周九"]  # by pinyin: ai, meng, zhou


def test_customer_table_model_passes_the_model_checks(qtmodeltester, archive, manager):
    ids = [_add(manager, f"客户{i}", None) for i in range(5)]
    model = CustomerTableModel()
    model.set_ids(ids)
    qtmodeltester.check(model)


def test_the_model_reading_its_pages_as_operations_passes_the_model_checks(
        qtmodeltester, archive, manager, inline_operations):
    from crmdesk.ui.operations import Operations

    ids = [_add(manager, f"客户{i}", None) for i in range(5)]
    model = CustomerTableModel(actor=manager, operations=Operations())
    model.set_ids(ids)
    qtmodeltester.check(model)
    assert model.index(4, 1).data() == "客户4"


def test_a_new_search_shows_its_first_screen_before_the_whole_list_is_read(
        window, qtbot, manager, monkeypatch):
    build_demo(450, seed=3)
    page = window.customers
    window.tasks.wait()
    qtbot.wait(10)
    release, whole_read = threading.Event(), threading.Event()

    def held_whole_list(query: ListQuery, actor=None) -> list[int]:
        release.wait(10)  # the worker holds the whole list back until the test has looked
        ids = find_ids(query, actor)
        whole_read.set()
        return ids

    monkeypatch.setattr(customers_page, "find_ids", held_whole_list)
    header = page.view.horizontalHeader()
    with qtbot.waitSignal(page.first_shown, timeout=10000):
        header.setSortIndicator(SORT_KEYS.index(SortKey.LEVEL), Qt.SortOrder.AscendingOrder)
    query = ListQuery(sort=SortKey.LEVEL)
    shown = [page.model.customer_id(row) for row in range(page.model.rowCount())]
    assert not whole_read.is_set()
    assert shown == first_screen(query, manager, customer_table.PAGE)
    assert page.model.index(0, 1).data()  # the rows came with the first screen
    assert page.count.text().startswith(f"{customer_table.PAGE}+")

    with qtbot.waitSignal(page.searched, timeout=10000):
        release.set()
    whole = [page.model.customer_id(row) for row in range(page.model.rowCount())]
    assert whole == find_ids(query, manager) and len(whole) > customer_table.PAGE
    assert page.count.text().startswith(str(len(whole)))

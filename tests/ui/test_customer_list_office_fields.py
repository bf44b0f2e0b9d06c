"""The customer list's office fields: a field a manager adds shows as a column when chosen in
the columns menu, and the list filters by its value."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from crmdesk.services import customers
from tests.office_field_samples import CLUB, add_fields

pytestmark = pytest.mark.usefixtures("inline_operations")


def _member(actor, name: str, club: str) -> int:
    card = customers.new_card(actor)
    card.values.update(name=name)
    card.office = {"club": club}
    return customers.save_card(card, actor, accept_incomplete=True).customer_id


def _column(page, title: str) -> list[str]:
    model = page.model
    horizontal = Qt.Orientation.Horizontal
    column = next(c for c in range(model.columnCount())
                  if model.headerData(c, horizontal) == title)
    return sorted(model.index(r, column).data() for r in range(model.rowCount()))


def _names(page) -> list[str]:
    return sorted(page.model.index(r, 1).data() for r in range(page.model.rowCount()))


@pytest.fixture
def page(window, manager):
    """The customer list of 张三 (golf) and 李四 (tennis), with the office's field 俱乐部."""
    add_fields(manager, CLUB)
    _member(manager, "张三", "golf")
    _member(manager, "李四", "tennis")
    shown = window.customers
    shown.office_filter.load()
    shown.reload()
    return shown


def test_a_manager_shows_an_office_field_as_a_column(page, qtbot):
    assert page.model.columnCount() == 9
    club, = page.office_filter.columns.menu().actions()
    club.setChecked(True)
    qtbot.waitUntil(lambda: page.model.columnCount() == 10)  # the rows shown are read again
    assert _column(page, "俱乐部") == ["网球", "高尔夫"]
    club.setChecked(False)
    qtbot.waitUntil(lambda: page.model.columnCount() == 9)


def test_the_list_filters_by_an_office_fields_value(page):
    assert page.office_filter.isVisibleTo(page)
    filter_ = page.office_filter
    filter_.field.setCurrentIndex(filter_.field.findData("club"))
    assert [filter_.value.itemText(i) for i in range(filter_.value.count())] == [
        "高尔夫", "网球"]
    filter_.value.setCurrentIndex(1)
    filter_.value.activated.emit(1)
    assert _names(page) == ["李四"]
    filter_.field.setCurrentIndex(0)
    assert _names(page) == ["张三", "李四"]


def test_without_office_fields_the_filter_stays_out_of_sight(window):
    assert not window.customers.office_filter.isVisibleTo(window.customers)


def test_a_click_on_an_office_fields_column_sorts_the_list_by_it(page, manager, qtbot):
    _member(manager, "王五", "golf")
    club, = page.office_filter.columns.menu().actions()
    club.setChecked(True)
    qtbot.waitUntil(lambda: page.model.columnCount() == 10)
    header = page.view.horizontalHeader()

    def shown() -> list[str]:
        return [page.model.index(r, 1).data() for r in range(page.model.rowCount())]

    header.setSortIndicator(9, Qt.SortOrder.DescendingOrder)  # 网球 after 高尔夫 in the list
    qtbot.waitUntil(lambda: shown()[:1] == ["李四"])
    assert shown() == ["李四", "王五", "张三"]  # ties in archive-number order, reversed too
    page.reload()  # the same sort on the next search
    assert shown()[0] == "李四"
    header.setSortIndicator(9, Qt.SortOrder.AscendingOrder)
    qtbot.waitUntil(lambda: shown()[-1] == "李四")
    header.setSortIndicator(1, Qt.SortOrder.AscendingOrder)  # back to a card field's column
    qtbot.waitUntil(lambda: shown() == ["李四", "王五", "张三"])  # by pinyin

"""The customer list's value filter: all, key, regular or occasional customers."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.services.test_search_by_value import buyer

pytestmark = pytest.mark.usefixtures("inline_operations")


def _names(page) -> list[str]:
    return sorted(page.model.index(r, 1).data() for r in range(page.model.rowCount()))


def test_choosing_a_value_grade_filters_the_list(window, manager):
    buyer(manager, "钱大户", 6, "20000")
    buyer(manager, "孙零散", 1, "800")
    page = window.customers
    page.reload()
    assert _names(page) == ["孙零散", "钱大户"]
    assert [page.grade.itemText(i) for i in range(page.grade.count())] == [
        "全部价值", "主力客户", "一般客户", "零散客户"]

    page.grade.setCurrentIndex(page.grade.findData("main"))
    assert _names(page) == ["钱大户"]
    page.grade.setCurrentIndex(page.grade.findData("general"))
    assert _names(page) == [] and page.count.text().startswith("0")
    page.grade.setCurrentIndex(0)
    assert _names(page) == ["孙零散", "钱大户"]


def test_sorting_keeps_the_grade_filter(window, manager):
    buyer(manager, "钱大户", 6, "20000")
    buyer(manager, "孙零散", 1, "800")
    page = window.customers
    page.grade.setCurrentIndex(page.grade.findData("scattered"))
    page.view.horizontalHeader().setSortIndicator(1, Qt.SortOrder.DescendingOrder)
    assert _names(page) == ["孙零散"]

"""The statistics page: a report read for a period shows its figures and chart, a number lists
what it counts and opens the card, the report exports to a workbook; a salesperson sees their
own figures only."""
from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from crmdesk.models import Customer, Staff, Visit
from crmdesk.services import levels, statistics
from crmdesk.ui.main_window import MainWindow
from crmdesk.ui.pages.statistics_page import StatisticsPage

pytestmark = pytest.mark.usefixtures("inline_operations")

DAY = dt.date(2026, 3, 10)


@pytest.fixture
def visits(manager, salesperson) -> dict[str, list[int]]:
    """Three walk-ins and a call in March (two received by the salesperson), one in April."""
    now = dt.datetime(2026, 3, 1, 9)
    customer = Customer.create(archive_no="KH2026000001", name="张三", created_at=now,
                               updated_at=now, owner=salesperson.staff_id, status="following")
    made: dict[str, list[int]] = {"march": [], "mine": []}
    for day, channel, staff in ((2, "visit", manager), (9, "visit", salesperson),
                                (10, "visit", manager), (31, "call", salesperson)):
        visit = Visit.create(arrived_at=dt.datetime(2026, 3, day, 10), channel=channel,
                             name="来客", phone="13800138000", party_size=2,
                             salesperson=staff.staff_id, customer=customer.id, returning=False)
        made["march"].append(visit.id)
        if staff is salesperson:
            made["mine"].append(visit.id)
    Visit.create(arrived_at=dt.datetime(2026, 4, 1, 10), channel="visit", name="来客",
                 phone="13800138001", salesperson=manager.staff_id, returning=False)
    made["customer"] = [customer.id]
    return made


def _page(window: MainWindow) -> StatisticsPage:
    page = window.findChild(StatisticsPage)
    assert page is not None
    return page


def _read(page: StatisticsPage, report: str = "visitors", by: str | None = "month") -> None:
    page.choose(report, "month", DAY, by)
    page.refresh()
    assert page.report is not None and page.report.name == report


def test_a_report_read_for_a_month_shows_its_figures_and_chart(window, visits):
    page = _page(window)
    window.pages.setCurrentWidget(page)
    _read(page)
    model = page.model
    assert model.headerData(1, Qt.Orientation.Horizontal) == "来访"
    assert [model.index(0, c).data() for c in (0, 1, 2)] == ["2026-03", "3", "1"]
    assert "来人来电统计" in page.heading.text() and "2026-03-01" in page.heading.text()
    assert page.chart.bar_values() == [[3.0], [1.0]]  # walk-ins and calls of March
    page.sections.setCurrentIndex(3)  # by receiving salesperson
    assert sorted(model.index(r, 0).data() for r in range(model.rowCount() - 1)) == [
        "王强", "赵经理"]


def test_a_number_lists_what_it_counts_and_opens_the_card(window, qtbot, visits):
    page = _page(window)
    _read(page)
    page.drill(page.model.index(0, 1))  # the month's walk-ins
    rows = page.drill_list.table
    assert rows.rowCount() == 3
    assert "3" in page.drill_list.heading.text()
    assert {rows.item(r, 4).text() for r in range(3)} == {"KH2026000001"}
    rows.chosen.emit(rows.key(0))
    qtbot.waitUntil(lambda: window.card.customer_id == visits["customer"][0], timeout=5000)


def test_a_label_or_an_average_lists_nothing(window, visits):
    page = _page(window)
    _read(page)
    assert page.drill(page.model.index(0, 0)) is None
    assert page.drill(page.model.index(0, 6)) is None  # people per party
    assert page.drill_list.table.rowCount() == 0


def test_export_writes_a_workbook_with_the_figures_shown(window, visits, tmp_path, monkeypatch):
    page = _page(window)
    _read(page)
    target = tmp_path / "来访统计"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *_a, **_k: (str(target), "Excel (*.xlsx)"))
    operation = page.export_report()
    assert operation is not None and operation.succeeded
    book = openpyxl.load_workbook(tmp_path / "来访统计.xlsx")
    cells = list(book.worksheets[0].iter_rows(values_only=True))
    march = next(row for row in cells if row and row[0] == "2026-03")
    assert march[1:3] == (3, 1)


def test_a_range_ending_before_it_starts_is_told_not_read(window, visits):
    page = _page(window)
    page.period.choose_range(dt.date(2026, 3, 31), dt.date(2026, 3, 1))
    assert page.refresh() is None
    assert "2026-03-01" in page.heading.text() and "2026-03-31" in page.heading.text()


def test_a_salesperson_sees_only_their_own_figures(qtbot, qapp, archive, salesperson, manager,
                                                   visits, boxes):
    own = MainWindow(salesperson, str(archive))
    qtbot.addWidget(own)
    page = _page(own)
    assert not page.salesperson.isVisibleTo(page)
    _read(page)
    total = page.model.section.rows[-1]
    assert total[1].value + total[2].value == len(visits["mine"])
    assert page.report.scope == "王强"


def test_a_manager_may_narrow_to_one_salesperson(window, visits, salesperson, manager):
    page = _page(window)
    page.reload()  # reads the staff list too
    assert page.salesperson.findData(salesperson.staff_id) > 0
    page.choose("visitors", "month", DAY, "month", salesperson.staff_id)
    page.refresh()
    total = page.model.section.rows[-1]
    listed = {row.id for figure in total[1:3] for row in statistics.drill(figure, manager)}
    assert listed == set(visits["mine"])


def test_the_front_desk_has_no_statistics_page(qtbot, archive, boxes):
    from crmdesk.services.context import Actor

    desk = Actor.of(Staff.create(name="李前台", username="desk", roles="frontdesk"))
    window = MainWindow(desk, str(archive))
    qtbot.addWidget(window)
    assert window.findChild(StatisticsPage) is None


def test_chart_labels_stay_short_enough_to_read():
    from crmdesk.ui.pages.statistics_chart import count_axis, short_labels

    days = [f"2026-03-{d:02d}" for d in range(1, 32)]
    assert short_labels(days)[:2] == ["01", "02"]
    assert short_labels(["2026-01", "2026-02"]) == ["01", "02"]
    assert short_labels(["2025-12", "2026-01"]) == ["2025-12", "2026-01"]
    assert short_labels(["深圳市某某贸易有限公司上海分公司"])[0].endswith("…")
    axis = count_axis(2120)
    assert (axis.max(), axis.tickInterval()) == (2500, 500)


def test_the_telesales_report_is_listed_only_with_the_telesales_scheme(qtbot, archive, manager):
    def listed() -> list[str]:
        main = MainWindow(manager, str(archive))
        qtbot.addWidget(main)
        combo = _page(main).report_name
        names = [combo.itemData(i) for i in range(combo.count())]
        main.tasks.wait()
        return names

    assert "telesales" not in listed() and "discipline" in listed()
    levels.apply_preset("telesales", manager)
    assert "telesales" in listed()

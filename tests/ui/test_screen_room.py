"""On an office PC's 1366 x 768 screen the customer list and the card show whole, in both
languages: the list needs no sideways scrolling, the card's basic tab no cutting off."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, QSize
from PySide6.QtWidgets import QGroupBox, QScrollArea

from crmdesk import i18n
from crmdesk.ui.app import install_font
from crmdesk.ui.main_window import MainWindow
from crmdesk.ui.screen_fit import FRAME

OFFICE_SCREEN = QSize(1366, 768)


@pytest.fixture
def office_window(qtbot, qapp, archive, salesperson, boxes, request):
    """A salesperson's window as large as a 1366 x 768 screen allows, in the language asked."""
    i18n.set_language(request.param)
    install_font(qapp)
    QSettings().remove("columns")  # the widths as shared out, not as a user left them
    window = MainWindow(salesperson, str(archive))
    qtbot.addWidget(window)
    window.resize(OFFICE_SCREEN - FRAME)
    window.show()
    window.show_archive()
    qtbot.waitExposed(window)
    yield window
    window.tasks.wait()


@pytest.mark.parametrize("office_window", ["zh_CN", "en"], indirect=True)
def test_the_customer_list_shows_every_column_without_scrolling_sideways(qtbot, office_window):
    view = office_window.customers.view
    qtbot.waitUntil(lambda: view.viewport().width() > 0)
    widths = office_window.customers.widths.widths()
    assert sum(widths) <= view.viewport().width()
    assert view.horizontalScrollBar().maximum() == 0
    # The archive number, the mobile and both dates show whole.
    cells = view.fontMetrics()
    for column, sample in ((0, "KH2026000123"), (2, "138 0013 8000"), (7, "2026-12-31"),
                           (8, "2026-12-31")):
        assert widths[column] >= cells.horizontalAdvance(sample)


@pytest.mark.parametrize("office_window", ["zh_CN", "en"], indirect=True)
def test_the_basic_tab_fits_the_width_of_the_card(qtbot, office_window):
    basic = office_window.card.tabs.widget(0)
    assert isinstance(basic, QScrollArea)
    office_window.card.tabs.setCurrentIndex(0)
    qtbot.waitUntil(lambda: basic.viewport().width() > 0)
    page = basic.widget()
    qtbot.waitUntil(lambda: page.minimumSizeHint().width() <= basic.viewport().width())
    assert basic.horizontalScrollBar().maximum() == 0


def test_a_narrow_card_puts_the_fields_on_more_lines_and_a_wide_one_back(qtbot, window):
    form = window.card.forms[0]
    archive_box = window.card.findChild(QGroupBox, "group_archive")
    grid = archive_box.layout()
    form.fit_width(2000)
    assert _columns_used(grid) == 3  # three label and field pairs a line, as on the paper card
    wide_rows = _rows_used(grid)
    form.fit_width(380)
    assert archive_box.minimumSizeHint().width() <= 380 or _columns_used(grid) == 1
    assert _rows_used(grid) > wide_rows
    form.fit_width(2000)
    assert _rows_used(grid) == wide_rows and _columns_used(grid) == 3


def _rows_used(grid) -> int:
    return 1 + max(grid.getItemPosition(i)[0] for i in range(grid.count()))


def _columns_used(grid) -> int:
    return len({grid.getItemPosition(i)[1] for i in range(grid.count())
                if grid.getItemPosition(i)[1] % 2 == 0})

"""The customer list's first paint, as the window shows it, for benchmarks/run.py.

The list page (crmdesk.ui.pages.customers) on the offscreen platform with its operations on
their worker thread, as in the window: a click on a column header until the first screen of
the new order is on screen and painted. The whole list (the count, the scroll bar) arrives
after and is not timed; the raw floor reads the same first screen and its rows in plain SQL.
"""
from __future__ import annotations

import os
import sys
import time

from bench import figure, ms_since

# Sorts clicked, each timed from the list sorted by name (a click on the shown sort changes
# nothing).
SORTS = (("archive_no", False), ("level", False), ("level", True))
FROM = ("name", False)
TARGET_MS = 150


def raw_order(raw: object, sort: str, descending: bool) -> str:
    """ORDER BY of the list sorted by ``sort`` in plain SQL (levels by their rank)."""
    way = "DESC" if descending else "ASC"
    column = "archive_no"
    if sort == "level":
        ranks = raw.con.execute("SELECT id FROM level ORDER BY sort_order, id").fetchall()
        column = "CASE level_id " + " ".join(
            f"WHEN {lv} THEN {i}" for i, (lv,) in enumerate(ranks)) + " END"
    return f"{column} {way} NULLS LAST, id {way}"


class ListPage:
    """The list page of one member of staff, shown offscreen."""

    def __init__(self, actor: object) -> None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from PySide6.QtWidgets import QApplication

        from crmdesk.ui.app import install_font
        from crmdesk.ui.operations import Operations
        from crmdesk.ui.pages.customers import CustomerListPage

        self.app = QApplication.instance() or QApplication(sys.argv[:1])
        install_font(self.app)
        self.operations = Operations()
        self.page = CustomerListPage(self.operations, actor)
        self.page.resize(1280, 720)
        self.page.show()
        self.app.processEvents()

    def click(self, sort: str, descending: bool, until: str) -> None:
        """Click the header of ``sort`` and wait for ``until`` ("first_shown" or
        "searched"); the first screen is painted before returning."""
        from PySide6.QtCore import QEventLoop, Qt, QTimer

        from crmdesk.services.search import SortKey
        from crmdesk.ui.itemmodels.customer_table import SORT_KEYS

        loop = QEventLoop()
        signal = getattr(self.page, until)
        signal.connect(loop.quit)
        QTimer.singleShot(60_000, loop.quit)
        order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
        self.page.view.horizontalHeader().setSortIndicator(SORT_KEYS.index(SortKey(sort)),
                                                           order)
        loop.exec()
        signal.disconnect(loop.quit)
        self.page.view.viewport().repaint()

    def shown_ids(self) -> list[int]:
        model = self.page.model
        return [model.customer_id(row) for row in range(model.rowCount())]


def measure_list_paint(actor: object, raw: object, repeat: int) -> dict:
    """For each of SORTS: the click until the first screen is painted, beside raw SQL reading
    that first screen and its rows; the ids shown compared with the raw SQL's."""
    from crmdesk.ui.itemmodels.customer_table import PAGE

    window = ListPage(actor)
    results = {}
    for sort, descending in SORTS:
        order = raw_order(raw, sort, descending)
        app_ms: list[float] = []
        raw_ms: list[float] = []
        same = True
        for _ in range(repeat):
            window.click(*FROM, until="searched")  # untimed: the whole list by name
            window.operations.wait()
            start = time.perf_counter()
            window.click(sort, descending, until="first_shown")
            app_ms.append(ms_since(start))
            start = time.perf_counter()
            ids = raw.ids(order=order, limit=PAGE)
            raw.rows(ids)
            raw_ms.append(ms_since(start))
            same = same and window.shown_ids() == ids
            window.operations.wait()
        name = f"list_first_paint_{sort}{'_desc' if descending else ''}"
        results[name] = figure(app_ms, TARGET_MS, raw_ms, first_screen_same_as_raw=same,
                               what="header click until the first screen is painted")
    window.operations.stop()
    return results

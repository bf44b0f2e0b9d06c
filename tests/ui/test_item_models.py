"""Every Qt item model of the window passes pytest-qt's model checks (qtmodeltester)."""
from __future__ import annotations

import datetime as dt
import importlib
import inspect
import pkgutil
from pathlib import Path

from PySide6.QtCore import QAbstractItemModel

import crmdesk.ui
from crmdesk.services import customers, followup
from crmdesk.services.imports.dry_run import preview_import
from crmdesk.services.statistics.periods import Period
from crmdesk.services.statistics.report import Figure, Reading, Section
from crmdesk.ui.dialogs.import_rows import PreviewModel, StatusFilter
from crmdesk.ui.itemmodels.customer_table import CustomerTableModel
from crmdesk.ui.itemmodels.followup_table import FollowUpTableModel
from crmdesk.ui.pages.statistics_table import ReportTableModel
from crmdesk.ui.qt_translation import FileListLocale

MESSY = Path(__file__).resolve().parents[1] / "data" / "import" / "messy.xlsx"
WEEK = Reading("visitors", Period(dt.date(2026, 1, 5), dt.date(2026, 1, 11)), "day", None)
CHECKED = {CustomerTableModel, FollowUpTableModel, PreviewModel, StatusFilter, ReportTableModel,
           FileListLocale}


def _models_in_the_window() -> set[type]:
    found: set[type] = set()
    for module in pkgutil.walk_packages(crmdesk.ui.__path__, "crmdesk.ui."):
        for _name, value in inspect.getmembers(importlib.import_module(module.name),
                                              inspect.isclass):
            if issubclass(value, QAbstractItemModel) and value.__module__ == module.name:
                found.add(value)
    return found


def test_every_item_model_of_the_window_is_checked_here():
    assert _models_in_the_window() <= CHECKED


def test_the_file_dialogs_list_passes_the_model_checks(qtmodeltester, qtbot, tmp_path):
    from PySide6.QtCore import QLocale
    from PySide6.QtWidgets import QFileSystemModel

    (tmp_path / "备份").mkdir()
    (tmp_path / "客户.xlsx").write_bytes(b"x" * 100)
    files = QFileSystemModel()
    root = files.setRootPath(str(tmp_path))
    qtbot.waitUntil(lambda: files.rowCount(root) == 2, timeout=5000)
    listed = FileListLocale(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    listed.setSourceModel(files)
    qtmodeltester.check(listed)


def _overdue_customer(manager, name: str, mobile: str) -> None:
    card = customers.new_card(manager)
    card.values.update(name=name, mobile=mobile)
    customer_id = customers.save_card(card, manager, accept_incomplete=True).customer_id
    from crmdesk.models import Customer

    Customer.update(next_follow_up=dt.date.today() - dt.timedelta(days=3)).where(
        Customer.id == customer_id).execute()


def test_follow_up_rows_pass_the_model_checks(qtmodeltester, archive, manager):
    for name, mobile in (("逾期甲", "13800138000"), ("逾期乙", "13912345678")):
        _overdue_customer(manager, name, mobile)
    model = FollowUpTableModel()
    model.set_rows(followup.overdue(actor=manager))
    assert model.rowCount() == 2
    qtmodeltester.check(model)
    model.append(followup.overdue(actor=manager)[:1])
    qtmodeltester.check(model)


def test_import_preview_rows_and_their_status_filter_pass_the_model_checks(qtmodeltester,
                                                                          archive, manager):
    model = PreviewModel(preview_import(MESSY, manager))
    assert model.rowCount() > 0
    qtmodeltester.check(model)
    rows = StatusFilter()
    rows.setSourceModel(model)
    rows.show_status(model.row_at(0).status)
    qtmodeltester.check(rows)


def test_statistics_rows_pass_the_model_checks(qtmodeltester):
    model = ReportTableModel()
    model.set_section(Section("来人来电", ("日期", "来人", "来电"), (
        (Figure("2026-01-05"), WEEK.count(3, "visits", "walk_ins"), Figure(1)),
        (Figure("合计"), Figure(3), Figure(1)))))
    qtmodeltester.check(model)
    model.set_section(None)
    qtmodeltester.check(model)

"""The import wizard offers the office's own fields as targets of a column."""
from __future__ import annotations

import pytest
from openpyxl import Workbook
from PySide6.QtCore import Qt

from crmdesk.ui.dialogs.import_mapping import TARGET
from crmdesk.ui.dialogs.import_wizard import ImportWizard
from tests.office_field_samples import CLUB, WORK_YEARS, add_fields

pytestmark = pytest.mark.usefixtures("inline_operations")


def test_an_office_column_is_shown_mapped_and_can_be_chosen(window, manager, qtbot, tmp_path):
    add_fields(manager, WORK_YEARS, CLUB)
    path = tmp_path / "own.xlsx"
    book = Workbook()
    book.active.append(["客户名称", "工作年限", "爱好俱乐部"])
    book.active.append(["吴九", 8, "网球"])
    book.save(path)
    wizard = ImportWizard(window.tasks, window.actor, window)
    qtbot.addWidget(wizard)
    wizard.open_file(path)
    page = wizard.mapping_page
    assert page.mapping().targets == ("name", "office.work_years", None)
    assert page.table.cellWidget(1, TARGET).currentText() == "工作年限"
    club = page.table.cellWidget(2, TARGET)
    club.setCurrentIndex(club.findData("office.club"))
    club.activated.emit(club.currentIndex())
    assert page.mapping().targets == ("name", "office.work_years", "office.club")

    wizard.start_dry_run()
    model = wizard.preview_page.model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert model.index(0, headers.index("工作年限")).data() == "8"
    assert model.index(0, headers.index("俱乐部")).data() == "网球"

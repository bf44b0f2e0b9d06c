"""The import wizard: columns, dry run, preview, commit, cancel, hostile files, history and undo."""
from __future__ import annotations

import threading
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtWidgets import QFileDialog, QMessageBox

from crmdesk.importers.guards import UnreadableFileError
from crmdesk.importers.preview import Counts, Policy
from crmdesk.models import Customer, ImportBatch
from crmdesk.progress import Cancelled
from crmdesk.services import customers
from crmdesk.services.imports.commit import commit_import
from crmdesk.services.imports.dry_run import preview_import, sheet_head
from crmdesk.services.imports.mappings import guess_mapping
from crmdesk.ui import excel_actions
from crmdesk.ui.dialogs.import_mapping import TARGET
from crmdesk.ui.dialogs.import_rows import ACTION, FIRST_VALUE, PROBLEMS, STATUS
from crmdesk.ui.dialogs.import_wizard import ImportWizard
from tests.backends import archive_digest

CORPUS = Path(__file__).resolve().parents[1] / "data" / "import"
MESSY = CORPUS / "messy.xlsx"
WAIT_MS = 10000
HOSTILE = ("empty.xlsx", "random.xlsx", "truncated.xlsx", "bomb.xlsx", "laughs.xlsx",
           "password.xlsx", "far.xlsx")




@pytest.fixture
def office(window, manager, salesperson):
    """The window over an archive where 王强 sells, and 冯十二 and 陈十三 are on file."""
    for values in ({"name": "冯十二", "mobile": "13100131000"},
                   {"name": "陈十三", "employer": "同城物流"}):
        card = customers.new_card(manager)
        card.values.update(values)
        customers.save_card(card, manager, accept_incomplete=True)
    return window


def _opened(qtbot, wizard: ImportWizard, path: Path = MESSY) -> ImportWizard:
    wizard.open_file(path)
    qtbot.waitUntil(lambda: wizard.mapping_page.table.rowCount() > 0 and not wizard.busy(),
                    timeout=WAIT_MS)
    return wizard


def _checked(qtbot, wizard: ImportWizard) -> ImportWizard:
    wizard.start_dry_run()
    qtbot.waitUntil(lambda: wizard.pages.currentWidget() is wizard.preview_page,
                    timeout=WAIT_MS)
    return wizard


def _wizard(qtbot, window) -> ImportWizard:
    wizard = ImportWizard(window.tasks, window.actor, window)
    qtbot.addWidget(wizard)
    return _checked(qtbot, _opened(qtbot, wizard))


def _hold_worker(window) -> threading.Event:
    """Keep the window's worker busy until the returned event is set (to cancel in time)."""
    gate = threading.Event()
    window.tasks.run(lambda: gate.wait(WAIT_MS / 1000), lambda _result: None)
    return gate


def test_import_from_the_menu_maps_previews_and_commits(office, qtbot, monkeypatch, boxes):
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(MESSY), ""))
    wizard = _opened(qtbot, excel_actions.import_customers(office))
    page = wizard.mapping_page
    assert [page.sheet.itemText(i) for i in range(page.sheet.count())] == ["客户名单", "说明"]
    assert not page.sheet.isHidden()
    assert page.mapping().header_row == 3
    assert page.mapping().targets[1:4] == ("name", "mobile", "employer")
    first_contact = page.table.cellWidget(5, TARGET)
    first_contact.setCurrentIndex(0)  # (ignore), as the user picks it
    first_contact.activated.emit(0)
    assert page.mapping().targets[5] is None

    _checked(qtbot, wizard)
    preview = wizard.preview_page
    assert wizard.preview.counts() == Counts(new=5, duplicate=3, error=5, create=5, update=0,
                                             skip=3)
    assert "13" in preview.counts.text()
    model = preview.model
    rows = {model.index(r, 0).data(): r for r in range(model.rowCount())}
    fung = Customer.get(Customer.name == "冯十二").archive_no
    assert fung in model.index(rows["17"], STATUS).data()
    problems = model.index(rows["12"], PROBLEMS).data()
    assert "E12" in problems
    assert "05/06/2023" in problems
    assert model.index(rows["12"], STATUS).data().startswith("不能导入")
    metrics = preview.table.fontMetrics()
    assert preview.table.columnWidth(PROBLEMS) >= metrics.horizontalAdvance(problems)
    shown = [model.index(rows["11"], c).data() for c in range(FIRST_VALUE, model.columnCount())]
    assert "1.38001E+10" in shown  # a refused cell shows what the file holds

    preview.choose_policy(Policy.CREATE)
    assert wizard.preview.counts().create == 8
    preview.choose_policy(Policy.SKIP)
    assert preview.set_row_action(17, Policy.FILL)
    assert model.index(rows["17"], ACTION).data() == Policy.FILL.label
    assert wizard.preview.counts().update == 1
    assert not preview.set_row_action(11, Policy.CREATE)  # an error row stays rejected

    wizard.start_commit()
    qtbot.waitUntil(lambda: wizard.pages.currentWidget() is wizard.summary, timeout=WAIT_MS)
    assert not boxes.shown, boxes.texts()
    assert (wizard.result.created, wizard.result.updated, wizard.result.rejected) == (5, 1, 5)
    created = wizard.summary.created
    numbers = {created.item(r, 0).text() for r in range(created.rowCount())}
    assert numbers == {c.archive_no for c in Customer.select().where(
        Customer.id.in_(list(wizard.result.customer_ids)))}
    assert Customer.get(Customer.name == "张三").archive_no in numbers
    assert Customer.get(Customer.name == "冯十二").notes == "已在档案中"
    assert Customer.get(Customer.name == "王五").first_contact_date is None
    assert Customer.get(Customer.name == "张三").owner.name == "王强"
    qtbot.waitUntil(lambda: office.customers.model.rowCount() == 7, timeout=WAIT_MS)
    # The confirmed mapping is remembered for the next file with the same headers.
    assert guess_mapping(sheet_head(MESSY)[2]).targets[5] is None


def test_owners_can_be_shared_in_turn_and_rejected_rows_saved(office, qtbot, monkeypatch,
                                                             manager, salesperson, tmp_path):
    wizard = ImportWizard(office.tasks, office.actor, office)
    qtbot.addWidget(wizard)
    _opened(qtbot, wizard, CORPUS / "gbk.csv")
    assert wizard.mapping_page.sheet.isHidden()  # one sheet: nothing to choose
    wizard.mapping_page.choose_owners([manager.staff_id, salesperson.staff_id])
    _checked(qtbot, wizard)
    assert [r.values["owner"] for r in wizard.preview.rows] == [
        manager.staff_id, salesperson.staff_id]

    _checked(qtbot, _opened(qtbot, wizard))
    target = tmp_path / "rejected"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    wizard.preview_page.save_button.click()
    qtbot.waitUntil(lambda: not wizard.busy() and target.with_suffix(".xlsx").exists(),
                    timeout=WAIT_MS)
    sheet = load_workbook(target.with_suffix(".xlsx")).active
    rows = list(sheet.values)
    assert len(rows) == 1 + 5
    assert any("E12" in reasons for *_cells, reasons in rows[1:])


def test_cancelling_the_dry_run_or_the_commit_writes_nothing(office, qtbot, boxes):
    before = archive_digest()
    wizard = ImportWizard(office.tasks, office.actor, office)
    qtbot.addWidget(wizard)
    _opened(qtbot, wizard)
    gate = _hold_worker(office)
    wizard.start_dry_run()
    wizard.working.cancel.click()
    gate.set()
    qtbot.waitUntil(lambda: not wizard.busy(), timeout=WAIT_MS)
    assert wizard.pages.currentWidget() is wizard.mapping_page
    assert wizard.note.text() == str(Cancelled())

    _checked(qtbot, wizard)
    gate = _hold_worker(office)
    wizard.start_commit()
    wizard.working.cancel.click()
    gate.set()
    qtbot.waitUntil(lambda: not wizard.busy(), timeout=WAIT_MS)
    assert wizard.pages.currentWidget() is wizard.preview_page
    assert wizard.note.text() == str(Cancelled())

    wizard.show()
    gate = _hold_worker(office)
    wizard.start_commit()
    wizard.close()  # closing while it imports cancels first, then closes
    assert wizard.isVisible()
    gate.set()
    qtbot.waitUntil(lambda: not wizard.isVisible(), timeout=WAIT_MS)
    assert not boxes.shown, boxes.texts()
    assert archive_digest() == before


def test_a_hostile_file_shows_its_message_and_changes_nothing(office, qtbot, boxes):
    before = archive_digest()
    wizard = ImportWizard(office.tasks, office.actor, office)
    qtbot.addWidget(wizard)
    for name in HOSTILE:
        with pytest.raises(UnreadableFileError) as refused:
            sheet_head(CORPUS / name)
        shown = len(boxes.shown)
        wizard.open_file(CORPUS / name)
        qtbot.waitUntil(lambda n=shown: len(boxes.shown) > n, timeout=WAIT_MS)
        assert boxes.shown[-1][1] == str(refused.value)
        assert wizard.pages.currentWidget() is wizard.mapping_page
        assert not wizard.next_button.isEnabled()
    assert archive_digest() == before


def test_a_mapping_without_the_name_is_explained(office, qtbot, boxes):
    wizard = ImportWizard(office.tasks, office.actor, office)
    qtbot.addWidget(wizard)
    _opened(qtbot, wizard)
    wizard.mapping_page.set_target(1, None)
    wizard.start_dry_run()
    qtbot.waitUntil(lambda: bool(boxes.shown), timeout=WAIT_MS)
    assert "客户名称" in boxes.texts()
    assert wizard.pages.currentWidget() is wizard.mapping_page


def test_an_import_changed_since_is_not_undone_and_says_why(office, qtbot, manager, boxes):
    result = commit_import(preview_import(MESSY, manager), manager)
    card = customers.get_card(result.customer_ids[0])
    card.values["notes"] = "已跟进"
    customers.save_card(card, manager, accept_incomplete=True)
    dialog = excel_actions.show_import_history(office)
    dialog.table.select_key(result.batch_id)
    boxes.answer = QMessageBox.StandardButton.Yes
    dialog.undo_selected()
    qtbot.waitUntil(lambda: len(boxes.shown) == 2, timeout=WAIT_MS)
    assert str(result.batch_id) in boxes.shown[1][1]
    assert Customer.select().count() == 7
    assert dialog.undo_button.isEnabled()


def test_import_history_undoes_an_import_and_reloads_the_list(office, qtbot, manager, boxes):
    result = commit_import(preview_import(MESSY, manager), manager)
    office.customers.reload()
    qtbot.waitUntil(lambda: office.customers.model.rowCount() == 7, timeout=WAIT_MS)
    dialog = excel_actions.show_import_history(office)
    assert dialog.table.rowCount() == 1
    assert dialog.table.item(0, 3).text() == "messy.xlsx"
    dialog.table.select_key(result.batch_id)
    boxes.answer = QMessageBox.StandardButton.Yes
    dialog.undo_selected()
    qtbot.waitUntil(lambda: len(boxes.shown) == 2, timeout=WAIT_MS)  # asked, then told
    assert "5" in boxes.shown[1][1]  # the archives it deleted
    assert Customer.select().count() == 2
    assert ImportBatch.get_by_id(result.batch_id).undone_at is not None
    assert dialog.table.item(0, 8).text()
    assert not dialog.undo_button.isEnabled()
    qtbot.waitUntil(lambda: office.customers.model.rowCount() == 2, timeout=WAIT_MS)

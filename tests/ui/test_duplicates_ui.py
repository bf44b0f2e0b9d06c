"""The card editor's duplicate panel and second-archive question; the manager's duplicates page."""
from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog

from crmdesk.models import AuditEntry, Customer
from crmdesk.services import customers
from crmdesk.ui.card import similar_panel
from crmdesk.ui.pages.duplicates_merge import MergeDialog
from crmdesk.ui.pages.duplicates_page import DuplicatesPage

pytestmark = pytest.mark.usefixtures("inline_operations")


def _archive(actor, name: str, mobile: str, reason: str | None = None) -> int:
    card = customers.new_card(actor)
    card.values.update(name=name, mobile=mobile)
    return customers.save_card(card, actor, accept_incomplete=True,
                               second_archive=reason).customer_id


def test_the_panel_shows_a_known_mobile_as_it_is_typed(window, manager):
    _archive(manager, "张三", "13911110002")
    card = window.card
    card.editor("name").setText("张小三")
    card.editor("mobile").setText("139 1111 0002")
    card.similar.look()
    assert not card.similar.isHidden()
    assert card.similar.list.count() == 1
    assert "13911110002" not in card.similar.list.item(0).text()  # shown formatted
    assert "手机相同" in card.similar.list.item(0).text()
    card.editor("mobile").setText("139 2222 0002")
    card.similar.look()
    assert card.similar.isHidden()


def test_a_refused_save_asks_for_a_reason_and_saves_with_it(window, manager, monkeypatch):
    _archive(manager, "张三", "13911110002")
    asked = []

    def answer(parent, error):
        asked.append(str(error))
        return "父子同名"

    monkeypatch.setattr("crmdesk.ui.card.editor.ask_second_archive", answer)
    card = window.card
    card.editor("name").setText("张三")
    card.editor("mobile").setText("13911110002")
    card.save(accept_incomplete=True)
    assert asked and "KH" in asked[0]
    assert Customer.select().count() == 2
    assert AuditEntry.select().where(AuditEntry.action == "second_archive").count() == 1


def test_the_second_archive_dialog_needs_a_reason(qtbot, window, manager):
    _archive(manager, "张三", "13911110002")
    card = customers.new_card(manager)
    card.values.update(name="张三", mobile="13911110002")
    try:
        customers.save_card(card, manager, accept_incomplete=True)
    except similar_panel.DuplicateArchiveError as error:
        dialog = similar_panel.SecondArchiveDialog(error, window)
    qtbot.addWidget(dialog)
    assert not dialog.keep.isEnabled()
    dialog.reason.setText("兄弟")
    assert dialog.keep.isEnabled()


def test_the_manager_scans_merges_and_undoes(qtbot, window, manager, monkeypatch):
    first = _archive(manager, "张三", "13911110002")
    second = _archive(manager, "张叁", "13911110002", reason="导入")
    page = window.findChild(DuplicatesPage)
    assert page is not None
    page.scan()
    assert page.table.rowCount() == 1
    page.table.selectRow(0)
    assert page.members.rowCount() == 2

    def run_dialog(dialog: MergeDialog) -> int:
        assert {f.name for f in dialog.plan.fields} >= {"name"}
        dialog._merge()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(MergeDialog, "exec", run_dialog)
    page.merge()
    assert not Customer.select().where(Customer.id == second).exists()
    assert page.table.rowCount() == 0  # the change event updated the scan
    page.undo_last_merge()
    assert Customer.select().where(Customer.id.in_([first, second])).count() == 2
    assert page.table.rowCount() == 1


def test_not_the_same_person_takes_the_group_away(window, manager):
    _archive(manager, "张三", "13911110002")
    _archive(manager, "张三", "13911110002", reason="父子")
    page = window.findChild(DuplicatesPage)
    page.scan()
    page.table.selectRow(0)
    page.mark_not_same()
    assert page.table.rowCount() == 0

"""The office's fields dialog, opened from the window, changes the card through the window's
operations: a field that starts asking for an answer recounts every card off the UI thread."""
from __future__ import annotations

import pytest

from crmdesk.models.summaries import Milestone
from crmdesk.services import customers, office_fields
from crmdesk.ui.dialogs.office_fields import FieldForm, OfficeFieldsDialog

pytestmark = pytest.mark.usefixtures("inline_operations")


def _complete_card(actor) -> int:
    card = customers.new_card(actor, "individual")
    card.values.update(name="张三", mobile="13800138000", address="上海市长宁路1号",
                       source="visit", consent=True, needs="家用代步", employer="华信科技")
    return customers.save_card(card, actor).customer_id


def test_an_important_field_added_in_the_dialog_runs_as_an_operation(qtbot, window, manager,
                                                                    boxes, monkeypatch):
    cid = _complete_card(manager)
    assert Milestone.get_by_id(cid).complete == 1
    started: list[str] = []
    start = window.tasks.start
    monkeypatch.setattr(window.tasks, "start",
                        lambda label, *args, **options: started.append(label)
                        or start(label, *args, **options))
    dialog = OfficeFieldsDialog(manager, window, window.tasks)
    qtbot.addWidget(dialog)
    monkeypatch.setattr(FieldForm, "exec", lambda form: (
        form.key.setText("work_years"), form.zh.setText("工作年限"), form.en.setText("Years"),
        form.kind.setCurrentIndex(form.kind.findData("number")),
        form.need.setCurrentIndex(form.need.findData("important"))) and True)
    dialog.add()
    assert len(started) == 1 and dialog.table.rowCount() == 1
    assert [f.key for f in office_fields.fields_of_office()] == ["work_years"]
    assert Milestone.get_by_id(cid).complete == 0  # the card does not answer it yet
    monkeypatch.setattr(FieldForm, "exec", lambda form: form.key.setText("Bad Key") or True)
    dialog.add()
    assert boxes.texts() and dialog.table.rowCount() == 1

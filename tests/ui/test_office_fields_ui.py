"""The office's own fields on the card form and the dialog that defines them."""
from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox

from crmdesk.models import Customer
from crmdesk.services import customers, office_fields
from crmdesk.ui.dialogs.office_fields import FieldForm, OfficeFieldsDialog
from crmdesk.ui.main_window import MainWindow
from tests.office_field_samples import CLUB, WORK_YEARS, add_fields

pytestmark = pytest.mark.usefixtures("inline_operations")


@pytest.fixture
def office_window(qtbot, archive, manager, boxes) -> Iterator[MainWindow]:
    """A manager's window on an archive whose office added 工作年限 and a club choice."""
    add_fields(manager, WORK_YEARS, CLUB)
    office_fields.hide_builtin("hobbies", True, manager)
    main = MainWindow(manager, str(archive))
    qtbot.addWidget(main)
    main.show()
    yield main
    main.tasks.wait()


def _fill(card) -> None:
    card.editor("name").setText("张三")
    card.editor("mobile").setText("13800138000")
    card.editor("address").setText("上海市长宁路 1 号")
    card.editor("employer").setText("华信科技")
    card.editor("consent").setChecked(True)
    card.editor("needs").setPlainText("家用")
    combo = card.editor("source")
    combo.setCurrentIndex(combo.findData("referral"))


def test_office_fields_stand_in_a_box_after_their_group(office_window):
    card = office_window.card
    box = card.findChild(QGroupBox, "group_office_person")
    assert box is not None and "工作年限 ◆" in [
        label.text() for label in card.forms[1].labels.values()]
    page = box.parentWidget().parentWidget()
    layout = page.layout()
    person = page.findChild(QGroupBox, "group_person")
    assert layout.indexOf(box.parentWidget()) == layout.indexOf(person) + 1
    assert card.editor("hobbies").isHidden()
    assert not card.editor("office.work_years").isHidden()


def test_a_value_typed_in_an_office_field_is_saved_and_shown_again(office_window, boxes):
    card = office_window.card
    _fill(card)
    card.editor("office.work_years").setText("12")
    club = card.editor("office.club")
    club.setCurrentIndex(club.findData("tennis"))
    card.save()
    saved = Customer.get(Customer.name == "张三")
    assert customers.get_card(saved.id).office == {"work_years": Decimal(12), "club": "tennis"}
    card.load_new()
    card.load(saved.id)
    assert card.editor("office.work_years").text() == "12"


def test_a_bad_office_value_is_marked_and_named(office_window, boxes):
    card = office_window.card
    _fill(card)
    card.editor("office.work_years").setText("十二年")
    card.save()
    assert "工作年限" in boxes.texts()
    assert card.editor("office.work_years").property("invalid") is True
    assert card.editor("office.work_years").text() == "十二年"
    assert Customer.select().count() == 0


def test_an_organisation_card_does_not_show_an_individuals_field(office_window):
    card = office_window.card
    kind = card.editor("kind")
    kind.setCurrentIndex(kind.findData("organisation"))
    kind.activated.emit(kind.currentIndex())
    # Both stand in boxes for individuals: the club's box is the personal profile.
    assert card.editor("office.work_years").isHidden()
    assert card.editor("office.club").isHidden()
    assert not card.editor("name").isHidden()


def test_the_dialog_adds_hides_and_orders_fields(qtbot, archive, manager, monkeypatch):
    dialog = OfficeFieldsDialog(manager)
    qtbot.addWidget(dialog)

    def filled(form: FieldForm) -> int:
        form.key.setText("car_count")
        form.zh.setText("家庭车辆数")
        form.en.setText("Cars in the family")
        form.kind.setCurrentIndex(form.kind.findData("number"))
        form.group.setCurrentIndex(form.group.findData("family"))
        return True

    monkeypatch.setattr(FieldForm, "exec", filled)
    dialog.add()
    monkeypatch.setattr(FieldForm, "exec", lambda form: (
        form.key.setText("pets"), form.zh.setText("宠物"), form.en.setText("Pets"),
        form.group.setCurrentIndex(form.group.findData("family"))) and True)
    dialog.add()
    assert [dialog.table.item(r, 0).text() for r in range(2)] == ["家庭车辆数", "宠物"]
    dialog.table.selectRow(1)
    dialog.move(-1)
    assert [f.key for f in office_fields.fields_of_office()] == ["pets", "car_count"]
    dialog.table.selectRow(0)
    dialog.toggle()
    assert office_fields.fields_of_office()[0].hidden
    fax = next(dialog.builtins.item(i) for i in range(dialog.builtins.count())
               if dialog.builtins.item(i).data(Qt.ItemDataRole.UserRole) == "fax")
    fax.setCheckState(Qt.CheckState.Unchecked)
    assert office_fields.hidden_builtins() == {"fax"}


def test_the_dialog_names_what_is_wrong_with_a_definition(qtbot, archive, manager, boxes,
                                                         monkeypatch):
    dialog = OfficeFieldsDialog(manager)
    qtbot.addWidget(dialog)
    monkeypatch.setattr(FieldForm, "exec", lambda form: (
        form.key.setText("Bad Key"), form.kind.setCurrentIndex(form.kind.findData("choice")))
        and True)
    dialog.add()
    assert "Key" in boxes.texts() or "键" in boxes.texts()
    assert office_fields.fields_of_office() == []


def test_only_managers_and_administrators_get_the_dialog(office_window, sales_window):
    assert office_window.findChild(type(office_window.action("x", lambda: None)),
                                   "officeFields") is not None
    assert sales_window.findChild(type(office_window.action("x", lambda: None)),
                                  "officeFields") is None

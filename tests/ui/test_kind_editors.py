"""The card form gives every field kind the editor the kind asks for, and what the editor shows
for a stored value comes back as that value."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from crmdesk.models.card import Choice, FieldSpec
from crmdesk.models.fieldtypes import Editor, Kind
from crmdesk.ui.card.form import make_editor
from crmdesk.ui.card.widgets import (
    BoolEditor,
    ChoiceEditor,
    LongTextEditor,
    MultiChoiceEditor,
    TextEditor,
)

CHOICES = (Choice("home", "家用", "Home"), Choice("office", "办公", "Office"))
REFERENCES = {Kind.STAFF: [(7, "王强")], Kind.LEVEL: [(3, "A")]}
WIDGETS = {Editor.LINE: TextEditor, Editor.LINES: LongTextEditor, Editor.CHOICE: ChoiceEditor,
           Editor.CHOICES: MultiChoiceEditor, Editor.CHECK: BoolEditor,
           Editor.REFERENCE: ChoiceEditor}
SAMPLES = {
    Kind.TEXT: "张三", Kind.LONGTEXT: "第一行\n第二行", Kind.CHOICE: "office",
    Kind.MULTICHOICE: "home,office", Kind.DATE: dt.date(2023, 5, 6), Kind.MOBILE: "13800138000",
    Kind.PHONE: "01065529988", Kind.EMAIL: "a@example.com", Kind.MONEY: Decimal("1200.50"),
    Kind.INTEGER: 12, Kind.PERCENT: 35, Kind.NUMBER: Decimal("3.5"), Kind.BOOL: True,
    Kind.STAFF: 7, Kind.LEVEL: 3,
}


@pytest.mark.parametrize("kind", list(SAMPLES), ids=lambda k: k.key)
def test_each_kind_gets_its_editor_and_keeps_its_value(qtbot, kind):
    editor = make_editor(FieldSpec("f", "字段", "Field", kind, choices=CHOICES), REFERENCES)
    qtbot.addWidget(editor)
    assert type(editor) is WIDGETS[kind.editor]
    editor.set_value(SAMPLES[kind])
    if kind.reference:
        assert editor.value() == SAMPLES[kind]
    else:
        assert kind.accept(editor.value(), CHOICES) == SAMPLES[kind]


def test_a_referrer_is_typed_as_an_archive_number(qtbot):
    editor = make_editor(FieldSpec("referrer", "介绍人", "Referred by", Kind.CUSTOMER), {})
    qtbot.addWidget(editor)
    assert isinstance(editor, TextEditor) and editor.placeholderText() == Kind.CUSTOMER.hint()

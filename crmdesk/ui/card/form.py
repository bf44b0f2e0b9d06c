"""The card's fields laid out like the paper card: labelled boxes in a grid, group by group."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QVBoxLayout, QWidget

from crmdesk.models.card import FieldSpec, Group, Need, Section, group_applies
from crmdesk.models.fieldtypes import Kind
from crmdesk.ui.card.widgets import (
    BoolEditor,
    ChoiceEditor,
    FieldWidget,
    LongTextEditor,
    MultiChoiceEditor,
    TextEditor,
)

INVALID_STYLE = "*[invalid=\"true\"] { background: #fdecea; border: 1px solid #d93025; }"


def make_editor(spec: FieldSpec, references: dict[Kind, list[tuple[Any, str]]]) -> FieldWidget:
    """The editor widget for one card field."""
    if spec.kind is Kind.LONGTEXT:
        return LongTextEditor()
    if spec.kind is Kind.CHOICE:
        return ChoiceEditor([(c.key, c.label) for c in spec.choices])
    if spec.kind is Kind.MULTICHOICE:
        return MultiChoiceEditor(spec.choices)
    if spec.kind is Kind.BOOL:
        return BoolEditor()
    if spec.kind in (Kind.STAFF, Kind.LEVEL):
        return ChoiceEditor(references[spec.kind])
    return TextEditor(spec.kind)


def _label_text(spec: FieldSpec) -> str:
    marks = {Need.REQUIRED: " *", Need.IMPORTANT: " ◆"}
    return spec.label + marks.get(spec.need, "")


class SectionForm(QObject):
    """The groups of one section, with one editor per field; shows only what fits the kind."""

    changed = Signal()

    def __init__(self, section: Section, references: dict[Kind, list[tuple[Any, str]]],
                 container: QWidget) -> None:
        super().__init__(container)
        self.editors: dict[str, FieldWidget] = {}
        self.labels: dict[str, QLabel] = {}
        self._boxes: list[tuple[Group, QGroupBox]] = []
        layout = container.layout() or QVBoxLayout(container)
        for group in section.groups:
            box = self._group_box(group, references, container)
            self._boxes.append((group, box))
            layout.addWidget(box)

    def _group_box(self, group: Group, references: dict[Kind, list[tuple[Any, str]]],
                   parent: QWidget) -> QGroupBox:
        box = QGroupBox(group.label, parent)
        box.setObjectName(f"group_{group.key}")
        grid = QGridLayout(box)
        grid.setHorizontalSpacing(10)
        for col in range(group.columns):
            grid.setColumnStretch(col * 2 + 1, 1)
        row = col = 0
        for spec in group.fields:
            span = min(spec.span, group.columns)
            if col + span > group.columns:
                row, col = row + 1, 0
            label = QLabel(_label_text(spec), box)
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            editor = make_editor(spec, references)
            editor.setObjectName(f"field_{spec.name}")
            editor.setStyleSheet(INVALID_STYLE)
            label.setBuddy(editor)
            editor.changed.connect(self.changed)
            grid.addWidget(label, row, col * 2)
            grid.addWidget(editor, row, col * 2 + 1, 1, span * 2 - 1)
            self.editors[spec.name] = editor
            self.labels[spec.name] = label
            col += span
            if col >= group.columns:
                row, col = row + 1, 0
        return box

    def show_for_kind(self, customer_kind: str | None) -> None:
        """Show the groups and fields that apply to individuals or organisations."""
        for group, box in self._boxes:
            box.setVisible(group_applies(group, customer_kind))
            for spec in group.fields:
                visible = spec.for_kind(customer_kind)
                self.editors[spec.name].setVisible(visible)
                self.labels[spec.name].setVisible(visible)

    def set_values(self, values: dict[str, Any]) -> None:
        """Fill every editor of this section from stored values."""
        for name, editor in self.editors.items():
            editor.blockSignals(True)
            editor.set_value(values.get(name))
            editor.blockSignals(False)

    def values(self) -> dict[str, Any]:
        """The values as typed, by field name."""
        return {name: editor.value() for name, editor in self.editors.items()}

    def mark_invalid(self, names: set[str]) -> None:
        """Highlight the fields named in ``names``; clear the others."""
        for name, editor in self.editors.items():
            invalid = name in names
            changed = bool(editor.property("invalid")) != invalid
            editor.setProperty("invalid", invalid)
            if changed:  # restyling all 130 editors for every card shown took 9 ms
                editor.style().unpolish(editor)
                editor.style().polish(editor)

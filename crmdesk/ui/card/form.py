"""The card's fields laid out like the paper card: labelled boxes in a grid, group by group."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QVBoxLayout, QWidget

from crmdesk.models.card import FieldSpec, Group, Need, Section, group_applies
from crmdesk.models.fieldtypes import Editor, FieldKind
from crmdesk.ui.card.widgets import (
    BoolEditor,
    ChoiceEditor,
    FieldWidget,
    LongTextEditor,
    MultiChoiceEditor,
    TextEditor,
)

FIELD_SAMPLE = "138 0013 8000"
FIELD_PADDING = 16
INVALID_STYLE = "*[invalid=\"true\"] { background: #fdecea; border: 1px solid #d93025; }"


References = dict[FieldKind, list[tuple[Any, str]]]
# The widget for each editor a field kind asks for (crmdesk.models.fieldtypes.Editor).
_WIDGETS: dict[Editor, Callable[[FieldSpec, References], FieldWidget]] = {
    Editor.LINE: lambda spec, _references: TextEditor(spec.kind),
    Editor.LINES: lambda _spec, _references: LongTextEditor(),
    Editor.CHOICE: lambda spec, _references: ChoiceEditor([(c.key, c.label)
                                                           for c in spec.choices]),
    Editor.CHOICES: lambda spec, _references: MultiChoiceEditor(spec.choices),
    Editor.CHECK: lambda _spec, _references: BoolEditor(),
    Editor.REFERENCE: lambda spec, references: ChoiceEditor(references[spec.kind]),
}


def make_editor(spec: FieldSpec, references: References) -> FieldWidget:
    """The editor widget for one card field: the one its kind asks for; staff and levels
    offer the entries in ``references``."""
    return _WIDGETS[spec.kind.editor](spec, references)


def _label_text(spec: FieldSpec) -> str:
    marks = {Need.REQUIRED: " *", Need.IMPORTANT: " ◆"}
    return spec.label + marks.get(spec.need, "")


@dataclass
class _Box:
    """One group's box, its grid and its (field, label, editor) cells, as laid out now."""

    group: Group
    box: QGroupBox
    grid: QGridLayout
    cells: list[tuple[FieldSpec, QLabel, FieldWidget]]
    columns: int = 0
    # The box's least width for each number of columns, while the same fields are shown.
    least: dict[int, int] = field(default_factory=dict)


class SectionForm(QObject):
    """The groups of one section, with one editor per field; shows only what fits the kind.

    A group has as many columns as the paper card's box (three, mostly) when they fit the width
    the form is given, else fewer, down to one: longer labels (in English) or a narrow card
    wrap the fields onto more lines instead of cutting them off at the right.
    """

    changed = Signal()

    def __init__(self, section: Section, references: References,
                 container: QWidget) -> None:
        super().__init__(container)
        self.editors: dict[str, FieldWidget] = {}
        self.labels: dict[str, QLabel] = {}
        self._boxes: list[_Box] = []
        self._container = container
        layout = container.layout() or QVBoxLayout(container)
        for group in section.groups:
            placed = self._group_box(group, references, container)
            self._boxes.append(placed)
            layout.addWidget(placed.box)
        container.installEventFilter(self)

    def _group_box(self, group: Group, references: References,
                   parent: QWidget) -> _Box:
        box = QGroupBox(group.label, parent)
        box.setObjectName(f"group_{group.key}")
        grid = QGridLayout(box)
        grid.setHorizontalSpacing(10)
        cells = []
        for spec in group.fields:
            label = QLabel(_label_text(spec), box)
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            editor = make_editor(spec, references)
            editor.setObjectName(f"field_{spec.name}")
            editor.setStyleSheet(INVALID_STYLE)
            # Room for a mobile number at least: narrower fields go onto another line instead.
            least = editor.fontMetrics().horizontalAdvance(FIELD_SAMPLE) + FIELD_PADDING
            editor.setMinimumWidth(max(least, editor.minimumSizeHint().width()))
            label.setBuddy(editor)
            editor.changed.connect(self.changed)
            self.editors[spec.name] = editor
            self.labels[spec.name] = label
            cells.append((spec, label, editor))
        placed = _Box(group, box, grid, cells)
        self._lay_out(placed, group.columns)
        return placed

    @staticmethod
    def _lay_out(placed: _Box, columns: int) -> None:
        """Put the box's fields into ``columns`` columns, in the card's order, row by row."""
        grid = placed.grid
        for _spec, label, editor in placed.cells:
            grid.removeWidget(label)
            grid.removeWidget(editor)
        for col in range(placed.group.columns * 2):
            grid.setColumnStretch(col, 1 if col % 2 and col < columns * 2 else 0)
        row = col = 0
        for spec, label, editor in placed.cells:
            span = min(spec.span, columns)
            if col + span > columns:
                row, col = row + 1, 0
            grid.addWidget(label, row, col * 2)
            grid.addWidget(editor, row, col * 2 + 1, 1, span * 2 - 1)
            col += span
            if col >= columns:
                row, col = row + 1, 0
        placed.columns = columns

    def fit_width(self, width: int) -> None:
        """Give each group the most columns (up to its box's) whose fields fit ``width``."""
        margins = self._container.layout().contentsMargins()
        room = width - margins.left() - margins.right()
        for placed in self._boxes:
            if placed.box.isHidden():
                continue
            wanted = placed.group.columns
            while wanted > 1 and self._least_width(placed, wanted) > room:
                wanted -= 1
            if wanted != placed.columns:
                self._lay_out(placed, wanted)

    def _least_width(self, placed: _Box, columns: int) -> int:
        if columns not in placed.least:
            shown = placed.columns
            self._lay_out(placed, columns)
            placed.least[columns] = placed.box.minimumSizeHint().width()
            self._lay_out(placed, shown)
        return placed.least[columns]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._container and event.type() == QEvent.Type.Resize:
            self._refit()
        return False

    def show_for_kind(self, customer_kind: str | None) -> None:
        """Show the groups and fields that apply to individuals or organisations."""
        for placed in self._boxes:
            placed.box.setVisible(group_applies(placed.group, customer_kind))
            for spec, label, editor in placed.cells:
                visible = spec.for_kind(customer_kind)
                if editor.isHidden() == visible:
                    placed.least.clear()  # other fields shown: other least widths
                editor.setVisible(visible)
                label.setVisible(visible)
        self._refit()

    def _refit(self) -> None:
        # Inside a scroll area the form is at least as wide as its fields need: the room there
        # is the scroll area's, its viewport's width.
        shown_in = self._container.parentWidget()
        self.fit_width(shown_in.width() if shown_in is not None else self._container.width())

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

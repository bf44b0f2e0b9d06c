"""One editor widget per kind of card field; each offers value(), set_value() and ``changed``.

Typed text (phones, dates, amounts) is handed to the services as typed, so the field's kind
(crmdesk.models.fieldtypes) decides what is valid, with the same messages as the importer.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from crmdesk.i18n import _
from crmdesk.models.card import Choice
from crmdesk.models.fieldtypes import FieldKind


class TextEditor(QLineEdit):
    """A one-line field; its value is the text as typed (parsed when saved)."""

    changed = Signal()

    def __init__(self, kind: FieldKind, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._kind = kind
        self.setPlaceholderText(kind.hint())
        self.textEdited.connect(self.changed)

    def value(self) -> Any:
        return self.text()

    def set_value(self, value: Any) -> None:
        self.setText(self._kind.display(value))


class LongTextEditor(QPlainTextEdit):
    """A few lines of free text."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 12)
        self.textChanged.connect(self.changed)

    def value(self) -> Any:
        return self.toPlainText()

    def set_value(self, value: Any) -> None:
        self.blockSignals(True)
        self.setPlainText(value or "")
        self.blockSignals(False)


CHOICE_LEAST_CHARACTERS = 6


class ChoiceEditor(QComboBox):
    """One option out of a list (with a blank first entry); ``options`` are (value, label)."""

    changed = Signal()

    def __init__(self, options: list[tuple[Any, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # As narrow as a few characters (the list that drops down is as wide as its options):
        # a long option would widen the whole column of the card.
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(CHOICE_LEAST_CHARACTERS)
        self.addItem("", None)
        for value, label in options:
            self.addItem(label, value)
        self.activated.connect(self.changed)

    def value(self) -> Any:
        return self.currentData()

    def set_value(self, value: Any) -> None:
        index = self.findData(value) if value is not None else 0
        self.setCurrentIndex(max(index, 0))


class MultiChoiceEditor(QWidget):
    """Several options ticked at once; the value is the keys joined by commas."""

    changed = Signal()

    def __init__(self, choices: tuple[Choice, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self._boxes: dict[str, QCheckBox] = {}
        for choice in choices:
            box = QCheckBox(choice.label, self)
            box.toggled.connect(self.changed)
            layout.addWidget(box)
            self._boxes[choice.key] = box
        layout.addStretch(1)

    def value(self) -> Any:
        keys = [key for key, box in self._boxes.items() if box.isChecked()]
        return ",".join(keys) or None

    def set_value(self, value: Any) -> None:
        chosen = set((value or "").split(","))
        for key, box in self._boxes.items():
            box.blockSignals(True)
            box.setChecked(key in chosen)
            box.blockSignals(False)


class BoolEditor(QCheckBox):
    """A yes/no field."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_("Yes"), parent)
        self.toggled.connect(self.changed)

    def value(self) -> Any:
        return self.isChecked()

    def set_value(self, value: Any) -> None:
        self.blockSignals(True)
        self.setChecked(bool(value))
        self.blockSignals(False)


FieldWidget = TextEditor | LongTextEditor | ChoiceEditor | MultiChoiceEditor | BoolEditor

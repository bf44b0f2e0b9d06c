"""What every kind of card field knows, as a type object (the kinds themselves are in
crmdesk.models.value_kinds and crmdesk.models.reference_kinds, listed in
crmdesk.models.fieldtypes).

A kind knows its database column (``column``), how typed text becomes its value (``read``,
``accept``) and how a spreadsheet cell does (``from_cell``), how a person reads the value on
screen and on paper (``display``), what an .xlsx cell holds (``cell``, ``number_format``), how
it is kept as text (``store``/``load``), the hint in an empty form field (``hint``), what the
import template says to write (``guide``), its width in exports and printed tables, and which
editor the card form gives it (``editor``; crmdesk.ui maps editors to widgets).
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any, Protocol

import peewee

from crmdesk.i18n import N_, _, is_chinese
from crmdesk.models.cell_values import cell_text, empty_cell
from crmdesk.models.parsers import ValueProblem, check_length
from crmdesk.models.phones import PhoneError

if TYPE_CHECKING:
    from crmdesk.models.card import Choice

Choices = Sequence["Choice"]


class Editor(Enum):
    """Which editor the card form gives a kind (the widgets themselves are in crmdesk.ui)."""

    LINE = "line"  # one line of typed text, parsed when saved
    LINES = "lines"  # a few lines of free text
    CHOICE = "choice"  # one of the field's choices
    CHOICES = "choices"  # several of the field's choices ticked
    CHECK = "check"  # a yes/no box
    REFERENCE = "reference"  # one entry of a list the archive keeps (staff, levels)


class CellNames(Protocol):
    """Staff and levels by every name a sheet may use for them (crmdesk.importers.cells)."""

    staff: Mapping[str, int]
    levels: Mapping[str, int]
    level_codes: Sequence[str]


@dataclass(frozen=True, eq=False)
class FieldKind:
    """One kind of field; the base keeps text as typed, trimmed (the kinds refine it)."""

    key: str
    zh: str
    en: str
    editor: Editor = Editor.LINE
    width: int = 14  # characters of an exported column
    weight: int = 24  # share of a printed table's width
    max_length: int | None = None  # the most characters a field of the kind holds
    hint_text: str = ""  # the grey hint in an empty form field (a message id)
    guide_text: str = N_("text")  # what the import template says to write (a message id)
    number_format: str | None = None  # the .xlsx number format of its cells
    reference: bool = False  # the value is the id of another record (staff, level, customer)
    many: bool = False  # the value is several of the field's choices

    @property
    def label(self) -> str:
        """The kind's name in the interface language (the office fields dialog lists it)."""
        return self.zh if is_chinese() else self.en

    def hint(self) -> str:
        """The grey hint in an empty field: the form to type, never a value that looks like
        data."""
        return _(self.hint_text) if self.hint_text else ""

    def guide(self) -> str:
        """What the import template's field sheet says to write in a column of this kind."""
        return _(self.guide_text)

    def column(self, name: str) -> peewee.Field:
        """The database column that stores field ``name`` of this kind on the Customer table."""
        return peewee.TextField(null=True)

    def parse(self, text: str) -> Any:
        """The value of typed ``text`` (not empty).

        Raises:
            ValueProblem: the text is no value of this kind; the message says why.
        """
        return text.strip()

    def read(self, text: str | None) -> Any:
        """The value of typed or imported text; None for empty text.

        Raises:
            ValueProblem: see ``parse``.
        """
        if text is None or not str(text).strip():
            return None
        try:
            return self.parse(str(text))
        except PhoneError as exc:
            raise ValueProblem(str(exc)) from exc

    def accept(self, value: Any, choices: Choices = (), limit: int | None = None) -> Any:
        """The value of anything a form or a service gives (text, a number, a date, choice
        keys); None for empty. Text values are held to ``limit`` characters when given.

        Raises:
            ValueProblem: see ``parse``.
        """
        if empty_cell(value):
            return None
        parsed = self.read(value) if isinstance(value, str) else self.typed(value)
        if limit is not None and isinstance(parsed, str):
            check_length(parsed, limit)
        return parsed

    def typed(self, value: Any) -> Any:
        """The value of a value that is no text (a Decimal from a spin box, a workbook number):
        it obeys the same rules as typed text (no negative amounts, no ten-digit mobiles)."""
        return self.read(str(value))

    def from_cell(self, value: Any, choices: Choices, names: CellNames,
                  date1904: bool = False) -> Any:
        """The value of one spreadsheet cell; None for an empty cell.

        Raises:
            ValueProblem: the cell holds no value of this kind; the message says why.
        """
        if empty_cell(value):
            return None
        return self.parse_cell(value, choices, names, date1904)

    def parse_cell(self, value: Any, choices: Choices, names: CellNames,
                   date1904: bool) -> Any:
        """``from_cell`` for a cell that holds something."""
        return self.read(cell_text(value))

    def display(self, value: Any, choices: Choices = ()) -> str:
        """The value as a person reads it on screen and on paper (choices by their label when
        ``choices`` are given)."""
        if value is None or value == "":
            return ""
        return self.show(value, choices)

    def show(self, value: Any, choices: Choices) -> str:
        """``display`` for a value that is there."""
        return str(value)

    def cell(self, value: Any, choices: Choices = ()) -> Any:
        """The value of an .xlsx cell that imports back to ``value`` (not None)."""
        return value

    def store(self, value: Any) -> str:
        """The value as kept in the archive as text (the office's own fields)."""
        return str(value)

    def load(self, stored: str) -> Any:
        """The value of text ``store`` wrote."""
        return stored

    def unanswered(self, value: Any) -> bool:
        """True when an important field of this kind holding ``value`` asks to be filled."""
        return empty_cell(value)

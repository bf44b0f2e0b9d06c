"""The archives a new visitor is related to, for a visitor brought by an old customer (老带新):
the referrer's archive number (区分准则 10: the visitor goes to the referrer's salesperson) and
that of a member of the same household (11: to whoever received the first member).

Each number is looked up as it is typed (an operation, off the UI thread) and said to be found
or not; registering looks up again what is typed then, in its own operation.
"""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QLineEdit, QWidget

from crmdesk.errors import NotFoundError, Problem, ValidationError
from crmdesk.i18n import _
from crmdesk.services.ownership import customer_id_of
from crmdesk.ui.operations import Operation, Operations

SOURCE = "old_brings_new"
FIELDS = ("referrer_id", "household_of")
PROBLEM_STYLE = "color: #b3261e;"


def _found(number: str) -> int | None:
    """The archive numbered ``number``, or None when there is none."""
    try:
        return customer_id_of(number)
    except NotFoundError:
        return None


class RelatedArchives(QWidget):
    """Two archive numbers; ``changed`` fires when what they name changes."""

    changed = Signal()

    def __init__(self, operations: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._operations = operations
        self.lines: dict[str, QLineEdit] = {}
        self.notes: dict[str, QLabel] = {}
        # What each line was last looked up as, and the archive found (None: none).
        self._looked_up: dict[str, tuple[str, int | None]] = {f: ("", None) for f in FIELDS}
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        for field, name, label in (("referrer_id", "visitReferrer", self.label("referrer_id")),
                                   ("household_of", "visitHousehold",
                                    self.label("household_of"))):
            line = QLineEdit(self)
            line.setObjectName(name)
            line.setPlaceholderText(_("archive no., e.g. KH2026000123 (optional)"))
            line.editingFinished.connect(lambda f=field: self.look_up(f))
            note = QLabel(self)
            note.setObjectName(f"{name}Note")
            row = QHBoxLayout()
            row.addWidget(line, 1)
            row.addWidget(note, 1)
            form.addRow(label, row)
            self.lines[field], self.notes[field] = line, note
        self.setVisible(False)

    @staticmethod
    def label(field: str) -> str:
        """The field's label, as the form and its problems name it."""
        return {"referrer_id": _("Referrer's archive no."),
                "household_of": _("Household member's archive no.")}[field]

    def set_source(self, source: str | None) -> None:
        """Show the numbers for a visitor brought by an old customer, else hide them."""
        shown = source == SOURCE
        if shown == (not self.isHidden()):
            return
        self.setVisible(shown)
        self.changed.emit()

    def look_up(self, field: str) -> Operation | None:
        """Look up what is typed in ``field``'s line and say whether it names an archive."""
        number = self.lines[field].text().strip()
        if not number:
            self._take(field, number, None)
            return None
        return self._operations.run(lambda: _found(number),
                                    lambda found: self._take(field, number, found),
                                    channel=f"visit-related-{field}-{id(self)}",
                                    title=_("Archives not checked"), parent=self)

    def _take(self, field: str, number: str, found: int | None) -> None:
        before = self._looked_up[field][1]
        self._looked_up[field] = (number, found)
        note = self.notes[field]
        if number and found is None:
            note.setText(_("no archive numbered {no}").format(no=number))
            note.setStyleSheet(PROBLEM_STYLE)
        else:
            note.setText(_("found") if number else "")
            note.setStyleSheet("")
        if found != before:
            self.changed.emit()

    def found(self) -> dict[str, int | None]:
        """The archives named as last looked up (none while the lines are hidden)."""
        shown = not self.isHidden()
        return {f: self._looked_up[f][1] if shown else None for f in FIELDS}

    def typed(self) -> dict[str, str]:
        """The numbers typed, by field (none while the lines are hidden): what registering
        looks up (``look_up_typed``) off the UI thread."""
        if self.isHidden():
            return {}
        return {field: self.lines[field].text().strip() for field in FIELDS}


def look_up_typed(typed: dict[str, str]) -> dict[str, int | None]:
    """The archives the typed numbers name, by field; for registering (reads the archive).

    Raises:
        ValidationError: a number names no archive (which field, which number).
    """
    found = {field: _found(typed[field]) if typed.get(field) else None for field in FIELDS}
    problems = [Problem(field, RelatedArchives.label(field),
                        _("no archive numbered {no}").format(no=typed[field]))
                for field in FIELDS if typed.get(field) and found[field] is None]
    if problems:
        raise ValidationError(problems)
    return found

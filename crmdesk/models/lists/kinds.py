"""Kinds of list column: how wide a column is on screen, in Excel and on paper, how its values
are aligned, and what text or cell a value becomes."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from crmdesk.i18n import _
from crmdesk.models.card import Choice
from crmdesk.models.fieldtypes import Kind, display_text

LEFT, CENTER, RIGHT = "LEFT", "CENTER", "RIGHT"


@dataclass(frozen=True)
class ColumnKind:
    """What a list column holds. ``chars`` is its width in characters on screen and in Excel,
    ``weight`` its share of the printed page's width (millimetres on A4 across), ``sample``
    text the screen shows whole in it."""

    chars: int
    weight: float
    align: str = LEFT
    sample: str = ""

    def display(self, value: Any) -> str:
        """The value as a person reads it in the list."""
        if value is None:
            return ""
        if isinstance(value, bool):
            return _("Yes") if value else _("No")
        return str(value)

    def printed(self, value: Any) -> str:
        """The value as the printed register shows it."""
        return self.display(value)

    def cell(self, value: Any) -> Any:
        """The value of its .xlsx cell: dates, moments and numbers as such, text as text."""
        return None if value == "" else value


class DayKind(ColumnKind):
    """A day (a moment shows its day only)."""

    def display(self, value: Any) -> str:
        if isinstance(value, dt.datetime):
            value = value.date()
        return value.isoformat() if isinstance(value, dt.date) else super().display(value)


class LastContactKind(DayKind):
    """The day of a customer's last contact: "never" when there was none."""

    def display(self, value: Any) -> str:
        return _("never") if value is None else super().display(value)

    def cell(self, value: Any) -> Any:
        return value


class MomentKind(ColumnKind):
    """A moment, to the minute."""

    def display(self, value: Any) -> str:
        if isinstance(value, dt.datetime):
            return value.strftime("%Y-%m-%d %H:%M")
        return super().display(value)


class PhoneKind(ColumnKind):
    """A phone number, spaced for reading; one masked for the reader (138****8000) as it is.
    Always text in Excel (never 1.38E+10)."""

    def display(self, value: Any) -> str:
        if not value:
            return ""
        return value if "*" in value else display_text(Kind.PHONE, value)

    def cell(self, value: Any) -> Any:
        return value or None


class OverdueDaysKind(ColumnKind):
    """Days past a follow-up date: nothing shown for a customer not yet overdue."""

    def display(self, value: Any) -> str:
        return str(value) if value and value > 0 else ""


@dataclass(frozen=True)
class LabelKind(ColumnKind):
    """A stored key (a contact method, a source) shown by its label; Excel gets the label."""

    label: Callable[[Any], str] = str

    def display(self, value: Any) -> str:
        return "" if value is None or value == "" else self.label(value)

    def cell(self, value: Any) -> Any:
        return self.display(value) or None


ARCHIVE_NO = ColumnKind(16, 21.5, sample="KH2026000000")
NAME = ColumnKind(14, 22, sample="欧阳晓燕")
COMPANY = ColumnKind(14, 33, sample="深圳金桥医药")
PERSON = ColumnKind(10, 13.5)  # a member of staff, a person contacted
SHORT = ColumnKind(8, 13.5)  # a status, a channel, a source
CODE = ColumnKind(6, 9, CENTER)  # a level code
PHONE = PhoneKind(14, 21, sample="138 0000 0000")
DAY = DayKind(12, 16.5, sample="2026-00-00")
LAST_CONTACT = LastContactKind(12, 16.5, sample="2026-00-00")
MOMENT = MomentKind(17, 17.5, sample="2026-00-00 00:00")
COUNT = ColumnKind(6, 8, RIGHT)
OVERDUE_DAYS = OverdueDaysKind(8, 15, RIGHT)
LINE = ColumnKind(30, 30)  # a line of text: a purpose, a conclusion
RECORD = ColumnKind(40, 57)  # what happened at a contact


def labels(label: Callable[[Any], str], chars: int = 8, weight: float = 13.5) -> LabelKind:
    """A kind for keys shown by ``label``."""
    return LabelKind(chars, weight, label=label)


def choices(options: Sequence[Choice], chars: int = 8, weight: float = 13.5) -> LabelKind:
    """A kind for the keys of a card's ``options`` (a key no longer offered shows as it is)."""
    by_key = {c.key: c for c in options}
    return labels(lambda key: by_key[key].label if key in by_key else str(key), chars, weight)


class TimeKind(ColumnKind):
    """The time of a moment (a day's register shows no day); Excel keeps the whole moment."""

    def display(self, value: Any) -> str:
        return value.strftime("%H:%M") if isinstance(value, dt.datetime) else ""


TIME = TimeKind(6, 10, sample="00:00")

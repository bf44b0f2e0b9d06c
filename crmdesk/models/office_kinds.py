"""Kinds of the office's own card fields, each a type object that owns its behaviour.

A kind knows how typed or imported text becomes its value (``parse``), how that value is kept
in the archive as text (``store``/``load``: one form on every backend, so an index on it serves
filters), how a person reads it (``display``), what an .xlsx cell holds (``cell``), how wide
its column is, and which editor the card form gives it (``editor``). New code asks the kind
rather than testing an enum; the built-in fields' kinds are to move here in time.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from crmdesk.i18n import _, is_chinese
from crmdesk.models.fieldtypes import (
    Kind,
    ValueProblem,
    check_length,
    display_text,
    parse_bool,
    parse_date,
    parse_money,
)

TEXT_LIMIT = 500
NUMBER_LIMIT = Decimal("1e12")


@dataclass(frozen=True)
class FieldKind:
    """One kind of office field; the base holds free text."""

    key: str
    zh: str
    en: str
    editor: Kind  # the card form's editor widget for it
    width: int = 14  # characters of an exported column

    @property
    def label(self) -> str:
        return self.zh if is_chinese() else self.en

    def parse(self, text: str) -> Any:
        """The value of typed or imported ``text`` (already non-empty).

        Raises:
            ValueProblem: the text is no value of this kind; the message says why.
        """
        return check_length(text.strip(), TEXT_LIMIT)

    def accept(self, value: Any) -> Any:
        """The value of anything a form or a workbook cell gives (text, a number, a date);
        None for empty.

        Raises:
            ValueProblem: see ``parse``.
        """
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        return self.parse(str(value))

    def store(self, value: Any) -> str:
        """The value as kept in the archive."""
        return str(value)

    def load(self, stored: str) -> Any:
        """The value of text ``store`` wrote."""
        return stored

    def display(self, value: Any) -> str:
        """The value as a person reads it on screen and on paper."""
        return "" if value is None else str(value)

    def cell(self, value: Any) -> Any:
        """The value of an .xlsx cell that imports back to ``value``."""
        return value


class NumberKind(FieldKind):
    """A number, whole or with decimals (years of work, floor area)."""

    def parse(self, text: str) -> Any:
        cleaned = text.strip().replace(",", "").replace("，", "")
        try:
            number = Decimal(cleaned)
        except InvalidOperation as exc:
            raise ValueProblem(_("not a number: {text}").format(text=text)) from exc
        if not number.is_finite() or abs(number) >= NUMBER_LIMIT:
            raise ValueProblem(_("not a number: {text}").format(text=text))
        # 3.50 and 3.5 are one value: kept without trailing zeros, so filters find both.
        return number.normalize() if number != number.to_integral() else number.quantize(1)

    def accept(self, value: Any) -> Any:
        if isinstance(value, bool):
            raise ValueProblem(_("not a number: {text}").format(text=value))
        if isinstance(value, int | float | Decimal):
            return self.parse(str(value))
        return super().accept(value)

    def store(self, value: Any) -> str:
        return format(value, "f")

    def load(self, stored: str) -> Any:
        return Decimal(stored)

    def display(self, value: Any) -> str:
        return "" if value is None else format(value, "f")

    def cell(self, value: Any) -> Any:
        return int(value) if value == value.to_integral() else value


class MoneyKind(FieldKind):
    """An amount in yuan, to the cent, never negative."""

    def parse(self, text: str) -> Any:
        return parse_money(text)

    def accept(self, value: Any) -> Any:
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            return parse_money(str(value))
        return super().accept(value)

    def store(self, value: Any) -> str:
        return str(value)

    def load(self, stored: str) -> Any:
        return Decimal(stored)

    def display(self, value: Any) -> str:
        return display_text(Kind.MONEY, value)


class DateKind(FieldKind):
    """A day, written year first."""

    def parse(self, text: str) -> Any:
        return parse_date(text)

    def accept(self, value: Any) -> Any:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        return super().accept(value)

    def store(self, value: Any) -> str:
        return value.isoformat()

    def load(self, stored: str) -> Any:
        return dt.date.fromisoformat(stored)

    def display(self, value: Any) -> str:
        return "" if value is None else value.isoformat()


class YesNoKind(FieldKind):
    """A yes or no answer (是/否)."""

    def parse(self, text: str) -> Any:
        return parse_bool(text)

    def accept(self, value: Any) -> Any:
        if isinstance(value, bool):
            return value
        return super().accept(value)

    def store(self, value: Any) -> str:
        return "1" if value else "0"

    def load(self, stored: str) -> Any:
        return stored == "1"

    def display(self, value: Any) -> str:
        return display_text(Kind.BOOL, value)

    def cell(self, value: Any) -> Any:
        return self.display(value)


class ChoiceKind(FieldKind):
    """One of the field's own choices; the stored form is the choice's key. The field checks
    that the key is one of its choices (see ``OfficeField``)."""


TEXT = FieldKind("text", "文本", "Text", Kind.TEXT, 20)
NUMBER = NumberKind("number", "数字", "Number", Kind.TEXT, 10)
MONEY = MoneyKind("money", "金额", "Amount", Kind.MONEY, 14)
DATE = DateKind("date", "日期", "Date", Kind.DATE, 12)
CHOICE = ChoiceKind("choice", "选项", "Choice", Kind.CHOICE, 14)
YES_NO = YesNoKind("yes_no", "是/否", "Yes / no", Kind.BOOL, 8)

KINDS: dict[str, FieldKind] = {k.key: k for k in (TEXT, NUMBER, MONEY, DATE, CHOICE, YES_NO)}

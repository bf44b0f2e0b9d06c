"""The kinds of field whose value the card holds itself: text, e-mail, phones, days, amounts,
numbers, shares, yes/no and choices."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

import peewee

from crmdesk.i18n import _
from crmdesk.models import cell_values
from crmdesk.models.cell_values import cell_text, empty_cell, match_choice
from crmdesk.models.field_kind import CellNames, Choices, FieldKind
from crmdesk.models.parsers import (
    ValueProblem,
    parse_bool,
    parse_date,
    parse_email,
    parse_integer,
    parse_money,
    parse_percent,
)
from crmdesk.models.phones import format_phone, normalize_mobile, normalize_phone

MULTI_SEPARATOR = ","  # between the keys of several choices, as stored
MULTI_JOIN = "、"  # between the labels of several choices, as shown and written
NUMBER_LIMIT = Decimal("1e12")


class TextKind(FieldKind):
    """Free text, one line or several; its length is held by the field."""

    def parse_cell(self, value: Any, choices: Choices, names: CellNames,
                   date1904: bool) -> Any:
        if value.__class__ is str:  # what ``read`` would do, directly: most cells are text
            return value.strip()
        return super().parse_cell(value, choices, names, date1904)


class EmailKind(FieldKind):
    """An e-mail address."""

    def parse(self, text: str) -> Any:
        return parse_email(text)


class PhoneKind(FieldKind):
    """A fixed-line phone with its area code (or a mobile); kept as digits, shown grouped."""

    def parse(self, text: str) -> Any:
        return normalize_phone(text)

    def parse_cell(self, value: Any, choices: Choices, names: CellNames,
                   date1904: bool) -> Any:
        return self.read(cell_values.phone_text(value))

    def show(self, value: Any, choices: Choices) -> str:
        return format_phone(value)


class MobileKind(PhoneKind):
    """A mainland mobile number, eleven digits."""

    def parse(self, text: str) -> Any:
        return normalize_mobile(text)


class DateKind(FieldKind):
    """A day, written year first."""

    def column(self, name: str) -> peewee.Field:
        return peewee.DateField(null=True)

    def parse(self, text: str) -> Any:
        return parse_date(text)

    def typed(self, value: Any) -> Any:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        return super().typed(value)

    def parse_cell(self, value: Any, choices: Choices, names: CellNames,
                   date1904: bool) -> Any:
        return cell_values.clean_date(value, date1904)

    def show(self, value: Any, choices: Choices) -> str:
        return value.isoformat()

    def store(self, value: Any) -> str:
        return value.isoformat()

    def load(self, stored: str) -> Any:
        return dt.date.fromisoformat(stored)


class MoneyKind(FieldKind):
    """An amount in yuan, to the cent, never negative."""

    def column(self, name: str) -> peewee.Field:
        return peewee.DecimalField(max_digits=16, decimal_places=2, null=True, auto_round=True)

    def parse(self, text: str) -> Any:
        return parse_money(text)

    def parse_cell(self, value: Any, choices: Choices, names: CellNames,
                   date1904: bool) -> Any:
        return self.read(cell_values.amount_text(value))

    def show(self, value: Any, choices: Choices) -> str:
        return f"{value:,.2f}"

    def load(self, stored: str) -> Any:
        return Decimal(stored)


class IntegerKind(FieldKind):
    """A whole number (employees, a rank)."""

    def column(self, name: str) -> peewee.Field:
        return peewee.IntegerField(null=True)

    def parse(self, text: str) -> Any:
        return parse_integer(text)

    def load(self, stored: str) -> Any:
        return int(stored)


class PercentKind(IntegerKind):
    """A share from 0 to 100."""

    def parse(self, text: str) -> Any:
        return parse_percent(text)

    def parse_cell(self, value: Any, choices: Choices, names: CellNames,
                   date1904: bool) -> Any:
        return self.read(cell_values.share_text(value))

    def show(self, value: Any, choices: Choices) -> str:
        return f"{value}%"


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

    def typed(self, value: Any) -> Any:
        if isinstance(value, bool):
            raise ValueProblem(_("not a number: {text}").format(text=value))
        return super().typed(value)

    def show(self, value: Any, choices: Choices) -> str:
        return format(value, "f")

    def cell(self, value: Any, choices: Choices = ()) -> Any:
        return int(value) if value == value.to_integral() else value

    def store(self, value: Any) -> str:
        return format(value, "f")

    def load(self, stored: str) -> Any:
        return Decimal(stored)


class YesNoKind(FieldKind):
    """A yes or no answer (是/否); an unticked important box asks to be answered."""

    def column(self, name: str) -> peewee.Field:
        return peewee.BooleanField(null=True)

    def parse(self, text: str) -> Any:
        return parse_bool(text)

    def typed(self, value: Any) -> Any:
        return value if isinstance(value, bool) else super().typed(value)

    def parse_cell(self, value: Any, choices: Choices, names: CellNames,
                   date1904: bool) -> Any:
        return value if isinstance(value, bool) else self.read(cell_text(value))

    def show(self, value: Any, choices: Choices) -> str:
        return _("Yes") if value else _("No")

    def cell(self, value: Any, choices: Choices = ()) -> Any:
        return self.show(value, choices)

    def store(self, value: Any) -> str:
        return "1" if value else "0"

    def load(self, stored: str) -> Any:
        return stored == "1"

    def unanswered(self, value: Any) -> bool:
        return empty_cell(value) or value is False


class ChoiceKind(FieldKind):
    """One of the field's choices (``many``: several), stored by key."""

    def accept(self, value: Any, choices: Choices = (), limit: int | None = None) -> Any:
        if empty_cell(value):
            return None
        keys = value.split(MULTI_SEPARATOR) if isinstance(value, str) else list(value)
        known = {c.key for c in choices}
        unknown = [k for k in keys if k not in known]
        if unknown:
            raise ValueProblem(
                _("not one of the choices: {value}").format(value=", ".join(unknown)))
        if not self.many and len(keys) > 1:
            raise ValueProblem(_("choose only one"))
        return MULTI_SEPARATOR.join(keys) or None

    def parse_cell(self, value: Any, choices: Choices, names: CellNames,
                   date1904: bool) -> Any:
        text = cell_text(value)
        if not self.many:
            return match_choice(choices, text)
        keys = [match_choice(choices, part) for part in cell_values.split_choices(text)]
        return MULTI_SEPARATOR.join(dict.fromkeys(keys)) or None

    def show(self, value: Any, choices: Choices) -> str:
        if not choices:
            return str(value)
        labels = {c.key: c.label for c in choices}
        if not self.many:
            return labels.get(value, str(value))
        keys = [k.strip() for k in str(value).split(MULTI_SEPARATOR) if k.strip()]
        return MULTI_JOIN.join(labels.get(k, k) for k in keys)

    def cell(self, value: Any, choices: Choices = ()) -> Any:
        labels = {c.key: c.label for c in choices}
        if not self.many:
            return labels.get(value, value)
        found = (labels.get(k) for k in str(value).split(MULTI_SEPARATOR))
        return MULTI_JOIN.join(label for label in found if label)

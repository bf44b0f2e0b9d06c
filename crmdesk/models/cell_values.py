"""What a spreadsheet cell's value means, before a field kind takes it.

Offices type the same thing many ways and Excel keeps it in its own ways: phones stored as
numbers (13800138000.0, or text 1.38001E+10 whose digits Excel already lost), date serials in
the 1900 and 1904 systems, dates written day and month first, amounts as binary fractions, and
choices written as their Chinese or English label. The field kinds (crmdesk.models.fieldtypes)
turn such a cell into text they parse as if typed, so an import accepts and refuses exactly
what the card form does. Reading the workbook itself stays in crmdesk.importers.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from crmdesk.i18n import _
from crmdesk.models.parsers import ValueProblem, parse_date

if TYPE_CHECKING:
    from crmdesk.models.card import Choice

_SCIENTIFIC = re.compile(r"^[+-]?\d+(?:\.\d+)?[eE][+-]?\d+$")
_TRAILING_ZERO = re.compile(r"^(\d+)\.0+$")
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_TIME_PART = re.compile(r"^(\S+)[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")
_MULTI_SPLIT = re.compile(r"[,，、;；/]")
_EXCEL_1900 = dt.date(1899, 12, 30)
_EXCEL_1904 = dt.date(1904, 1, 1)
_EARLIEST, _LATEST = dt.date(1900, 1, 1), dt.date(2200, 12, 31)


def normalized(text: str) -> str:
    """The form two spellings of a name are compared in: NFKC (full-width to ASCII), no spaces,
    case folded."""
    return "".join(unicodedata.normalize("NFKC", text).split()).casefold()


def empty_cell(value: Any) -> bool:
    """True for a cell that holds nothing (None, or only spaces)."""
    return value is None or (isinstance(value, str) and not value.strip())


def _integer_text(number: float | int) -> str | None:
    if isinstance(number, float) and not number.is_integer():
        return None
    return str(int(number))


def cell_text(value: Any) -> str:
    """The text a person sees for a cell value: 13800138000.0 as 13800138000, dates in ISO."""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, int | float):
        whole = _integer_text(value)
        return whole if whole is not None else f"{value:.15g}"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def excel_serial(serial: float, date1904: bool) -> dt.date:
    """The day an Excel serial number stands for, in the workbook's date system.

    The 1900 system counts a 29 February 1900 that never was (serial 60), kept by Excel for
    Lotus 1-2-3; serials before it are one day off from the usual base.
    """
    day = int(serial)
    if date1904:
        base = _EXCEL_1904
    elif day == 60:
        raise ValueProblem(_("serial 60 is 29 February 1900, a day that never was"))
    else:
        base = _EXCEL_1900 if day > 60 else _EXCEL_1900 + dt.timedelta(days=1)
    try:
        date = base + dt.timedelta(days=day)
    except OverflowError as exc:
        raise ValueProblem(_("not a date: {text}").format(text=serial)) from exc
    return date


def _checked(date: dt.date, text: str) -> dt.date:
    if not _EARLIEST <= date <= _LATEST:
        raise ValueProblem(_("not a date: {text}").format(text=text))
    return date


def clean_date(value: Any, date1904: bool = False) -> dt.date | None:
    """A date from a date cell, a serial number, or text in any year-first form.

    Day-first and month-first text (25/06/2023, 06/25/2023) is accepted when only one reading
    is a real day; 05/06/2023 could be 5 June or 6 May and is refused rather than guessed.
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return _checked(value.date(), cell_text(value))
    if isinstance(value, dt.date):
        return _checked(value, cell_text(value))
    if isinstance(value, int | float) and not isinstance(value, bool):
        text = cell_text(value)
        if re.fullmatch(r"(19|20)\d{6}", text):  # 20230506 typed as a number
            return _checked(parse_date(text), text)
        if value < 1:
            raise ValueProblem(_("not a date: {text}").format(text=text))
        return _checked(excel_serial(value, date1904), text)
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if not text:
        return None
    with_time = _TIME_PART.match(text)
    if with_time:
        text = with_time.group(1)
    found = _DAY_MONTH_YEAR.match(text)
    if found:
        first, second, year = (int(g) for g in found.groups())
        if first > 12 >= second:
            day, month = first, second
        elif second > 12 >= first:
            month, day = first, second
        elif first == second:
            day = month = first
        else:
            raise ValueProblem(
                _("{text} could be read day first or month first; write it as year-month-day, "
                  "e.g. 2023-05-06").format(text=text))
        text = f"{year}-{month}-{day}"
    return _checked(parse_date(text), text)


def phone_text(value: Any) -> str:
    """The digits of a phone cell: a number cell as its whole digits, 1.38E+10 refused."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        whole = _integer_text(value)
        if whole is None:
            raise ValueProblem(_("not a phone number"))
        return whole
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if _TRAILING_ZERO.match(text):
        return _TRAILING_ZERO.sub(r"\1", text)
    if _SCIENTIFIC.match(text):
        number = Decimal(text)
        if number.as_tuple().exponent > 0 or number != number.to_integral_value():  # type: ignore[operator]
            raise ValueProblem(
                _("Excel shortened this number to {text} and its last digits are lost; format "
                  "the column as text, type the numbers again, and import again.").format(
                    text=text))
        return str(int(number))
    return text


def amount_text(value: Any) -> str:
    """The text of an amount cell: a binary fraction read to the 15 digits Excel shows."""
    if isinstance(value, float):
        try:
            return str(Decimal(f"{value:.15g}"))
        except InvalidOperation as exc:
            raise ValueProblem(_("not an amount: {text}").format(text=value)) from exc
    return cell_text(value)


def share_text(value: Any) -> str:
    """The text of a percentage cell: a cell formatted as 35% holds 0.35."""
    if isinstance(value, float) and 0 < value < 1:
        return str(round(value * 100))
    return cell_text(value)


@lru_cache(maxsize=256)
def _choice_index(choices: tuple[Choice, ...]) -> dict[str, str]:
    index: dict[str, str] = {}
    parts: dict[str, set[str]] = {}
    for choice in choices:
        for spelling in (choice.key, choice.zh, choice.en):
            index.setdefault(normalized(spelling), choice.key)
        for part in choice.zh.split("/"):
            parts.setdefault(normalized(part), set()).add(choice.key)
    for part, keys in parts.items():
        if len(keys) == 1:
            index.setdefault(part, next(iter(keys)))
    return index


def match_choice(choices: Sequence[Choice], text: str) -> str:
    """The key of the option written as ``text`` (its key, Chinese or English label, or one
    part of a Chinese label such as 男 of 男/女 when only one option has it).

    Raises:
        ValueProblem: no option is written so; the message lists the options.
    """
    key = _choice_index(tuple(choices)).get(normalized(text))
    if key is None:
        options = "、".join(c.label for c in choices)
        raise ValueProblem(
            _("not one of the choices: {value} (choose from {options})").format(
                value=text, options=options))
    return key


def split_choices(text: str) -> list[str]:
    """The parts of a cell naming several choices: 家用,自用 / 家用、自用 / 家用；自用 ..."""
    return [part for part in _MULTI_SPLIT.split(text) if part.strip()]

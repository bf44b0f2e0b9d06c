"""How text typed or imported becomes a value: days, amounts, whole numbers, shares, e-mail
addresses and yes/no, each refused with one message that says why; and how long text may be.

The field kinds (crmdesk.models.fieldtypes) parse through these, so the card form, the importer
and the command line accept and refuse the same text with the same words.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from crmdesk.i18n import _


class ValueProblem(ValueError):
    """Text that cannot become a value of its kind; the message says what is wrong."""


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
# The most characters typed text may hold: a name (of a person, a company, a user), one line
# of text (an address, a purpose, a reason), and text that may run over several lines (notes).
NAME_MAX = 100
LINE_MAX = 500
NOTE_MAX = 2000
MONEY_PLACES = Decimal("0.01")
# SQLite keeps decimals as binary floating point, which holds every cent exactly only below
# about 4.5e13; ten trillion yuan is far beyond any amount an office writes.
MONEY_MAX = Decimal("9999999999999.99")


def _normalize_text(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def parse_date(text: str) -> dt.date:
    """Parse a day written year first: 2023-05-06, 2023/5/6, 2023.5.6, 2023年5月6日, 20230506."""
    text = _normalize_text(text).replace(" ", "")
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            year, month, day = (int(g) for g in match.groups())
            try:
                return dt.date(year, month, day)
            except ValueError as exc:
                raise ValueProblem(_("no such day: {text}").format(text=text)) from exc
    raise ValueProblem(_("write the date as year-month-day, e.g. 2023-05-06"))


def parse_money(text: str) -> Decimal:
    """Parse an amount such as ``12,345.60`` or ``¥1200`` into a Decimal with two places."""
    cleaned = _normalize_text(text).replace(",", "").replace("¥", "").replace("￥", "")
    cleaned = cleaned.removesuffix("元").strip()
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValueProblem(_("not an amount: {text}").format(text=text)) from exc
    if not value.is_finite() or abs(value) > MONEY_MAX:
        raise ValueProblem(_("not an amount: {text}").format(text=text))
    if value < 0:
        raise ValueProblem(_("amounts cannot be negative"))
    # Offices round half up (四舍五入): 2.345 is 2.35, not the banker's 2.34.
    return value.quantize(MONEY_PLACES, rounding=ROUND_HALF_UP)


def parse_integer(text: str) -> int:
    """Parse a whole number (full-width digits and thousands separators allowed)."""
    cleaned = _normalize_text(text).replace(",", "")
    if not re.fullmatch(r"-?\d+", cleaned):
        raise ValueProblem(_("not a whole number: {text}").format(text=text))
    return int(cleaned)


def parse_percent(text: str) -> int:
    """Parse a share from 0 to 100, with or without the % sign."""
    value = parse_integer(_normalize_text(text).removesuffix("%"))
    if not 0 <= value <= 100:
        raise ValueProblem(_("a percentage lies between 0 and 100"))
    return value


def parse_email(text: str) -> str:
    """Check the shape of an e-mail address and return it trimmed."""
    cleaned = _normalize_text(text)
    if not _EMAIL.match(cleaned):
        raise ValueProblem(_("not an e-mail address: {text}").format(text=text))
    return cleaned


def parse_bool(text: str) -> bool:
    """Read yes/no in the forms offices write it (是/否, Y/N, 1/0, √)."""
    cleaned = _normalize_text(text).lower()
    if cleaned in {"是", "y", "yes", "true", "1", "√", "同意", "有"}:
        return True
    if cleaned in {"否", "n", "no", "false", "0", "×", "不同意", "无"}:
        return False
    raise ValueProblem(_("answer yes or no"))


def check_length(text: str, limit: int | None) -> str:
    """``text`` itself when it is at most ``limit`` characters long (None: any length).

    Raises:
        ValueProblem: the text is longer; the message gives the limit.
    """
    if limit is not None and len(text) > limit:
        raise ValueProblem(_("at most {n} characters").format(n=limit))
    return text

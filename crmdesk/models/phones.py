"""Phone numbers: one stored form for every way people type them, and a readable display form.

Mainland numbers are stored as their national digits (mobiles ``13800138000``, fixed lines
with the area code ``01065529988``); numbers elsewhere keep their country code (``+85291234567``).
"""
from __future__ import annotations

import re
import unicodedata

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat

from crmdesk.i18n import _

REGION = "CN"
# Stored mainland mobiles that phonenumbers shows as 3-4-4 digits (checked for every prefix).
_PLAIN_MOBILE = re.compile(r"1(?:[3-689][0-9]|7[0-8])[0-9]{8}")


def _mainland_mobile_pattern() -> re.Pattern[str]:
    """National numbers the library itself takes for mainland mobiles, from its own metadata,
    less any it would read as starting with a carrier or trunk prefix (1790x, 11x, 12x)."""
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(REGION)
    mobile = metadata.mobile.national_number_pattern
    trunk = metadata.national_prefix_for_parsing
    return re.compile(f"(?!{trunk})(?:{mobile})")


# A plain 11-digit mainland mobile (as imports bring them by the ten thousand) matching this
# is what ``normalize_mobile`` would return anyway: skipping the parser saves 40 µs a number.
_KNOWN_MOBILE = _mainland_mobile_pattern()
# A mainland fixed line written plainly: trunk 0, area code, an optional dash or space, and the
# local number (010-65529988, 0755 88886666, 057188886666). Only the form is checked here.
_WRITTEN_FIXED_LINE = re.compile(r"0[1-9][0-9]{1,2}[- ]?[2-9][0-9]{6,7}")


def _fixed_line_check() -> tuple[frozenset[int], re.Pattern[str]]:
    """The lengths and the pattern the library's validity check accepts for a mainland fixed
    line (the digits after the trunk 0), from its own metadata."""
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(REGION)
    general, fixed = metadata.general_desc, metadata.fixed_line
    lengths = frozenset(general.possible_length) & frozenset(
        fixed.possible_length or general.possible_length)
    pattern = f"(?=(?:{general.national_number_pattern})$)(?:{fixed.national_number_pattern})"
    return lengths, re.compile(pattern)


_FIXED_LINE_LENGTHS, _KNOWN_FIXED_LINE = _fixed_line_check()


def _known_fixed_line(text: str) -> str | None:
    """The stored form of a plainly written mainland fixed line, without the parser (which
    costs 40 µs a number); None when the text needs the parser to decide."""
    if not _WRITTEN_FIXED_LINE.fullmatch(text):
        return None
    national = text[1:].replace("-", "").replace(" ", "")
    if national.startswith("1") and len(national) == 11:
        return None  # a mobile behind a trunk 0: the parser decides
    if len(national) in _FIXED_LINE_LENGTHS and _KNOWN_FIXED_LINE.fullmatch(national):
        return "0" + national
    return None


class PhoneError(ValueError):
    """The text is not a usable phone number; the message says why."""


def _clean(text: str) -> str:
    # Full-width digits and punctuation (１３８) become ASCII before parsing.
    text = unicodedata.normalize("NFKC", text).strip()
    # 0086 is how the country code is dialled from a desk phone.
    return re.sub(r"^00", "+", text)


def _parse(text: str) -> phonenumbers.PhoneNumber:
    try:
        number = phonenumbers.parse(_clean(text), REGION)
    except NumberParseException as exc:
        raise PhoneError(_("not a phone number")) from exc
    if number.country_code == 86 and not phonenumbers.is_valid_number(number):
        digits = re.sub(r"\D", "", text)
        if len(digits) in (7, 8) and not digits.startswith("0"):
            raise PhoneError(_("fixed lines must carry the area code, e.g. 010-65529988"))
        if digits.startswith("1"):
            raise PhoneError(_("mainland mobiles have 11 digits and start with 1"))
        raise PhoneError(_("not a valid mainland number"))
    if not phonenumbers.is_possible_number(number):
        raise PhoneError(_("not a phone number"))
    return number


def _stored(number: phonenumbers.PhoneNumber) -> str:
    if number.country_code == 86:
        return _national_digits(number)
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def _is_mainland_mobile(number: phonenumbers.PhoneNumber) -> bool:
    # For a number already found valid, mainland mobiles are exactly the 11-digit national
    # numbers starting with 1 (Beijing's fixed lines, 10 + 8 digits, have ten); this is much
    # cheaper than asking the library for the number's type, which matters on large imports.
    national = str(number.national_number)
    return len(national) == 11 and national.startswith("1")


def _national_digits(number: phonenumbers.PhoneNumber) -> str:
    national = str(number.national_number)
    # Fixed lines are dialled with a trunk 0 before the area code; store it so 010-... reads right.
    return national if _is_mainland_mobile(number) else "0" + national


def normalize_mobile(text: str) -> str:
    """Return the stored form of a mobile number, or raise PhoneError.

    Mainland mobiles have 11 digits starting with 1; ``138 0013 8000``, ``13800138000`` and
    ``+86 138-0013-8000`` all give ``13800138000``.
    """
    if len(text) == 11 and text.isascii() and _KNOWN_MOBILE.fullmatch(text):
        return text
    try:
        number = _parse(text)
    except PhoneError:
        if _clean(text).startswith("+"):
            raise
        # In the mobile field a short number is a mobile typed short, not a fixed line.
        raise PhoneError(_("mainland mobiles have 11 digits and start with 1")) from None
    if number.country_code == 86 and not _is_mainland_mobile(number):
        raise PhoneError(_("mainland mobiles have 11 digits and start with 1"))
    return _stored(number)


def normalize_phone(text: str) -> str:
    """Return the stored form of any phone (fixed line, fax or mobile), or raise PhoneError."""
    if len(text) == 11 and text.isascii() and _KNOWN_MOBILE.fullmatch(text):
        return text
    return _known_fixed_line(text) or _stored(_parse(text))


def format_phone(stored: str | None) -> str:
    """Return the display form of a stored number: ``138 0013 8000``, ``010 6552 9988``."""
    if not stored:
        return ""
    if _PLAIN_MOBILE.fullmatch(stored):
        # What the parser gives for these, without its 35 µs a number: lists format a page of
        # mobiles at a time. (179 is left to the parser: 1790x reads as a dialling prefix.)
        return f"{stored[:3]} {stored[3:7]} {stored[7:]}"
    try:
        number = phonenumbers.parse(stored, REGION)
    except NumberParseException:
        return stored
    if number.country_code == 86:
        return phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)


def mask_mobile(stored: str | None) -> str:
    """A mobile with its middle hidden (138****8000), for those who may not read the card."""
    if not stored:
        return ""
    return stored[:3] + "****" + stored[-4:] if len(stored) >= 8 else "****"

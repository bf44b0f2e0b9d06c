"""Argument types of the command line: whole numbers within a range, days and moments, text free
of control characters, and user text made safe to repeat in a one-line message.

argparse turns a refusal into a usage error (exit code 2) naming the option, so a number too
large for the database or a NUL in a name never reaches the services.
"""
from __future__ import annotations

import argparse
import datetime as dt
import unicodedata
from collections.abc import Callable
from decimal import Decimal

from crmdesk.i18n import _

# What a message repeats of a value typed on the command line (a 10,000-character name is
# shown by its beginning).
SHOWN_MAX = 60
# Ids are 32-bit integers on PostgreSQL (SERIAL).
ID_MAX = 2_147_483_647
LIMIT_MAX = 1_000_000


def _bounded(option: str, low: float, high: float, convert: Callable[[str], float],
             message: str) -> Callable[[str], float]:
    """An argparse type: ``convert``ed text from ``low`` to ``high``, refused with ``message``."""

    def parse(text: str) -> float:
        try:
            value = convert(text.strip())
        except ValueError:
            value = None
        if value is None or not low <= value <= high:  # NaN fails both comparisons
            raise argparse.ArgumentTypeError(message.format(
                option=option, low=low, high=high, value=shown(text)))
        return value

    parse.__name__ = "number"
    return parse


def bounded_float(option: str, low: float, high: float) -> Callable[[str], float]:
    """An argparse type: a number from ``low`` to ``high``, refused naming ``option``."""
    return _bounded(option, low, high, float,
                    _("{option} takes a number from {low} to {high}, not {value}"))


def bounded_int(option: str, low: int, high: int) -> Callable[[str], int]:
    """An argparse type: a whole number from ``low`` to ``high``, refused naming ``option``."""
    return _bounded(option, low, high, int,  # type: ignore[return-value]
                    _("{option} takes a whole number from {low} to {high}, not {value}"))


def day(text: str) -> dt.date:
    """An argparse type: a day as the card accepts it (2026-03-02, 2026/3/2, 2026年3月2日)."""
    from crmdesk.models.parsers import ValueProblem, parse_date

    try:
        return parse_date(text)
    except ValueProblem as exc:
        raise argparse.ArgumentTypeError(shown(str(exc))) from exc


def money(text: str) -> Decimal:
    """An argparse type: an amount of money in yuan (1234.50, 1,234.5, ¥1234)."""
    from crmdesk.models.parsers import ValueProblem, parse_money

    try:
        return parse_money(text)
    except ValueProblem as exc:
        raise argparse.ArgumentTypeError(shown(str(exc))) from exc


def moment(text: str) -> dt.datetime:
    """An argparse type: a day and time, 2026-03-02 09:30."""
    try:
        return dt.datetime.fromisoformat(text.strip())
    except ValueError as exc:
        raise argparse.ArgumentTypeError(_("write it as 2026-03-02 09:30, not {value}").format(
            value=shown(text))) from exc


def _control(ch: str) -> bool:
    return unicodedata.category(ch) == "Cc" and ch not in "\t\n"


def command_line_text(option: str) -> Callable[[str], str]:
    """An argparse type for text: refuses control characters (a NUL, an escape), naming
    ``option``; line breaks and tabs pass, for the services to judge."""

    def parse(text: str) -> str:
        if any(_control(ch) for ch in text):
            raise argparse.ArgumentTypeError(
                _("{option} must not contain control characters").format(option=option))
        return text

    parse.__name__ = "text"
    return parse


def check_text_arguments(parser: argparse.ArgumentParser) -> None:
    """Give every text option and argument of ``parser`` and its subcommands the control
    character check, unless it already has a type of its own."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                check_text_arguments(sub)
        elif action.type is None and action.nargs != 0 and not isinstance(
                action, argparse._HelpAction | argparse._VersionAction):
            name = action.option_strings[-1] if action.option_strings else action.dest
            action.type = command_line_text(name)


def shown(text: str) -> str:
    """``text`` as a one-line message may repeat it: controls escaped, long text cut short."""
    safe = "".join(ch.encode("unicode_escape").decode() if _control(ch) or ch in "\t\n" else ch
                   for ch in text[:SHOWN_MAX + 1])
    return safe[:SHOWN_MAX] + "…" if len(text) > SHOWN_MAX else safe


def add_force(parser: argparse.ArgumentParser) -> None:
    """``--force``: replace an existing output file (without it, an existing file is kept)."""
    parser.add_argument("--force", action="store_true",
                        help=_("replace the output file if it exists"))

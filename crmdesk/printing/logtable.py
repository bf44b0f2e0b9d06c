"""The communication log (沟通记录) as a ruled table: the card's back and the log register."""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from crmdesk.models.card import COMMUNICATION_COLUMNS
from crmdesk.printing import styles
from crmdesk.printing.grid import Column, Grid, fit_widths

_COLUMNS = {c.name: c for c in COMMUNICATION_COLUMNS}
# Printed columns: (column names shown together, relative width, alignment).
_LAYOUT = (
    (("seq",), 8, "CENTER"),
    (("contacted_at",), 17, "LEFT"),
    (("method",), 14, "LEFT"),
    (("person", "person_role"), 20, "LEFT"),
    (("level",), 9, "CENTER"),
    (("record",), 57, "LEFT"),
    (("conclusion",), 23, "LEFT"),
    (("next_follow_up",), 17, "LEFT"),
    (("recorded_by",), 14, "LEFT"),
)


def log_grid() -> Grid:
    """The grid of the communication log, its headings from the card definition."""
    widths = fit_widths([weight for _names, weight, _align in _LAYOUT])
    columns = [
        Column("/".join(_COLUMNS[name].label for name in names), width, align)
        for (names, _weight, align), width in zip(_LAYOUT, widths, strict=True)
    ]
    return Grid(columns)


def _day(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value or "")


def _method(key: Any) -> str:
    choice = next((c for c in _COLUMNS["method"].choices if c.key == key), None)
    return choice.label if choice else str(key or "")


def log_record(entry: Mapping[str, Any]) -> list[str]:
    """One contact as the text of each printed column."""
    person = "/".join(str(entry[k]) for k in ("person", "person_role") if entry.get(k))
    return [
        str(entry.get("seq") or ""),
        _day(entry.get("contacted_at")),
        _method(entry.get("method")),
        person,
        str(entry.get("level") or ""),
        str(entry.get("record") or ""),
        str(entry.get("conclusion") or ""),
        _day(entry.get("next_follow_up")),
        str(entry.get("recorded_by") or ""),
    ]


def blank_row_height() -> float:
    """Height of one empty ruled line left for writing by hand."""
    return styles.REGISTER.row_height(1) * 1.6

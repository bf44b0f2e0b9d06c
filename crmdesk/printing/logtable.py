"""The communication log (沟通记录) as a ruled table: the card's back and the log register,
with the columns the log's declaration gives (crmdesk.models.lists.communications)."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from crmdesk.models.lists.communications import PRINTED_LOG
from crmdesk.printing import styles
from crmdesk.printing.grid import Grid, headings, ruled


def log_grid() -> Grid:
    """The grid of the communication log, its headings from the card definition."""
    return ruled(headings(PRINTED_LOG))


def log_record(entry: Mapping[str, Any]) -> list[str]:
    """One contact as the text of each printed column."""
    return PRINTED_LOG.printed(entry)


def blank_row_height() -> float:
    """Height of one empty ruled line left for writing by hand."""
    return styles.REGISTER.row_height(1) * 1.6

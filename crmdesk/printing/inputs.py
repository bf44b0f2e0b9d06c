"""The plain data printing takes from the services: nothing here touches the archive."""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class PrintContext:
    """Who prints, for which branch, and when: shown on every page."""

    branch: str
    user: str
    printed_at: dt.datetime
    # The audit trail's head when printed ("#SEQ:SEAL"), for verifying the trail from paper.
    audit_head: str = ""
    # The branch's address and logo (PNG or JPEG bytes) from the office settings, if set.
    address: str = ""
    logo: bytes = b""


@dataclass(frozen=True)
class CardSheet:
    """One archive card as printing needs it.

    ``values`` are the card's stored values by field name (references as ids);
    ``references`` holds the text to print for staff, level and customer fields.
    ``communications`` is the log in time order, as ``communication_log`` gives its rows
    (level codes and recorder names already resolved). ``office`` holds the office's own
    fields as printed text, by the group they follow. ``hidden`` names the built-in fields
    the office does not use: they are not printed.
    """

    archive_no: str
    values: Mapping[str, Any]
    references: Mapping[str, str] = field(default_factory=dict)
    decision_people: Sequence[Mapping[str, Any]] = ()
    purchases: Sequence[Mapping[str, Any]] = ()
    # Organisations: our sales by year, in year order, each with its worked-out ``growth``.
    sales_by_year: Sequence[Mapping[str, Any]] = ()
    communications: Sequence[Mapping[str, Any]] = ()
    # The office's own fields, by the key of the card's group they follow: (label, text).
    office: Mapping[str, Sequence[tuple[str, str]]] = field(default_factory=dict)
    hidden: frozenset[str] = frozenset()


@dataclass(frozen=True)
class LogSheet:
    """One customer's communication log, in time order, for the log register."""

    archive_no: str
    name: str
    owner: str
    communications: Sequence[Mapping[str, Any]]


@dataclass(frozen=True)
class OverdueRow:
    """One customer whose follow-up date has passed, as the overdue list prints it."""

    owner: str
    archive_no: str
    name: str
    mobile: str
    level: str
    days_overdue: int
    last_contact: dt.date | None
    last_method: str
    last_conclusion: str
    next_follow_up: dt.date | None
    source: str | None = None

    # The overdue list's declaration (crmdesk.models.lists.overdue) reads the follow-up
    # list's names for these.
    @property
    def level_code(self) -> str:
        return self.level

    @property
    def owner_name(self) -> str:
        return self.owner

    @property
    def last_contact_at(self) -> dt.date | None:
        return self.last_contact


@dataclass(frozen=True)
class VisitSheet:
    """The visitor and caller register from ``start`` to ``end`` (both included).

    ``lines`` come in order of arrival, as the register's service gives them (the columns of
    crmdesk.models.lists.visits read them); ``by_channel`` and ``by_source`` are the counts as
    (label, number) pairs in the order they are printed.
    """

    start: dt.date
    end: dt.date
    lines: Sequence[Any]
    by_channel: Sequence[tuple[str, int]]
    by_source: Sequence[tuple[str, int]]
    first_visits: int
    returning: int

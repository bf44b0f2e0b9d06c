"""成交状况分析: visitors -> archives -> levels O/H/A -> deals, with the close rate and the
average days from first contact to deal by salesperson, source and level.

An archive counts in the period of its first contact (the card's first-contact date, else the
day it was registered); it counts as a deal when it has a deal on or after that day, whenever
it was closed, so a period's close rate grows as its customers buy.

The database counts from the archives' milestones (crmdesk.models.summaries: first-contact
day, owner, source, level and first deal, kept with every card and deal written): one row per
salesperson, source and level, with the number of archives and of those that closed, and the
days they took; the sections are summed from those rows. A click lists the archives from the
cards and deals themselves.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce
from operator import and_
from typing import Any

import peewee

from crmdesk.i18n import _
from crmdesk.models import Customer, Deal, Level, Visit
from crmdesk.models.summaries import Milestone, StartTally
from crmdesk.services.staff import staff_names
from crmdesk.services.statistics.counting import day_of, days_between, same
from crmdesk.services.statistics.periods import Period, whole_months
from crmdesk.services.statistics.report import (
    Drill,
    Figure,
    Reading,
    Report,
    Section,
    mean,
    rate,
)
from crmdesk.services.statistics.scope import Scope
from crmdesk.services.statistics.visitors import first_visits, register_lines
from crmdesk.services.visit_register import source_label

NAME = "conversion"
# Levels close to buying (seed 000: O ordered, H within 7 days, A within 15 days).
HOT_LEVELS = ("O", "H", "A")


@dataclass(frozen=True)
class ArchiveGroup:
    """The archives first contacted in the period with one owner, source and level: how many,
    how many have a deal, and the days from first contact to deal summed over those."""

    owner_id: int | None
    source: str
    level: str
    archives: int
    won: int
    days_to_deal: int

    @property
    def hot(self) -> bool:
        return self.level in HOT_LEVELS


def _first_day() -> peewee.Node:
    return peewee.fn.COALESCE(Customer.first_contact_date, day_of(Customer.created_at))


def _started(period: Period, scope: Scope) -> peewee.Node:
    """The archives first contacted within ``period`` in ``scope``."""
    condition = ((Customer.first_contact_date.between(period.start, period.end))
                 | (Customer.first_contact_date.is_null()
                    & (Customer.created_at >= period.first_moment)
                    & (Customer.created_at < period.after_last_moment)))
    return condition & scope.read(Customer.id, Customer.owner)


def _milestone_groups(where: peewee.Node) -> peewee.Select:
    """Owner, source, level, archives, deals and days to deal of the milestones ``where``."""
    won = Milestone.deal_day.is_null(False)
    days = peewee.Case(None, ((won, days_between(Milestone.first_day, Milestone.deal_day)),), 0)
    return (Milestone.select(Milestone.owner_id, Milestone.source, Milestone.level_id,
                             peewee.fn.COUNT(Milestone.customer_id),
                             peewee.fn.COUNT(Milestone.deal_day), peewee.fn.SUM(days))
            .where(where).group_by(Milestone.owner_id, Milestone.source, Milestone.level_id))


def archive_groups(period: Period, scope: Scope) -> list[ArchiveGroup]:
    """The archives first contacted within ``period`` in ``scope``, counted per owner, source
    and level, with their first deals (on or after the first contact): its whole months from
    the monthly tally, the other days from the archives' milestones."""
    months, days = whole_months(period)
    counts: dict[tuple[Any, ...], list[int]] = {}

    def add(rows: peewee.Select, sign: int = 1) -> None:
        for owner, source, level_id, every, closed, total in rows.tuples():
            sums = counts.setdefault((owner or None, source or "", level_id or None), [0, 0, 0])
            for index, value in enumerate((every, closed, total)):
                sums[index] += sign * int(value or 0)

    for part in days:
        add(_milestone_groups(Milestone.first_day.between(part.start, part.end)
                              & scope.read(Milestone.customer_id, Milestone.owner_id)))
    if months is not None:
        tally = (StartTally.select(StartTally.owner_key, StartTally.source, StartTally.level_key,
                                   peewee.fn.SUM(StartTally.archives),
                                   peewee.fn.SUM(StartTally.won), peewee.fn.SUM(StartTally.days))
                 .where(StartTally.month.between(months.start, months.end))
                 .group_by(StartTally.owner_key, StartTally.source, StartTally.level_key))
        hidden = (Milestone.first_day.between(months.start, months.end)
                  & Milestone.customer_id.in_(sorted(scope.hidden)))
        if scope.staff_id is not None:
            tally = tally.where(StartTally.owner_key == scope.staff_id)
            hidden &= Milestone.owner_id == scope.staff_id
        add(tally)
        if scope.hidden:  # the few archives the reader may not read, taken out again
            add(_milestone_groups(hidden), -1)
    codes = dict(Level.select(Level.id, Level.code).tuples())
    merged: dict[tuple[Any, ...], list[int]] = {}
    for (owner, source, level_id), sums in counts.items():
        into = merged.setdefault((owner, source, codes.get(level_id, "")), [0, 0, 0])
        for index, value in enumerate(sums):
            into[index] += value
    return [ArchiveGroup(owner, source, level, every, closed, total)
            for (owner, source, level), (every, closed, total) in merged.items() if every]


def columns() -> tuple[str, ...]:
    return (_("Archives"), _("At O/H/A"), _("Deals"), _("Close rate %"),
            _("Average days to deal"))


def _row(reading: Reading, label: str, groups: list[ArchiveGroup],
         group: tuple[tuple[str, Any], ...]) -> tuple[Figure, ...]:
    every = sum(g.archives for g in groups)
    won = sum(g.won for g in groups)
    count = reading.count
    return (Figure(label), count(every, "customers", "archives", group),
            count(sum(g.archives for g in groups if g.hot), "customers", "hot", group),
            count(won, "customers", "won", group), rate(won, every),
            mean(sum(g.days_to_deal for g in groups), won))


def _grouped(reading: Reading, groups: list[ArchiveGroup], name: str,
             key: Callable[[ArchiveGroup], Any],
             label: Callable[[Any], str]) -> tuple[tuple[Figure, ...], ...]:
    together: dict[Any, list[ArchiveGroup]] = {}
    for group in groups:
        together.setdefault(key(group), []).append(group)
    sizes = {k: sum(g.archives for g in gs) for k, gs in together.items()}
    rows = [_row(reading, label(k), together[k], ((name, k),))
            for k in sorted(together, key=lambda k: (-sizes[k], label(k)))]
    return (*rows, _row(reading, _("Total"), groups, ()))


def conversion(period: Period, by: str, scope: Scope) -> Report:
    """The deal analysis of the archives first contacted within ``period``."""
    reading = Reading(NAME, period, by, scope.staff_id)
    groups = archive_groups(period, scope)
    names = staff_names()
    total = _row(reading, "", groups, ())
    funnel = (
        (Figure(_("First visits and calls")),
         reading.count(first_visits(period, scope), "visits", "first_visits")),
        (Figure(_("New archives")), total[1]),
        (Figure(_("At O/H/A")), total[2]),
        (Figure(_("Deals")), total[3]),
    )
    sections = (
        Section(_("From first contact to deal"), (_("Stage"), _("Number")), funnel, (1,)),
        Section(_("By salesperson"), (_("Salesperson"), *columns()), _grouped(
            reading, groups, "owner", lambda g: g.owner_id,
            lambda k: names.get(k, _("(none)"))), (1, 3)),
        Section(_("By source"), (_("Source"), *columns()), _grouped(
            reading, groups, "source", lambda g: g.source,
            lambda k: source_label(k) or _("(none)")), (1, 3)),
        Section(_("By level"), (_("Level"), *columns()), _grouped(
            reading, groups, "level", lambda g: g.level, lambda k: k or _("(none)"))),
    )
    return Report(NAME, _("Deal analysis"), period, by, scope.text(), sections)


def members(drill: Drill, scope: Scope) -> peewee.Select:
    """The archives (or, for the first stage, the first visits) a figure counts."""
    period = drill.reading.period
    if drill.key == "first_visits":
        return Visit.select(Visit.id).where(register_lines(period, scope) & ~Visit.returning)
    columns = {"owner": Customer.owner, "source": Customer.source, "level": Level.code}
    where = reduce(and_, (same(columns[name], value) for name, value in drill.group),
                   _started(period, scope))
    if drill.key == "hot":
        where &= Level.code.in_(HOT_LEVELS)
    elif drill.key == "won":
        where &= peewee.fn.EXISTS(Deal.select(Deal.id).where(
            (Deal.customer == Customer.id) & (Deal.closed_on >= _first_day())))
    return (Customer.select(Customer.id)
            .join(Level, peewee.JOIN.LEFT_OUTER, on=(Customer.level == Level.id))
            .where(where))

"""成交状况分析: visitors -> archives -> levels O/H/A -> deals, with the close rate and the
average days from first contact to deal by salesperson, source and level.

An archive counts in the period of its first contact (the card's first-contact date, else the
day it was registered); it counts as a deal when it has a deal on or after that day, whenever
it was closed, so a period's close rate grows as its customers buy.

The database counts: one row per salesperson, source and level, with the ids of the archives
and of those that closed, and the days they took; the sections are summed from those rows.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import peewee

from crmdesk.i18n import _
from crmdesk.models import Customer, Deal, Level
from crmdesk.models.db import database
from crmdesk.services.staff import staff_names
from crmdesk.services.statistics.counting import day_of, days_between, id_list, ids
from crmdesk.services.statistics.periods import Period
from crmdesk.services.statistics.report import Figure, Report, Section, count, rate
from crmdesk.services.statistics.scope import Scope
from crmdesk.services.statistics.visitors import visit_facts
from crmdesk.services.visit_register import source_label

# Levels close to buying (seed 000: O ordered, H within 7 days, A within 15 days).
HOT_LEVELS = ("O", "H", "A")


@dataclass(frozen=True)
class ArchiveGroup:
    """The archives first contacted in the period with one owner, source and level: all of
    them, those with a deal, and the days from first contact to deal summed over those."""

    owner_id: int | None
    source: str
    level: str
    archives: tuple[int, ...]
    won: tuple[int, ...]
    days_to_deal: int

    @property
    def hot(self) -> bool:
        return self.level in HOT_LEVELS


def archive_groups(period: Period, scope: Scope) -> list[ArchiveGroup]:
    """The archives first contacted within ``period`` in ``scope``, grouped, with their first
    deals (on or after the first contact)."""
    first_day = peewee.fn.COALESCE(Customer.first_contact_date, day_of(Customer.created_at))
    started = ((Customer.first_contact_date.between(period.start, period.end))
               | (Customer.first_contact_date.is_null()
                  & (Customer.created_at >= period.first_moment)
                  & (Customer.created_at < period.after_last_moment)))
    first_deal = (Deal.select(peewee.fn.MIN(Deal.closed_on))
                  .where((Deal.customer == Customer.id) & (Deal.closed_on >= first_day)))
    archives = (Customer.select(Customer.id, Customer.owner, Customer.source,
                                Level.code.alias("level"), first_day.alias("first_day"),
                                first_deal.alias("deal_day"))
                .join(Level, peewee.JOIN.LEFT_OUTER, on=(Customer.level == Level.id))
                .where(started & scope.visible(Customer.id)))
    if scope.staff_id is not None:
        archives = archives.where(Customer.owner == scope.staff_id)
    facts = archives.alias("facts")
    won = facts.c.deal_day.is_null(False)
    query = (peewee.Select([facts], [
        facts.c.owner_id, facts.c.source, facts.c.level, id_list(facts.c.id, distinct=False),
        id_list(peewee.Case(None, ((won, facts.c.id),)), distinct=False),
        peewee.fn.SUM(peewee.Case(None, ((won, days_between(facts.c.first_day,
                                                            facts.c.deal_day)),), 0))])
        .group_by(facts.c.owner_id, facts.c.source, facts.c.level)
        .bind(database))
    return [ArchiveGroup(owner, source or "", level or "", tuple(ids(every)), tuple(ids(closed)),
                         int(days or 0))
            for owner, source, level, every, closed, days in query.tuples()]


def columns() -> tuple[str, ...]:
    return (_("Archives"), _("At O/H/A"), _("Deals"), _("Close rate %"),
            _("Average days to deal"))


def _row(label: str, groups: list[ArchiveGroup]) -> tuple[Figure, ...]:
    every = [cid for g in groups for cid in g.archives]
    won = [cid for g in groups for cid in g.won]
    days = sum(g.days_to_deal for g in groups)
    return (Figure(label), count("customers", every),
            count("customers", (cid for g in groups if g.hot for cid in g.archives)),
            count("customers", won), rate(len(won), len(every)),
            Figure(round(days / len(won), 1) if won else None))


def _grouped(groups: list[ArchiveGroup], key: Callable[[ArchiveGroup], Any],
             label: Callable[[Any], str]) -> tuple[tuple[Figure, ...], ...]:
    together: dict[Any, list[ArchiveGroup]] = {}
    sizes: dict[Any, int] = {}
    for group in groups:
        together.setdefault(key(group), []).append(group)
        sizes[key(group)] = sizes.get(key(group), 0) + len(group.archives)
    rows = [_row(label(k), together[k])
            for k in sorted(together, key=lambda k: (-sizes[k], label(k)))]
    return (*rows, _row(_("Total"), groups))


def conversion(period: Period, by: str, scope: Scope) -> Report:
    """The deal analysis of the archives first contacted within ``period``."""
    groups = archive_groups(period, scope)
    visits = visit_facts(period, scope)
    names = staff_names()
    total = _row("", groups)
    funnel = (
        (Figure(_("First visits and calls")),
         count("visits", (v.id for v in visits if not v.returning))),
        (Figure(_("New archives")), total[1]),
        (Figure(_("At O/H/A")), total[2]),
        (Figure(_("Deals")), total[3]),
    )
    sections = (
        Section(_("From first contact to deal"), (_("Stage"), _("Number")), funnel, (1,)),
        Section(_("By salesperson"), (_("Salesperson"), *columns()), _grouped(
            groups, lambda g: g.owner_id, lambda k: names.get(k, _("(none)"))), (1, 3)),
        Section(_("By source"), (_("Source"), *columns()), _grouped(
            groups, lambda g: g.source, lambda k: source_label(k) or _("(none)")), (1, 3)),
        Section(_("By level"), (_("Level"), *columns()), _grouped(
            groups, lambda g: g.level, lambda k: k or _("(none)"))),
    )
    return Report("conversion", _("Deal analysis"), period, by, scope.text(), sections)

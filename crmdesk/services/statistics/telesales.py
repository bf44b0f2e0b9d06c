"""Telesales statistics per class A-D (seed 004), for offices grading with the telesales scheme.

Per salesperson: their customers in each class as the cards stand, the contacts they logged in
the period that graded a customer into each class, and the customers they moved up or down a
class; and the moves between the classes, from each class to each other. The report is offered
only while the office's active levels are exactly the telesales classes (``in_use``).

Counted from the cards, the contact tally and the level changes the database keeps
(crmdesk.models.summaries); a click on a number lists its customers from the raw tables.
"""
from __future__ import annotations

from collections import Counter
from functools import reduce
from operator import and_

import peewee

from crmdesk.i18n import _
from crmdesk.models import Communication, Customer, Level
from crmdesk.models.db import database
from crmdesk.models.summaries import (
    ClassTally,
    ContactTally,
    LevelChange,
    Milestone,
    level_changes_in_log,
)
from crmdesk.services.staff import staff_names
from crmdesk.services.statistics.counting import same, within
from crmdesk.services.statistics.periods import Period
from crmdesk.services.statistics.report import Drill, Figure, Reading, Report, Section
from crmdesk.services.statistics.scope import Scope

NAME = "telesales"
CLASSES = ("A", "B", "C", "D")


def _classes() -> dict[int, str]:
    """The active levels that are telesales classes: level id -> class."""
    return {level_id: code.upper() for level_id, code in
            Level.select(Level.id, Level.code).where(Level.active).tuples()
            if code.upper() in CLASSES}


def in_use() -> bool:
    """True when the office's active levels are the telesales classes A, B, C and D."""
    active = [code.upper() for (code,) in Level.select(Level.code).where(Level.active).tuples()]
    return sorted(active) == list(CLASSES)


def _ids_of(classes: dict[int, str], code: str) -> list[int]:
    return [level_id for level_id, name in classes.items() if name == code]


def _customers(scope: Scope, classes: dict[int, str]) -> Counter:
    """(owner, class) -> customers as the cards stand, from the per-level tally, less the
    archives the reader may not read (few, from their milestones)."""
    query = (ClassTally.select(ClassTally.owner_key, ClassTally.level_key, ClassTally.archives)
             .where(ClassTally.level_key.in_(list(classes))))
    hidden = (Milestone.select(Milestone.owner_id, Milestone.level_id, peewee.fn.COUNT(1))
              .where(Milestone.customer_id.in_(sorted(scope.hidden))
                     & Milestone.level_id.in_(list(classes)))
              .group_by(Milestone.owner_id, Milestone.level_id))
    if scope.staff_id is not None:
        query = query.where(ClassTally.owner_key == scope.staff_id)
        hidden = hidden.where(Milestone.owner_id == scope.staff_id)
    counts: Counter = Counter()
    for owner_key, level_id, customers in query.tuples():
        counts[(owner_key or None, classes[level_id])] += customers
    for owner, level_id, customers in hidden.tuples() if scope.hidden else ():
        counts[(owner, classes[level_id])] -= customers
    return counts


def _contacts(period: Period, scope: Scope, classes: dict[int, str]) -> Counter:
    """(recorder, class) -> contacts within ``period`` that graded a customer into the class,
    from the tally, less those with archives the reader may not read (few, from the log)."""
    query = (ContactTally.select(ContactTally.staff_key, ContactTally.level_key,
                                 peewee.fn.SUM(ContactTally.contacts))
             .where(ContactTally.day.between(period.start, period.end)
                    & ContactTally.level_key.in_(list(classes)))
             .group_by(ContactTally.staff_key, ContactTally.level_key))
    if scope.staff_id is not None:
        query = query.where(ContactTally.staff_key == scope.staff_id)
    counts: Counter = Counter()
    for staff_key, level_id, contacts in query.tuples():
        counts[(staff_key or None, classes[level_id])] += int(contacts)
    if scope.hidden:
        # Read by customer (their contacts, few) with the classes kept here, not by level.
        hidden = (Communication.select(Communication.recorded_by, Communication.level,
                                       peewee.fn.COUNT(Communication.id))
                  .where(within(Communication.contacted_at, period)
                         & Communication.customer.in_(sorted(scope.hidden)))
                  .group_by(Communication.recorded_by, Communication.level))
        if scope.staff_id is not None:
            hidden = hidden.where(Communication.recorded_by == scope.staff_id)
        for recorder, level_id, contacts in hidden.tuples():
            if level_id in classes:
                counts[(recorder, classes[level_id])] -= contacts
    return counts


def _rank(column: peewee.Node, classes: dict[int, str]) -> peewee.Node:
    """The place of the class of level ``column`` (A first)."""
    return peewee.Case(column, [(level_id, CLASSES.index(code))
                                for level_id, code in classes.items()])


def _changes_between(period: Period, scope: Scope, classes: dict[int, str]) -> peewee.Node:
    return (within(LevelChange.contacted_at, period)
            & LevelChange.level_id.in_(list(classes))
            & LevelChange.before_level_id.in_(list(classes))
            & scope.read(LevelChange.customer_id, LevelChange.recorded_by_id))


def _movers(period: Period, scope: Scope, classes: dict[int, str]) -> Counter:
    """(recorder, up) -> customers moved up (or down) a class within ``period``."""
    up = _rank(LevelChange.level_id, classes) < _rank(LevelChange.before_level_id, classes)
    query = (LevelChange.select(LevelChange.recorded_by_id, up,
                                peewee.fn.COUNT(LevelChange.customer_id.distinct()))
             .where(_changes_between(period, scope, classes)
                    & (_rank(LevelChange.level_id, classes)
                       != _rank(LevelChange.before_level_id, classes)))
             .group_by(LevelChange.recorded_by_id, up))
    return Counter({(who, bool(raised)): customers
                    for who, raised, customers in query.tuples()})


def _moves(period: Period, scope: Scope, classes: dict[int, str]) -> Counter:
    """(from class, to class) -> customers moved so within ``period`` (one level per class:
    the scheme's codes are unique)."""
    query = (LevelChange.select(LevelChange.before_level_id, LevelChange.level_id,
                                peewee.fn.COUNT(LevelChange.customer_id.distinct()))
             .where(_changes_between(period, scope, classes))
             .group_by(LevelChange.before_level_id, LevelChange.level_id))
    return Counter({(classes[before], classes[after]): customers
                    for before, after, customers in query.tuples()})


def telesales_statistics(period: Period, by: str, scope: Scope) -> Report:
    """Customers and contacts per class and moves between classes, per salesperson."""
    reading = Reading(NAME, period, by, scope.staff_id)
    classes = _classes()
    customers, contacts = _customers(scope, classes), _contacts(period, scope, classes)
    moves, movers = _moves(period, scope, classes), _movers(period, scope, classes)
    names = staff_names()
    people = {who for (who, _code), number in (*customers.items(), *contacts.items())
              if number} | {who for who, _up in movers}
    count = reading.count
    rows = []
    for who in sorted(people, key=lambda s: names.get(s, "")):
        group = (("staff", who),)
        rows.append((
            Figure(names.get(who, _("(none)"))),
            *(count(customers[(who, c)], "customers", "class", (*group, ("class", c)))
              for c in CLASSES),
            *(count(contacts[(who, c)], "customers", "contacted_class", (*group, ("class", c)))
              for c in CLASSES),
            count(movers[(who, True)], "customers", "up", group),
            count(movers[(who, False)], "customers", "down", group)))
    head = (_("Salesperson"), *(_("Class {c} customers").format(c=c) for c in CLASSES),
            *(_("Class {c} contacts").format(c=c) for c in CLASSES), _("Moved up a class"),
            _("Moved down a class"))
    matrix = tuple(
        (Figure(_("From class {c}").format(c=before)),
         *(count(moves[(before, after)], "customers", "moved",
                 (("from", before), ("to", after))) for after in CLASSES))
        for before in CLASSES)
    return Report(NAME, _("Telesales statistics"), period, by, scope.text(), (
        Section(_("By salesperson"), head, tuple(rows), (1, 2, 3, 4)),
        Section(_("Moves between classes"),
                (_("Class before"), *(_("To class {c}").format(c=c) for c in CLASSES)),
                matrix, (1, 2, 3, 4)),
    ))


def members(drill: Drill, scope: Scope) -> peewee.Select:
    """The customers a figure counts, from the cards and the log."""
    period, group = drill.reading.period, dict(drill.group)
    classes = _classes()
    if drill.key == "class":
        return Customer.select(Customer.id).where(
            Customer.level.in_(_ids_of(classes, group["class"]))
            & same(Customer.owner, group["staff"]) & scope.read(Customer.id, Customer.owner))
    if drill.key == "contacted_class":
        return (Communication.select(Communication.customer).distinct().where(
            within(Communication.contacted_at, period)
            & Communication.level.in_(_ids_of(classes, group["class"]))
            & same(Communication.recorded_by, group["staff"])
            & scope.read(Communication.customer, Communication.recorded_by)))
    changes = level_changes_in_log(Communication.customer.in_(
        Communication.select(Communication.customer).where(
            within(Communication.contacted_at, period)))).alias("changes")
    order = {code: rank for rank, code in enumerate(CLASSES)}
    if drill.key == "moved":
        wanted = [(b, a) for b in _ids_of(classes, group["from"])
                  for a in _ids_of(classes, group["to"])]
    else:
        wanted = [(b, a) for b in classes for a in classes if classes[a] != classes[b]
                  and (order[classes[a]] < order[classes[b]]) == (drill.key == "up")]
    pairs = reduce(lambda x, y: x | y, ((changes.c.before == b) & (changes.c.level_id == a)
                                        for b, a in wanted), peewee.SQL("1 = 0"))
    conditions = [pairs, changes.c.contacted_at >= period.first_moment,
                  changes.c.contacted_at < period.after_last_moment,
                  scope.visible(changes.c.customer_id)]
    if "staff" in group:
        conditions.append(same(changes.c.recorded_by_id, group["staff"]))
    if scope.staff_id is not None:
        conditions.append(changes.c.recorded_by_id == scope.staff_id)
    return (peewee.Select([changes], [changes.c.customer_id]).distinct()
            .where(reduce(and_, conditions)).bind(database))

"""Follow-up discipline per salesperson: contacts logged in the period, customers overdue at
its end (count, rate, average days), levels raised and lowered by the contacts, and customers
lapsed to the public pool (see ``lapses``).

Everything is counted in the database, one row per salesperson: contacts from the contact
tally and level changes from those the database keeps (crmdesk.models.summaries), so a year of
a large archive reads a few thousand summary rows, not every contact; a click on a number
lists its customers from the log and the cards themselves.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import peewee

from crmdesk.i18n import _
from crmdesk.models import Communication, Customer, Level
from crmdesk.models.customer import FOLLOW_UP_INDEX_WHERE
from crmdesk.models.db import database
from crmdesk.models.summaries import ContactTally, LevelChange
from crmdesk.services.staff import staff_names
from crmdesk.services.statistics.counting import day_value, days_between, flag, same, within
from crmdesk.services.statistics.lapses import lapsed_customers, lapsed_per_owner
from crmdesk.services.statistics.periods import Period
from crmdesk.services.statistics.report import Drill, Figure, Reading, Report, Section, mean, rate
from crmdesk.services.statistics.scope import Scope

NAME = "discipline"


@dataclass
class _Person:
    """What one salesperson's row counts."""

    contacts: int = 0
    followed: int = 0
    late: int = 0
    late_days: int = 0
    raised: int = 0
    lowered: int = 0
    lapsed: int = 0


def _contacts(period: Period, scope: Scope) -> peewee.Expression:
    """The contacts logged within ``period`` in ``scope`` (by its salesperson, if any)."""
    return within(Communication.contacted_at, period) & scope.read(Communication.customer,
                                                                   Communication.recorded_by)


def _logged(period: Period, scope: Scope, people: dict[int | None, _Person]) -> None:
    """Contacts each salesperson logged within ``period``, from the contact tally, less those
    with archives the reader may not read (counted from the log: they are few)."""
    query = (ContactTally.select(ContactTally.staff_key, peewee.fn.SUM(ContactTally.contacts))
             .where(ContactTally.day.between(period.start, period.end))
             .group_by(ContactTally.staff_key))
    if scope.staff_id is not None:
        query = query.where(ContactTally.staff_key == scope.staff_id)
    counts = {key or None: int(contacts) for key, contacts in query.tuples()}
    if scope.hidden:
        hidden = (Communication.select(Communication.recorded_by,
                                       peewee.fn.COUNT(Communication.id))
                  .where(within(Communication.contacted_at, period)
                         & Communication.customer.in_(sorted(scope.hidden)))
                  .group_by(Communication.recorded_by))
        for recorder, contacts in hidden.tuples():
            counts[recorder] = counts.get(recorder, 0) - contacts
    for recorder, contacts in counts.items():
        if contacts and (scope.staff_id is None or recorder == scope.staff_id):
            people.setdefault(recorder, _Person()).contacts = contacts


def _changes(period: Period, scope: Scope) -> peewee.Select:
    """Contacts within ``period`` that set a level other than the one the customer had from
    the contact before (the last one that set a level): a table of ``customer_id``,
    ``recorder`` and ``raised`` (true when the new level is nearer to buying)."""
    touched = Communication.select(Communication.customer).where(_contacts(period, scope))
    graded = (Communication.select(
        Communication.customer, Communication.contacted_at, Communication.recorded_by,
        Communication.level,
        peewee.fn.LAG(Communication.level).over(
            partition_by=[Communication.customer],
            order_by=[Communication.contacted_at, Communication.seq]).alias("before"))
        .where(Communication.level.is_null(False) & Communication.customer.in_(touched)
               & (Communication.contacted_at < period.after_last_moment)
               & scope.visible(Communication.customer))).alias("graded")
    now, was = Level.alias("now"), Level.alias("was")
    # A lower sort order is a level nearer to buying (O before H before A ...).
    raised = (peewee.fn.COALESCE(now.sort_order, 0) < peewee.fn.COALESCE(was.sort_order, 0))
    query = (peewee.Select([graded], [graded.c.customer_id,
                                      graded.c.recorded_by_id.alias("recorder"),
                                      raised.alias("raised")])
             .join(now, peewee.JOIN.LEFT_OUTER, on=(now.id == graded.c.level_id))
             .join(was, peewee.JOIN.LEFT_OUTER, on=(was.id == graded.c.before))
             .where(graded.c.before.is_null(False) & (graded.c.level_id != graded.c.before)
                    & (graded.c.contacted_at >= period.first_moment)))
    if scope.staff_id is not None:
        query = query.where(graded.c.recorded_by_id == scope.staff_id)
    return query.alias("changes")


def _level_changes(period: Period, scope: Scope, people: dict[int | None, _Person]) -> None:
    """How many customers each salesperson raised, and lowered, within ``period``, from the
    level changes the database keeps (the same contacts ``_changes`` finds in the log)."""
    now, was = Level.alias("now"), Level.alias("was")
    # A lower sort order is a level nearer to buying (O before H before A ...).
    raised = (peewee.fn.COALESCE(now.sort_order, 0) < peewee.fn.COALESCE(was.sort_order, 0))
    query = (LevelChange.select(LevelChange.recorded_by_id, raised,
                                peewee.fn.COUNT(LevelChange.customer_id.distinct()))
             .join(now, peewee.JOIN.LEFT_OUTER, on=(now.id == LevelChange.level_id))
             .join(was, peewee.JOIN.LEFT_OUTER, on=(was.id == LevelChange.before_level_id))
             .where(within(LevelChange.contacted_at, period)
                    & scope.read(LevelChange.customer_id, LevelChange.recorded_by_id))
             .group_by(LevelChange.recorded_by_id, raised))
    for who, up, customers in query.tuples():
        person = people.setdefault(who, _Person())
        if up:
            person.raised = customers
        else:
            person.lowered = customers


def _followed(period: Period, scope: Scope) -> peewee.Expression:
    """Each owner's followed customers registered by the period's end."""
    condition = _following(scope)
    if period.end < dt.date.today():  # no archive is registered after today
        condition &= Customer.created_at < period.after_last_moment
    return condition


def _following(scope: Scope) -> peewee.Expression:
    """The customers in ``scope`` whose follow-up is kept, registered whenever."""
    # The follow-up indexes' own condition, written as theirs, so the count reads them.
    return FOLLOW_UP_INDEX_WHERE & scope.read(Customer.id, Customer.owner)


def _as_of(period: Period) -> dt.date:
    """Overdue is counted at the period's end, or today for a period still running."""
    return min(period.end, dt.date.today())


def _overdue(period: Period, scope: Scope, people: dict[int | None, _Person]) -> None:
    """Each owner's followed customers registered by the period's end, and those overdue at
    its end (with the days they are overdue, summed)."""
    as_of = day_value(_as_of(period))
    late = Customer.next_follow_up < as_of

    def tally(condition: peewee.Expression) -> peewee.Select:
        return (Customer.select(
            Customer.owner, peewee.fn.COUNT(Customer.id), peewee.fn.SUM(flag(late)),
            peewee.fn.SUM(peewee.Case(None, ((late, days_between(Customer.next_follow_up,
                                                                  as_of)),), 0)))
            .where(condition).group_by(Customer.owner))

    # Counted from the follow-up index alone, less the few archives registered after the
    # period: asking every row for its registration day would read the whole table.
    counts = [(tally(_following(scope)), 1)]
    if period.end < dt.date.today():
        counts.append((tally(_following(scope)
                             & (Customer.created_at >= period.after_last_moment)), -1))
    for query, sign in counts:
        for owner, followed, overdue, days in query.tuples():
            person = people.setdefault(owner, _Person())
            person.followed += sign * followed
            person.late += sign * int(overdue or 0)
            person.late_days += sign * int(days or 0)


def _row(reading: Reading, name: str, staff_id: int | None,
         person: _Person) -> tuple[Figure, ...]:
    group = (("staff", staff_id),)
    count = reading.count
    return (Figure(name), count(person.contacts, "customers", "contacted", group),
            count(person.followed, "customers", "followed", group),
            count(person.late, "customers", "overdue", group),
            rate(person.late, person.followed), mean(person.late_days, person.late),
            count(person.raised, "customers", "raised", group),
            count(person.lowered, "customers", "lowered", group),
            count(person.lapsed, "customers", "lapsed", group))


def follow_up_discipline(period: Period, by: str, scope: Scope) -> Report:
    """Each salesperson's follow-up discipline over ``period``: overdue counted at its end, or
    today for a period still running, from each customer's next follow-up date as it is now."""
    reading = Reading(NAME, period, by, scope.staff_id)
    people: dict[int | None, _Person] = {}
    _logged(period, scope, people)
    _level_changes(period, scope, people)
    _overdue(period, scope, people)
    for owner, customers in lapsed_per_owner(period, scope).items():
        people.setdefault(owner, _Person()).lapsed = customers
    people = {staff: counts for staff, counts in people.items() if counts != _Person()}
    names = staff_names()
    rows = tuple(_row(reading, names.get(person, _("(none)")), person, people[person])
                 for person in sorted(people, key=lambda s: names.get(s, "")))
    head = (_("Salesperson"), _("Contacts logged"), _("Followed customers"), _("Overdue"),
            _("Overdue rate %"), _("Average days overdue"), _("Levels raised"),
            _("Levels lowered"), _("Lapsed to the pool"))
    return Report(NAME, _("Follow-up discipline"), period, by, scope.text(),
                  (Section(_("By salesperson"), head, rows, (1, 3)),))


def members(drill: Drill, scope: Scope) -> peewee.Select:
    """The customers a salesperson's figure counts: those they contacted, followed, let go
    overdue, whose level they raised or lowered, or who lapsed from them to the pool."""
    period, ((_dimension, staff_id),) = drill.reading.period, drill.group
    if drill.key == "lapsed":
        return lapsed_customers(period, scope, staff_id)
    if drill.key == "contacted":
        return (Communication.select(Communication.customer).distinct()
                .where(_contacts(period, scope) & same(Communication.recorded_by, staff_id)))
    if drill.key in ("raised", "lowered"):
        changes = _changes(period, scope)
        raised = changes.c.raised if drill.key == "raised" else ~changes.c.raised
        return (peewee.Select([changes], [changes.c.customer_id]).distinct()
                .where(same(changes.c.recorder, staff_id) & raised).bind(database))
    where = _followed(period, scope) & same(Customer.owner, staff_id)
    if drill.key == "overdue":
        where &= Customer.next_follow_up < day_value(_as_of(period))
    return Customer.select(Customer.id).where(where)

"""Follow-up discipline per salesperson: contacts logged in the period, customers overdue at
its end (count, rate, average days), and levels raised and lowered by the contacts.

Everything is counted in the database, one row per salesperson: a year of a large archive
reads a few dozen rows, not every contact.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import peewee

from crmdesk.i18n import _
from crmdesk.models import Communication, Customer, Level
from crmdesk.models.customer import FOLLOW_UP_INDEX_WHERE
from crmdesk.models.db import database
from crmdesk.services.staff import staff_names
from crmdesk.services.statistics.counting import day_value, days_between, id_list, ids
from crmdesk.services.statistics.periods import Period
from crmdesk.services.statistics.report import Figure, Report, Section, count, rate
from crmdesk.services.statistics.scope import Scope


@dataclass
class _Person:
    """What one salesperson's row counts."""

    contacts: int = 0
    contacted: list[int] = field(default_factory=list)
    followed: list[int] = field(default_factory=list)
    late: list[int] = field(default_factory=list)
    late_days: int = 0
    raised: list[int] = field(default_factory=list)
    lowered: list[int] = field(default_factory=list)


def _inside(period: Period) -> peewee.Expression:
    return (Communication.contacted_at >= period.first_moment) & (
        Communication.contacted_at < period.after_last_moment)


def _logged(period: Period, scope: Scope, people: dict[int | None, _Person]) -> None:
    """Contacts each salesperson logged within ``period``, and the customers they were with."""
    query = (Communication.select(Communication.recorded_by, peewee.fn.COUNT(Communication.id),
                                  id_list(Communication.customer))
             .where(_inside(period) & scope.visible(Communication.customer))
             .group_by(Communication.recorded_by))
    if scope.staff_id is not None:
        query = query.where(Communication.recorded_by == scope.staff_id)
    for recorder, contacts, customers in query.tuples():
        person = people.setdefault(recorder, _Person())
        person.contacts, person.contacted = contacts, ids(customers)


def _level_changes(period: Period, scope: Scope, people: dict[int | None, _Person]) -> None:
    """Contacts within ``period`` that set a level other than the one the customer had from
    the contact before (the last one that set a level), raised or lowered."""
    touched = Communication.select(Communication.customer).where(_inside(period))
    if scope.staff_id is not None:
        touched = touched.where(Communication.recorded_by == scope.staff_id)
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
    query = (peewee.Select([graded], [graded.c.recorded_by_id, raised,
                                      id_list(graded.c.customer_id, distinct=False)])
             .join(now, peewee.JOIN.LEFT_OUTER, on=(now.id == graded.c.level_id))
             .join(was, peewee.JOIN.LEFT_OUTER, on=(was.id == graded.c.before))
             .where(graded.c.before.is_null(False) & (graded.c.level_id != graded.c.before)
                    & (graded.c.contacted_at >= period.first_moment))
             .group_by(graded.c.recorded_by_id, raised))
    if scope.staff_id is not None:
        query = query.where(graded.c.recorded_by_id == scope.staff_id)
    for recorder, up, customers in query.tuples().bind(database):
        person = people.setdefault(recorder, _Person())
        if up:
            person.raised += ids(customers)
        else:
            person.lowered += ids(customers)


def _overdue(period: Period, scope: Scope, as_of: dt.date,
             people: dict[int | None, _Person]) -> None:
    """Each owner's followed customers registered by the period's end, and those overdue at
    ``as_of`` (with the days they are overdue, summed)."""
    late = Customer.next_follow_up < day_value(as_of)
    query = (Customer.select(
        Customer.owner, id_list(Customer.id, distinct=False),
        id_list(peewee.Case(None, ((late, Customer.id),)), distinct=False),
        peewee.fn.SUM(peewee.Case(None, ((late, days_between(Customer.next_follow_up,
                                                              day_value(as_of))),), 0)))
        # The follow-up indexes' own condition, written as theirs, so the count reads them.
        .where(FOLLOW_UP_INDEX_WHERE & scope.visible(Customer.id))
        .group_by(Customer.owner))
    if period.end < dt.date.today():  # no archive is registered after today
        query = query.where(Customer.created_at < period.after_last_moment)
    if scope.staff_id is not None:
        query = query.where(Customer.owner == scope.staff_id)
    for owner, followed, overdue, days in query.tuples():
        person = people.setdefault(owner, _Person())
        person.followed, person.late, person.late_days = ids(followed), ids(overdue), int(
            days or 0)


def _row(name: str, person: _Person) -> tuple[Figure, ...]:
    late = len(person.late)
    return (Figure(name),
            Figure(person.contacts, "customers", tuple(sorted(set(person.contacted)))),
            count("customers", person.followed), count("customers", person.late),
            rate(late, len(person.followed)),
            Figure(round(person.late_days / late, 1) if late else None),
            count("customers", person.raised), count("customers", person.lowered))


def follow_up_discipline(period: Period, by: str, scope: Scope) -> Report:
    """Each salesperson's follow-up discipline over ``period``: overdue counted at its end, or
    today for a period still running, from each customer's next follow-up date as it is now."""
    as_of = min(period.end, dt.date.today())
    people: dict[int | None, _Person] = {}
    _logged(period, scope, people)
    _level_changes(period, scope, people)
    _overdue(period, scope, as_of, people)
    names = staff_names()
    rows = tuple(_row(names.get(person, _("(none)")), people[person])
                 for person in sorted(people, key=lambda s: names.get(s, "")))
    head = (_("Salesperson"), _("Contacts logged"), _("Followed customers"), _("Overdue"),
            _("Overdue rate %"), _("Average days overdue"), _("Levels raised"),
            _("Levels lowered"))
    return Report("discipline", _("Follow-up discipline"), period, by, scope.text(),
                  (Section(_("By salesperson"), head, rows, (1, 3)),))

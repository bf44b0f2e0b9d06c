"""The home page of each role (工作台): the figures and short lists its tiles show.

Where each member of staff lands after logging in: the front desk sees who is inside, today's
register counts, who is next in the rotation and the duty list; a salesperson their overdue and
due follow-ups, today's visitors, customers about to lapse and birthdays; a manager the office's
counts, overdue by salesperson, today's visits and the customers lapsing soon.

Every figure honours the same visibility as the list a tile opens (the follow-up list, the
register, the pool). A tile reads its count from an index alone and its first lines in index
order, never row by row, so the home page stays instant on a large archive; the full list is
the page the tile opens, or ``full_list`` for those that have no page of their own.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import peewee

from crmdesk.i18n import _
from crmdesk.models import ClassTally, Visit
from crmdesk.services import appointments, followup, reminders, rotation, settings
from crmdesk.services.context import Actor
from crmdesk.services.glance import Glance, glances
from crmdesk.services.lapsing import SETTINGS, lapsing_by_owner, lapsing_rows, soonest
from crmdesk.services.pool import due_to_lapse
from crmdesk.services.visibility import Duty, hidden_archives, may, unchecked
from crmdesk.services.visit_register import (
    VisitRow,
    channel_label,
    count_register,
    visits_between,
)

SHORT = 5  # lines a tile shows; the list it opens has them all
FRONT_DESK, SALES, MANAGER = "frontdesk", "sales", "manager"


@dataclass(frozen=True)
class Line:
    """One line of a tile: what it names, a detail, and the archive it opens (if any)."""

    title: str
    detail: str = ""
    customer_id: int | None = None


@dataclass(frozen=True)
class Tile:
    """A tile's figure and its first lines; ``count`` is how many the full list holds."""

    count: int
    lines: tuple[Line, ...] = ()


def home_of(actor: Actor | None) -> str | None:
    """Which home page ``actor`` lands on: a manager's, the front desk's or a salesperson's.

    Someone with several roles lands on the widest one; an administrator alone has none.
    """
    roles = set(actor.roles) if actor else set()
    for home in (MANAGER, FRONT_DESK, SALES):
        if home in roles:
            return home
    return None


# -- front desk ------------------------------------------------------------------------------


def _visit_line(row: VisitRow, with_salesperson: bool = True) -> Line:
    detail = " · ".join(part for part in (
        row.arrived_at.strftime("%H:%M"), channel_label(row.channel),
        row.salesperson if with_salesperson else row.archive_no) if part)
    return Line(row.name, detail, row.customer_id)


def _appointment_line(row: appointments.AppointmentRow, with_day: bool = False) -> Line:
    when = row.starts_at.strftime("%m-%d %H:%M" if with_day else "%H:%M")
    detail = " · ".join(p for p in (when, row.expected, row.salesperson, row.state_label) if p)
    return Line(row.name, detail, row.customer_id)


def _expected_today(actor: Actor | None, today: dt.date) -> list[appointments.AppointmentRow]:
    """Today's appointments still expected (arrived or cancelled ones are no longer awaited)."""
    return [r for r in appointments.expected_on(today, actor) if r.state == "booked"]


def front_desk(actor: Actor | None, today: dt.date) -> dict[str, Tile]:
    """Tiles ``inside`` (walk-ins without a departure), ``today`` (the register's counts),
    ``next`` (who the rotation gives the next new visitor), ``duty`` (the duty list) and
    ``expected`` (customers invited for today who have not arrived yet)."""
    rows = visits_between(today, today, actor)
    counts = count_register(rows)
    inside = [r for r in rows if r.in_building]
    members = rotation.duty_list(today)
    turn = rotation.plan_turn(members)
    names = {m.staff_id: m.name for m in members}
    next_lines: tuple[Line, ...] = ()
    if turn is not None:
        next_lines = (Line(names.get(turn.staff_id, ""),
                           _("make-up turn") if turn.make_up else _("regular turn")),)
    expected = _expected_today(actor, today)
    return {
        "inside": Tile(len(inside), tuple(_visit_line(r) for r in inside[:SHORT])),
        "today": Tile(counts.total, (
            Line(channel_label("visit"), str(counts.by_channel.get("visit", 0))),
            Line(channel_label("call"), str(counts.by_channel.get("call", 0))),
            Line(_("First visits"), str(counts.first_visits)),
            Line(_("Returns"), str(counts.returning)))),
        "next": Tile(1 if turn else 0, next_lines),
        "duty": Tile(sum(m.state == "present" for m in members), tuple(
            Line(m.name, _("{state} · received {n}").format(state=m.state_label, n=m.received)
                 + (_(" · owed {n}").format(n=m.owed) if m.owed else ""))
            for m in members)),
        "expected": Tile(len(expected), tuple(_appointment_line(r) for r in expected[:SHORT])),
    }


# -- salesperson -----------------------------------------------------------------------------


def _follow_up_line(row: followup.FollowUpRow) -> Line:
    late = (_("{n} days overdue").format(n=row.days_overdue) if row.days_overdue > 0
            else _("due today"))
    return Line(row.name, " · ".join(p for p in (row.archive_no, row.level_code, late) if p),
                row.customer_id)


def _lapse_line(glance: Glance, with_owner: bool = True) -> Line:
    when = _("lapses on {day}").format(day=glance.lapses_on) if glance.lapses_on else ""
    owner = glance.owner if with_owner else ""
    return Line(glance.name, " · ".join(p for p in (glance.archive_no, owner, when) if p),
                glance.customer_id)


def visitors_of(actor: Actor, today: dt.date) -> list[VisitRow]:
    """Today's register lines of the visitors and callers ``actor`` received."""
    start = dt.datetime.combine(today, dt.time.min)
    mine = {row[0] for row in Visit.select(Visit.id).where(
        (Visit.arrived_at >= start) & (Visit.arrived_at < start + dt.timedelta(days=1))
        & (Visit.salesperson == actor.staff_id)).tuples()}
    return [r for r in visits_between(today, today, actor) if r.id in mine] if mine else []


def sales(actor: Actor, today: dt.date) -> dict[str, Tile]:
    """Tiles ``overdue``, ``due_today`` (the actor's own customers), ``visitors`` (today's
    visitors received by them), ``lapsing`` (their customers lapsing to the pool within the
    warning days), ``birthdays`` (their customers' birthdays this week) and ``no_shows``
    (their appointments whose day passed without the customer)."""
    mine = followup.FollowUpFilter(owner_id=actor.staff_id)
    overdue = followup.overdue(today, mine, actor, limit=SHORT)
    due = followup.due(today, 1, mine, actor, limit=SHORT)
    visitors = visitors_of(actor, today)
    lapsing, first_ids = soonest(today, actor.staff_id, SHORT)
    first_lapsing = glances(first_ids, actor, today) if first_ids else []
    birthdays, first_birthdays = reminders.birthday_tile(today, actor, actor.staff_id, SHORT)
    missed = appointments.no_shows(actor, today)
    return {
        "overdue": Tile(followup.overdue_count(today, mine, actor),
                        tuple(_follow_up_line(r) for r in overdue)),
        "due_today": Tile(followup.due_count(today, 1, mine, actor),
                          tuple(_follow_up_line(r) for r in due)),
        "visitors": Tile(len(visitors), tuple(_visit_line(r, with_salesperson=False)
                                              for r in visitors[:SHORT])),
        "lapsing": Tile(lapsing, tuple(_lapse_line(g, with_owner=False)
                                       for g in first_lapsing)),
        "birthdays": Tile(birthdays, tuple(
            Line(b.person or b.customer_name,
                 " · ".join(p for p in (b.occurs_on.strftime("%m-%d"), b.whose_label,
                                        b.customer_name if b.whose != "customer" else "")
                            if p), b.customer_id)
            for b in first_birthdays)),
        "no_shows": Tile(len(missed), tuple(_appointment_line(r, with_day=True)
                                            for r in reversed(missed[-SHORT:]))),
    }


# -- manager ---------------------------------------------------------------------------------


def archive_size(actor: Actor | None) -> int:
    """How many customers the archive holds that ``actor`` may find: the summary's count of
    every archive (crmdesk.models.summaries) less the top-secret ones hidden from them."""
    if actor is None and not unchecked(actor):
        return 0
    total = ClassTally.select(peewee.fn.COALESCE(peewee.fn.SUM(ClassTally.archives), 0)).scalar()
    if actor is None:
        return int(total)
    return int(total) - hidden_archives(actor).count()


def manager(actor: Actor | None, today: dt.date) -> dict[str, Tile]:
    """Tiles ``office`` (customers, overdue, due today, due this week, visits today),
    ``overdue_by_owner``, ``visits`` (today's register, latest first) and ``lapsing``
    (customers lapsing soon, by salesperson)."""
    counts = followup.counts(today, actor)
    customers = archive_size(actor)
    rows = visits_between(today, today, actor)
    register = count_register(rows)
    by_owner = followup.overdue_by_owner(today, None, actor)
    lapsing = followup.owner_counts(lapsing_by_owner(today, actor))
    return {
        "office": Tile(customers, (
            Line(_("Customers in the archive"), str(customers)),
            Line(_("Overdue"), str(counts.overdue)),
            Line(_("Due today"), str(counts.due_today)),
            Line(_("Due this week"), str(counts.due_this_week)),
            Line(_("Visits and calls today"), str(register.total)))),
        "overdue_by_owner": Tile(counts.overdue, tuple(
            Line(o.owner_name, str(o.count)) for o in by_owner)),
        "visits": Tile(register.total, tuple(_visit_line(r) for r in reversed(rows[-SHORT:]))),
        "lapsing": Tile(sum(o.count for o in lapsing), tuple(
            Line(o.owner_name, str(o.count)) for o in lapsing)),
    }


def home(actor: Actor | None, today: dt.date | None = None) -> dict[str, Tile]:
    """The tiles of ``actor``'s home page (see ``home_of``) for ``today``."""
    today = today or followup.today()
    which = home_of(actor)
    if which == FRONT_DESK:
        return front_desk(actor, today)
    if which == MANAGER or (which == SALES and actor is not None):
        with settings.read_once(*SETTINGS):  # the tiles share the office's protection rule
            return manager(actor, today) if which == MANAGER else sales(actor, today)
    return {}


def full_list(key: str, actor: Actor | None, today: dt.date | None = None) -> list[Line]:
    """Every line of a tile that opens no page of its own: ``visitors`` (the actor's visitors
    today), ``lapsing`` (the actor's customers lapsing soon, or for a manager everyone's),
    ``expected`` (today's appointments still expected) and ``no_shows`` (the actor's missed
    appointments, latest first)."""
    today = today or followup.today()
    if actor is None:
        return []
    if key == "visitors":
        return [_visit_line(r, with_salesperson=False) for r in visitors_of(actor, today)]
    if key == "expected":
        return [_appointment_line(r) for r in _expected_today(actor, today)]
    if key == "no_shows":
        return [_appointment_line(r, with_day=True)
                for r in reversed(appointments.no_shows(actor, today))]
    if key == "lapsing":
        if not may(actor, Duty.LIST_ALL_FOLLOW_UPS):
            return [_lapse_line(g, with_owner=False)
                    for g in due_to_lapse(actor.staff_id, actor, today)]
        ids = [customer_id for customer_id, _owner
               in lapsing_rows(today, visible_to=actor, everyone=False)]
        found = glances(ids, actor, today)
        return [_lapse_line(g) for g in sorted(
            found, key=lambda g: (g.lapses_on or dt.date.max, g.owner, g.archive_no))]
    raise ValueError(f"no full list for the tile {key!r}")

"""Reception by rotation (轮流接待): the day's duty list and whose turn the next new visitor is.

The salespeople on duty take new visitors in the list's order. When the rotation reaches
someone who is out, it passes to the next present person and the one out is owed that turn;
back again, they receive the next new visitors until the turns they missed are made up
(空几轮补接几名). Returning customers go to their protected owner and use no turn. Someone off
duty is skipped without owing anything. The list is kept per day in the archive, so the
rotation survives a restart; a day's list starts as the last one set, everyone present.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import peewee

from crmdesk.errors import NotFoundError, Problem, ValidationError
from crmdesk.i18n import N_, _
from crmdesk.models import DutyEntry, Staff, Visit
from crmdesk.models.db import database
from crmdesk.models.frontdesk import DUTY_STATES
from crmdesk.services import audit, visibility
from crmdesk.services.context import Actor

STATE_TITLES = {"present": N_("Present"), "out": N_("Out"), "off": N_("Off duty")}


@dataclass(frozen=True)
class DutyMember:
    """One salesperson on a day's duty list."""

    staff_id: int
    name: str
    state: str = "present"
    owed: int = 0
    last_turn: int = 0
    received: int = 0

    @property
    def state_label(self) -> str:
        return _(STATE_TITLES[self.state])


@dataclass(frozen=True)
class Turn:
    """Who receives the next new visitor; ``make_up`` when it repays a missed turn.

    ``passed`` are the people who were out when the rotation reached them: each is owed a turn.
    """

    staff_id: int
    make_up: bool = False
    passed: tuple[int, ...] = ()


def plan_turn(members: Sequence[DutyMember]) -> Turn | None:
    """The next turn on a duty list in order; None when nobody on it is present."""
    present = [m for m in members if m.state == "present"]
    if not present:
        return None
    owing = [m for m in present if m.owed > 0]
    if owing:
        return Turn(owing[0].staff_id, make_up=True)
    latest = max(members, key=lambda m: m.last_turn)
    start = members.index(latest) + 1 if latest.last_turn else 0
    passed: list[int] = []
    for step in range(len(members)):
        member = members[(start + step) % len(members)]
        if member.state == "present":
            return Turn(member.staff_id, passed=tuple(passed))
        if member.state == "out":
            passed.append(member.staff_id)
    return None  # not reached: someone is present


def _received(day: dt.date) -> dict[int, int]:
    start = dt.datetime.combine(day, dt.time())
    end = start + dt.timedelta(days=1)
    return dict(Visit.select(Visit.salesperson, peewee.fn.COUNT(Visit.id))
                .where((Visit.arrived_at >= start) & (Visit.arrived_at < end)
                       & Visit.salesperson.is_null(False))
                .group_by(Visit.salesperson).tuples())


def salespeople() -> list[tuple[int, str]]:
    """(id, name) of every active salesperson (managers who sell included), in staff order."""
    return list(Staff.select(Staff.id, Staff.name).where(
        Staff.active & Staff.roles.contains("sales")).order_by(Staff.id).tuples())


def _default_members(day: dt.date) -> list[DutyMember]:
    """The last duty list set before ``day``, everyone present, with salespeople who joined
    since at the end; the salespeople in staff order when no list was ever set."""
    earlier = DutyEntry.select(peewee.fn.MAX(DutyEntry.day)).where(DutyEntry.day < day).scalar()
    order: list[int] = []
    if earlier:
        order = [row[0] for row in DutyEntry.select(DutyEntry.staff).where(
            DutyEntry.day == earlier).order_by(DutyEntry.position).tuples()]
    selling = dict(salespeople())
    on_list = [i for i in order if i in selling] + [i for i in selling if i not in order]
    return [DutyMember(staff_id, selling[staff_id]) for staff_id in on_list]


def duty_list(day: dt.date | None = None) -> list[DutyMember]:
    """The duty list of ``day`` (today by default) in order, with the visitors each received."""
    day = day or dt.date.today()
    received = _received(day)
    rows = (DutyEntry.select(DutyEntry.staff, Staff.name, DutyEntry.state, DutyEntry.owed,
                             DutyEntry.last_turn)
            .join(Staff).where(DutyEntry.day == day).order_by(DutyEntry.position).tuples())
    members = [DutyMember(*row) for row in rows] or _default_members(day)
    return [DutyMember(m.staff_id, m.name, m.state, m.owed, m.last_turn,
                       received.get(m.staff_id, 0)) for m in members]


def next_turn(day: dt.date | None = None) -> Turn | None:
    """Who the rotation gives the next new visitor of ``day``; None when nobody is present."""
    return plan_turn(duty_list(day))


def _store(day: dt.date, members: Sequence[DutyMember]) -> None:
    DutyEntry.delete().where(DutyEntry.day == day).execute()
    for position, m in enumerate(members):
        DutyEntry.create(day=day, staff=m.staff_id, position=position, state=m.state,
                         owed=m.owed, last_turn=m.last_turn)


def _ensure_stored(day: dt.date) -> None:
    if not DutyEntry.select().where(DutyEntry.day == day).exists():
        _store(day, _default_members(day))


def set_duty_list(day: dt.date, staff_ids: Sequence[int], actor: Actor | None) -> None:
    """Put these salespeople on the day's duty list in this order (keeping their state).

    Raises:
        ValidationError: an id is not an active salesperson, or appears twice.
    """
    visibility.require(actor, visibility.Duty.REGISTER_VISITS)
    active = dict(salespeople())
    if len(set(staff_ids)) != len(staff_ids) or any(i not in active for i in staff_ids):
        raise ValidationError([Problem("duty", _("Duty list"),
                                       _("name each active salesperson at most once"))])
    with database.atomic():
        kept = {m.staff_id: m for m in duty_list(day)}
        _store(day, [kept.get(i) or DutyMember(i, active[i]) for i in staff_ids])
        audit.record(actor, "duty_list", None, day=day, staff=list(staff_ids))


def set_state(day: dt.date, staff_id: int, state: str, actor: Actor | None) -> None:
    """Mark a salesperson present, out (owed the turns that pass them) or off duty for the day.

    Raises:
        ValidationError: an unknown state.
        NotFoundError: the salesperson is not on the day's duty list.
    """
    visibility.require(actor, visibility.Duty.REGISTER_VISITS)
    if state not in DUTY_STATES:
        raise ValidationError([Problem("state", _("State"), _("not one of the choices: "
                                                              "{value}").format(value=state))])
    with database.atomic():
        _ensure_stored(day)
        changed = DutyEntry.update(state=state).where(
            (DutyEntry.day == day) & (DutyEntry.staff == staff_id)).execute()
        if not changed:
            raise NotFoundError(_("This salesperson is not on the duty list of {day}.").format(
                day=day.isoformat()))
        audit.record(actor, "duty_state", None, day=day, staff_id=staff_id, state=state)


def take_turn(day: dt.date, turn: Turn) -> None:
    """Record that ``turn`` was used. Call inside the transaction registering the visit."""
    _ensure_stored(day)
    entry = DutyEntry.day == day
    if turn.make_up:
        DutyEntry.update(owed=DutyEntry.owed - 1).where(
            entry & (DutyEntry.staff == turn.staff_id)).execute()
        return
    if turn.passed:
        DutyEntry.update(owed=DutyEntry.owed + 1).where(
            entry & DutyEntry.staff.in_(turn.passed)).execute()
    latest = DutyEntry.select(peewee.fn.MAX(DutyEntry.last_turn)).where(entry).scalar() or 0
    DutyEntry.update(last_turn=latest + 1).where(
        entry & (DutyEntry.staff == turn.staff_id)).execute()

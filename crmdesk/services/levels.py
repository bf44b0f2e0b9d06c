"""The level scheme (客户分级): reading it, editing it, and switching to a preset scheme.

Changing a level's interval recomputes the next follow-up of every customer at that level in
one UPDATE, by the rule of ``crmdesk.services.cadence.next_follow_up``. Deactivating a level
only takes it out of the choices offered for grading: customers still at it keep its interval
(and stay on the overdue list) until someone re-grades them, so nobody drops out of sight.
"""
from __future__ import annotations

from dataclasses import dataclass

import peewee

from crmdesk.errors import NotFoundError, Problem, ValidationError
from crmdesk.i18n import N_, _
from crmdesk.models import Communication, Customer, Level
from crmdesk.models.db import database, is_sqlite
from crmdesk.models.level import DEFAULT_SCHEME
from crmdesk.services import audit, settings
from crmdesk.services.context import Actor
from crmdesk.services.visibility import Duty, require

CODE_MAX_LENGTH = 10
MAX_INTERVAL_DAYS = 365

# Seed 004 (telesales): A daily, B weekly, C every 15 days, D every 30 days (code, name, days,
# description), stored in the archive like the default scheme.
TELESALES_SCHEME = (
    ("A", N_("A level"), 1, N_("Key customer: follow up daily")),
    ("B", N_("B level"), 7, N_("Interested customer: follow up weekly")),
    ("C", N_("C level"), 15, N_("Ordinary customer: follow up every 15 days")),
    ("D", N_("D level"), 30, N_("Potential customer: follow up every 30 days")),
)
# Organisation sales (seed 004's A/战略性, B, C by orders): longer cycles, graded by what the
# organisation buys.
ORGANISATION_SCHEME = (
    ("A", N_("A level"), 7, N_("Strategic customer: follow up weekly")),
    ("B", N_("B level"), 15, N_("Key customer: follow up every 15 days")),
    ("C", N_("C level"), 30, N_("Ordinary customer: follow up monthly")),
    ("D", N_("D level"), 90, N_("Occasional customer: follow up every 90 days")),
)


def shown(stored: str | None) -> str:
    """A level's stored name or description as shown: the default schemes' words translated,
    the office's own words as typed."""
    return _(stored) if stored else ""


@dataclass(frozen=True)
class LevelInfo:
    """One level: id, code, name and follow-up interval (None: no follow-up)."""

    id: int
    code: str
    name: str
    interval_days: int | None
    active: bool
    description: str = ""
    sort_order: int = 0


@dataclass(frozen=True)
class LevelDraft:
    """A level as the settings dialog edits it; ``interval_days`` None means no follow-up."""

    code: str
    name: str
    description: str = ""
    interval_days: int | None = None
    sort_order: int = 0
    active: bool = True


@dataclass(frozen=True)
class LevelChange:
    """What saving a level did: the level now, and how many customers got a new next date."""

    level: LevelInfo
    recomputed: int


@dataclass(frozen=True)
class Preset:
    """A ready-made scheme; ``title`` is a message id (see ``label``)."""

    key: str
    title: str
    scheme: tuple[tuple[str, str, int | None, str], ...]
    default_code: str

    @property
    def label(self) -> str:
        return _(self.title)


@dataclass(frozen=True)
class PresetResult:
    """Codes created, updated and deactivated by applying a preset; customers recomputed."""

    created: tuple[str, ...]
    updated: tuple[str, ...]
    deactivated: tuple[str, ...]
    recomputed: int


PRESETS: dict[str, Preset] = {
    "showroom": Preset("showroom", N_("Showroom: O, H 2 days, A 3, B 5, C 7, lost"),
                       DEFAULT_SCHEME, "C"),
    "telesales": Preset("telesales", N_("Telesales: A daily, B weekly, C 15 days, D 30 days"),
                        TELESALES_SCHEME, "C"),
    "organisation": Preset("organisation", N_(
        "Organisation sales: A weekly, B 15 days, C monthly, D 90 days"),
        ORGANISATION_SCHEME, "C"),
}


def _info(level: Level) -> LevelInfo:
    return LevelInfo(level.id, level.code, shown(level.name), level.interval_days, level.active,
                     shown(level.description), level.sort_order)


def levels(active_only: bool = False) -> list[LevelInfo]:
    """The levels in scheme order."""
    query = Level.select().order_by(Level.sort_order, Level.id)
    if active_only:
        query = query.where(Level.active)
    return [_info(lv) for lv in query]


def _require_editor(actor: Actor | None) -> None:
    """Only managers and administrators change the scheme (anyone while setting up)."""
    require(actor, Duty.BUSINESS_SETTINGS)


def _check(draft: LevelDraft, level_id: int | None) -> list[Problem]:
    problems = []
    code = draft.code.strip()
    if not code:
        problems.append(Problem("code", _("Code"), _("required")))
    elif len(code) > CODE_MAX_LENGTH or any(ch.isspace() for ch in code):
        problems.append(Problem("code", _("Code"), _(
            "at most {n} characters, without spaces").format(n=CODE_MAX_LENGTH)))
    else:
        taken = Level.select().where(peewee.fn.UPPER(Level.code) == code.upper())
        if level_id is not None:
            taken = taken.where(Level.id != level_id)
        if taken.exists():
            problems.append(Problem("code", _("Code"), _(
                "another level already uses the code {code}").format(code=code)))
    if not draft.name.strip():
        problems.append(Problem("name", _("Level name"), _("required")))
    days = draft.interval_days
    if days is not None and (isinstance(days, bool) or not isinstance(days, int)
                             or not 1 <= days <= MAX_INTERVAL_DAYS):
        problems.append(Problem("interval_days", _("Follow-up interval (days)"), _(
            "a whole number of days from 1 to {n}, or empty for no follow-up").format(
                n=MAX_INTERVAL_DAYS)))
    if isinstance(draft.sort_order, bool) or not isinstance(draft.sort_order, int) \
            or draft.sort_order < 0:
        problems.append(Problem("sort_order", _("Order"), _("a whole number, 0 or more")))
    if not draft.active and level_id is not None:
        problems += _deactivation_problems(level_id)
    return problems


def _deactivation_problems(level_id: int) -> list[Problem]:
    level = Level.get_by_id(level_id)
    if not level.active:
        return []
    if level.code == settings.get("default_level"):
        return [Problem("active", _("Active"), _(
            "{code} is the level of new cards; choose another default level first").format(
                code=level.code))]
    if not Level.select().where(Level.active & (Level.id != level_id)).exists():
        return [Problem("active", _("Active"), _("at least one level must stay active"))]
    return []


def _get(level_id: int) -> Level:
    level = Level.get_or_none(Level.id == level_id)
    if level is None:
        raise NotFoundError(_("No level with id {id}.").format(id=level_id))
    return level


def create_level(draft: LevelDraft, actor: Actor | None) -> LevelInfo:
    """Add a level to the scheme.

    Raises:
        PermissionDenied: the actor is not a manager or administrator.
        ValidationError: the code is empty, too long or taken, the name empty, the interval
            not 1-365 days.
    """
    _require_editor(actor)
    problems = _check(draft, None)
    if problems:
        raise ValidationError(problems)
    with database.atomic():
        level = Level.create(code=draft.code.strip(), name=draft.name.strip(),
                             description=draft.description.strip(),
                             interval_days=draft.interval_days, sort_order=draft.sort_order,
                             active=draft.active)
        audit.record(actor, "level_create", None, code=level.code,
                     interval_days=level.interval_days)
    return _info(level)


def update_level(level_id: int, draft: LevelDraft, actor: Actor | None) -> LevelChange:
    """Save a level; a new interval recomputes the next follow-up of its customers at once.

    Raises:
        NotFoundError: no level has that id.
        ValidationError: see ``create_level``; also deactivating the default level of new
            cards or the last active level.
    """
    _require_editor(actor)
    with database.atomic():
        old = _get(level_id)
        problems = _check(draft, level_id)
        if problems:
            raise ValidationError(problems)
        Level.update(code=draft.code.strip(), name=draft.name.strip(),
                     description=draft.description.strip(), interval_days=draft.interval_days,
                     sort_order=draft.sort_order, active=draft.active).where(
            Level.id == level_id).execute()
        recomputed = 0
        if old.interval_days != draft.interval_days:
            recomputed = recompute_follow_up(level_id)
        audit.record(actor, "level_update", None, code=draft.code.strip(),
                     interval_days=[old.interval_days, draft.interval_days],
                     active=draft.active, recomputed=recomputed)
        level = _get(level_id)
    return LevelChange(_info(level), recomputed)


def deactivate_level(level_id: int, actor: Actor | None) -> LevelInfo:
    """Stop offering a level for grading; its customers keep it and its interval.

    Raises:
        NotFoundError, ValidationError: see ``update_level``.
    """
    _require_editor(actor)
    level = _get(level_id)
    draft = LevelDraft(level.code, level.name, level.description or "", level.interval_days,
                       level.sort_order, active=False)
    return update_level(level_id, draft, actor).level


def _plus_days(start: peewee.Node, days: int) -> peewee.Node:
    """SQL for the day of the moment ``start`` plus ``days`` days."""
    if is_sqlite():
        return peewee.fn.date(start, f"+{int(days)} days")
    return start.cast("date") + int(days)


def recompute_follow_up(level_id: int) -> int:
    """Apply the follow-up rule to every customer at ``level_id`` in one UPDATE.

    The same rule as ``cadence.next_follow_up``: the date planned in the latest contact, else
    the latest contact (or the registration) plus the level's interval. Returns the number of
    customers updated.
    """
    interval = Level.select(Level.interval_days).where(Level.id == level_id).scalar()
    latest = Communication.alias("latest")

    def of_latest(column: peewee.Field) -> peewee.Select:
        return (latest.select(column).where(latest.customer == Customer.id)
                .order_by(latest.contacted_at.desc(), latest.seq.desc()).limit(1))

    last_at = of_latest(latest.contacted_at)
    planned = of_latest(latest.next_follow_up)
    if interval is None:
        value: peewee.Node = planned
    else:
        value = peewee.fn.COALESCE(
            planned, _plus_days(peewee.fn.COALESCE(last_at, Customer.created_at), interval))
    return Customer.update(last_contact_at=last_at, next_follow_up=value).where(
        Customer.level == level_id).execute()


def presets() -> list[Preset]:
    """The ready-made schemes, the default (showroom) first."""
    return list(PRESETS.values())


def apply_preset(key: str, actor: Actor | None) -> PresetResult:
    """Make the scheme that of preset ``key``, keeping every level that customers use.

    Levels of the preset are created or updated (name, description, interval, order) and made
    active; other levels are deactivated and moved after them. Customers of every level whose
    interval changed get their next follow-up recomputed. When the default level of new cards
    is not in the preset, the preset's default takes its place.

    Raises:
        NotFoundError: no preset has that key.
        PermissionDenied: the actor is not a manager or administrator.
    """
    _require_editor(actor)
    preset = PRESETS.get(key)
    if preset is None:
        raise NotFoundError(_("No preset scheme called {key}.").format(key=key))
    created, updated, deactivated, recomputed = [], [], [], 0
    with database.atomic():
        existing = {lv.code.upper(): lv for lv in Level.select()}
        for order, (code, name, days, description) in enumerate(preset.scheme):
            level = existing.pop(code.upper(), None)
            if level is None:
                Level.create(code=code, name=name, description=description, interval_days=days,
                             sort_order=order, active=True)
                created.append(code)
                continue
            Level.update(name=name, description=description, interval_days=days,
                         sort_order=order, active=True).where(Level.id == level.id).execute()
            updated.append(level.code)
            if level.interval_days != days:
                recomputed += recompute_follow_up(level.id)
        for rank, level in enumerate(sorted(existing.values(),
                                            key=lambda lv: (lv.sort_order, lv.id))):
            Level.update(active=False, sort_order=len(preset.scheme) + rank).where(
                Level.id == level.id).execute()
            if level.active:
                deactivated.append(level.code)
        if settings.get("default_level").upper() in existing:
            settings.put("default_level", preset.default_code)
        audit.record(actor, "level_preset", None, preset=key, created=created,
                     deactivated=deactivated, recomputed=recomputed)
    return PresetResult(tuple(created), tuple(updated), tuple(deactivated), recomputed)

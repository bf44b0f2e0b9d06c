"""Registering walk-ins and callers (来人/来电登记), and who receives them.

A visit needs a name and a phone. Linked to an existing archive it is a return visit and goes to
the owner while they are protected and still with the office; otherwise whoever receives the
return becomes its owner. A return never uses a rotation turn. A new visitor brought by an old
customer goes to that customer's salesperson; any other new visitor to the next salesperson in
the rotation. A new visitor's archive is created from
the visit, owned by whoever receives them (客户首访原则: the earliest registration owns). The
visitor is compared by the one duplicate rule (crmdesk.services.duplicate_rule): a phone that
already has an archive, or another strong match, never gets a second archive unless the desk
confirms a different customer and says why (kept in the audit trail).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from crmdesk.errors import CrmError, NotFoundError, Problem, ValidationError
from crmdesk.i18n import _
from crmdesk.models import Customer, HouseholdLink, Staff, Visit
from crmdesk.models.card import SOURCES
from crmdesk.models.db import database
from crmdesk.models.frontdesk import CHANNELS
from crmdesk.models.locks import Subject, hold
from crmdesk.models.phones import PhoneError, normalize_mobile, normalize_phone
from crmdesk.services import (
    appointments,
    audit,
    customers,
    notices,
    ownership,
    rotation,
    visibility,
)
from crmdesk.services.context import Actor
from crmdesk.services.duplicate_rule import similar_to
from crmdesk.services.duplicates import OWN_PHONE_KEYS, Match, find_duplicates, visitor_card
from crmdesk.services.protection import Protection, protection_of
from crmdesk.services.typed_text import (
    LINE_MAX,
    NAME_MAX,
    NOTE_MAX,
    text_problem,
    text_problems,
)

# Clocks at two desks differ a little; a visit "from the future" beyond this is a typing error.
CLOCK_SLACK = dt.timedelta(minutes=5)
# A coach party is the most that walks in together; more is a typing error.
PARTY_MAX = 999


class DuplicatePhoneError(CrmError):
    """The phone already has an archive; ``matches`` lists it (link, or confirm a new one)."""

    def __init__(self, phone: str, matches: list[Match]) -> None:
        self.matches = matches
        nobody = _("no owner")
        names = "；".join(f"{m.archive_no} {m.name}（{m.owner or nobody}）" for m in matches)
        if not matches:  # only archives this desk may not see (top secret)
            super().__init__(_("An archive already exists for the phone {phone}: ask the "
                               "manager before registering.").format(phone=phone))
            return
        super().__init__(_("The phone {phone} already has an archive: {archives}. Link the "
                           "visit to it, or confirm that this is a different customer.").format(
                               phone=phone, archives=names))


@dataclass(frozen=True)
class VisitDraft:
    """A visit as the front desk enters it; only ``name`` and ``phone`` are needed."""

    name: str
    phone: str
    purpose: str = ""
    channel: str = "visit"
    company: str = ""
    party_size: int = 1
    source: str | None = None
    referrer_id: int | None = None
    household_of: int | None = None  # a new visitor of the household of this archive
    notes: str = ""
    arrived_at: dt.datetime | None = None
    customer_id: int | None = None  # the archive chosen from the matches: a return visit
    salesperson_id: int | None = None  # None: the protected owner or the rotation decides
    override_reason: str = ""  # why the salesperson differs from the one proposed
    confirm_new: bool = False  # a new archive although the phone (or more) matches one
    confirm_reason: str = ""  # why: required for a strong match, kept in the audit trail


@dataclass(frozen=True)
class Proposal:
    """Who should receive a visitor, and why: ``assignment`` is one of ASSIGNMENTS."""

    salesperson_id: int | None
    assignment: str
    turn: rotation.Turn | None = None
    protection: Protection | None = None


@dataclass(frozen=True)
class VisitResult:
    """What registering did; ``archive_no`` is empty when the archive is not the desk's to see."""

    visit_id: int
    customer_id: int
    archive_no: str
    created: bool
    salesperson_id: int
    assignment: str

    @property
    def withheld(self) -> bool:
        """The visit went to a manager: its archive is one the registering desk may not see."""
        return self.assignment == "manager"


def duty_manager() -> int | None:
    """The manager who receives visitors of archives the front desk may not see (None: none)."""
    return Staff.select(Staff.id).where(Staff.active & Staff.roles.contains("manager")).order_by(
        Staff.id).scalar()


def _active(staff_id: int | None) -> bool:
    return staff_id is not None and Staff.select().where(
        (Staff.id == staff_id) & Staff.active).exists()


def propose(customer_id: int | None, day: dt.date | None = None,
            referrer_id: int | None = None, household_of: int | None = None) -> Proposal:
    """Who receives the visitor: a protected owner still with the office; for a new visitor of
    a household already in the archive, its first receiver (区分准则 11); for one brought by an
    old customer, that customer's salesperson (10); else the rotation's next (None: nobody
    present)."""
    day = day or dt.date.today()
    guard = protection_of([customer_id]).get(customer_id) if customer_id else None
    if guard is not None and guard.valid_on(day) and _active(guard.owner_id):
        return Proposal(guard.owner_id, "owner", protection=guard)
    for related, assignment in ((household_of, "household"), (referrer_id, "referral")):
        if customer_id is not None or related is None:
            continue
        their_owner = Customer.select(Customer.owner).where(Customer.id == related).scalar()
        if _active(their_owner):
            return Proposal(their_owner, assignment)
    turn = rotation.next_turn(day)
    if turn is None:
        return Proposal(None, "manual", protection=guard)
    return Proposal(turn.staff_id, "make_up" if turn.make_up else "rotation", turn, guard)


def _check(draft: VisitDraft, now: dt.datetime) -> tuple[str, dt.datetime]:
    """The stored phone and the arrival time, or ValidationError listing every problem."""
    problems = []
    if not draft.name.strip():
        problems.append(Problem("name", _("Visitor's name"), _("required")))
    phone = ""
    try:
        phone = normalize_phone(draft.phone)
    except PhoneError as exc:
        problems.append(Problem("phone", _("Phone"), str(exc) if draft.phone.strip()
                                 else _("required")))
    arrived = draft.arrived_at or now
    if arrived > now + CLOCK_SLACK:
        problems.append(Problem("arrived_at", _("Arrival"), _("cannot be in the future")))
    if draft.channel not in CHANNELS:
        problems.append(Problem("channel", _("Channel"), _("not one of the choices: {value}")
                                 .format(value=draft.channel)))
    if not 1 <= draft.party_size <= PARTY_MAX:
        problems.append(Problem("party_size", _("Party size"), _("from 1 to {n}").format(
            n=PARTY_MAX)))
    problems += text_problems(
        ("name", _("Visitor's name"), draft.name, NAME_MAX),
        ("company", _("Company"), draft.company, NAME_MAX),
        ("purpose", _("Purpose"), draft.purpose, LINE_MAX),
        ("override_reason", _("Reason"), draft.override_reason, LINE_MAX),
        ("confirm_reason", _("Reason for a second archive"), draft.confirm_reason, LINE_MAX))
    notes = text_problem("notes", _("Notes"), draft.notes, NOTE_MAX, multiline=True)
    problems += [notes] if notes else []
    if draft.source and draft.source not in {c.key for c in SOURCES}:
        problems.append(Problem("source", _("Source"), _("not one of the choices: {value}")
                                 .format(value=draft.source)))
    for field, label, ref in (("customer_id", _("Archive"), draft.customer_id),
                              ("referrer_id", _("Referred by"), draft.referrer_id),
                              ("household_of", _("Household of"), draft.household_of)):
        if ref is not None and not Customer.select().where(Customer.id == ref).exists():
            problems.append(Problem(field, label, _("no such entry")))
    if draft.salesperson_id is not None and not Staff.select().where(
            (Staff.id == draft.salesperson_id) & Staff.active).exists():
        problems.append(Problem("salesperson_id", _("Salesperson"), _("no such entry")))
    if problems:
        raise ValidationError(problems)
    return phone, arrived


def _receiver(draft: VisitDraft, proposal: Proposal) -> tuple[int, str]:
    """The salesperson and how they were chosen; an override needs its reason."""
    chosen = draft.salesperson_id
    if chosen is None or chosen == proposal.salesperson_id:
        if proposal.salesperson_id is None:
            raise ValidationError([Problem("salesperson_id", _("Salesperson"), _(
                "nobody is present on the duty list: choose who receives the visitor"))])
        return proposal.salesperson_id, proposal.assignment
    if proposal.salesperson_id is None:
        return chosen, "manual"
    if not draft.override_reason.strip():
        raise ValidationError([Problem("override_reason", _("Reason"), _(
            "say why the visitor goes to someone other than the one proposed"))])
    return chosen, "override"


def _new_archive(draft: VisitDraft, phone: str, owner_id: int, arrived: dt.datetime,
                 actor: Actor | None) -> customers.SaveResult:
    card = customers.new_card(actor)
    try:
        card.values["mobile"] = normalize_mobile(phone)
    except PhoneError:
        card.values["phone"] = phone
    # The channels' keys are the card's sources 来访 and 来电: a caller's source is the call.
    card.values.update(
        name=draft.name.strip(), employer=draft.company.strip() or None,
        source=draft.source or draft.channel, referrer=draft.referrer_id, owner=owner_id,
        first_contact_date=arrived.date(),
    )
    # The reason confirmed at the desk lets the rule keep a second archive and is audited by
    # it; without one, a strong match (checked before) refuses.
    reason = " ".join(draft.confirm_reason.split()) if draft.confirm_new else ""
    return customers.save_card(card, actor, accept_incomplete=True,
                               second_archive=reason or None)


def register_visit(draft: VisitDraft, actor: Actor | None) -> VisitResult:
    """Register a visit or call, linking or creating its archive, in one audited transaction.

    Raises:
        PermissionDenied: ``actor`` does not register visitors (front desk and managers do).
        ValidationError: name or phone missing or invalid, arrival in the future, unknown
            salesperson, nobody to receive the visitor, or an override without a reason.
        DuplicatePhoneError: the phone has an archive, none was chosen and ``confirm_new``
            is False; nothing is written.
        DuplicateArchiveError: the visitor very likely has an archive by another key (name
            and company...), none was chosen and ``confirm_new`` is False.
        ValidationError: also when ``confirm_new`` is given without ``confirm_reason`` and the
            rule takes the visitor for an archive's customer.
    """
    visibility.require(actor, visibility.Duty.REGISTER_VISITS)
    now = dt.datetime.now().replace(microsecond=0)
    phone, arrived = _check(draft, now)
    with database.atomic():
        # Another desk registering the same phone, or taking a turn of the same day's
        # rotation, waits here until this registration is committed (and then sees it).
        hold(Subject.PHONE, phone)
        hold(Subject.ROTATION, arrived.date())
        hidden_id = None
        if draft.customer_id is None:
            hits = similar_to(visitor_card(phone, draft.name, draft.company))
            if draft.confirm_new:
                _require_confirm_reason(draft, any(h.strong for h in hits))
            elif existing := [h.customer_id for h in hits if OWN_PHONE_KEYS & set(h.reasons)]:
                seen = [m for m in find_duplicates(phone, actor=actor) if m.matched_on == "phone"]
                hidden_id = _hidden_owner_archive(existing, seen)
                if hidden_id is None:
                    raise DuplicatePhoneError(draft.phone.strip(), seen)
        if hidden_id is not None:
            return _visit_for_manager(draft, phone, arrived, hidden_id, actor)
        referrer = draft.referrer_id if draft.source == "old_brings_new" else None
        proposal = propose(draft.customer_id, arrived.date(), referrer, draft.household_of)
        salesperson_id, assignment = _receiver(draft, proposal)
        customer_id = draft.customer_id
        created = customer_id is None
        # A return never counts against the rotation (重新上门不计入接待名额).
        if created and proposal.turn is not None and assignment in ("rotation", "make_up"):
            rotation.take_turn(arrived.date(), proposal.turn)
        if not created and proposal.assignment != "owner":
            # Protection lapsed, or the owner left: the one who receives the return keeps it.
            if Customer.select(Customer.owner).where(
                    Customer.id == customer_id).scalar() != salesperson_id:
                ownership.record_change(customer_id, salesperson_id, "return", "", actor)
        if created:
            saved = _new_archive(draft, phone, salesperson_id, arrived, actor)
            customer_id = saved.customer_id
            ownership.record_registration(customer_id, salesperson_id, actor, arrived)
            if draft.household_of is not None:
                HouseholdLink.create(member=customer_id, first=draft.household_of)
        visit = Visit.create(
            arrived_at=arrived, channel=draft.channel, name=draft.name.strip(), phone=phone,
            company=draft.company.strip() or None, party_size=draft.party_size,
            purpose=draft.purpose.strip() or None, source=draft.source or draft.channel,
            referrer=draft.referrer_id, receptionist=actor.staff_id if actor else None,
            salesperson=salesperson_id, customer=customer_id, returning=not created,
            assignment=assignment, override_reason=draft.override_reason.strip() or None,
            notes=draft.notes.strip() or None,
        )
        appointments.close_on_arrival(customer_id, visit.id, arrived)
        if actor is None or actor.staff_id != salesperson_id:
            # The salesperson's desk shows it at once: a visitor is waiting for them.
            notices.send(salesperson_id, "visitor", actor, customer_id, visit.id)
        audit.record(actor, "register_visit", customer_id, visit=visit.id,
                     channel=draft.channel, salesperson=salesperson_id, assignment=assignment,
                     reason=draft.override_reason.strip(), created=created)
        archive_no = Customer.select(Customer.archive_no).where(
            Customer.id == customer_id).scalar()
    return VisitResult(visit.id, customer_id, archive_no, created, salesperson_id, assignment)


def _require_confirm_reason(draft: VisitDraft, strong_match: bool) -> None:
    """A different customer confirmed against a strong match needs its reason."""
    if strong_match and not draft.confirm_reason.strip():
        raise ValidationError([Problem("confirm_reason", _("Reason for a second archive"), _(
            "required: the visitor very likely has an archive already; say why this is a "
            "different customer"))])


def _hidden_owner_archive(existing: list[int], seen: list[Match]) -> int | None:
    """The earliest archive with this phone when ``actor`` may see none of them, else None."""
    if {m.customer_id for m in seen} & set(existing):
        return None
    return min(existing)


def _visit_for_manager(draft: VisitDraft, phone: str, arrived: dt.datetime, customer_id: int,
                       actor: Actor | None) -> VisitResult:
    """Record a visit of an archive the desk may not see, for a manager (inside the caller's
    transaction): the visit is kept with that archive, a manager receives it, and nothing of
    the archive is told back to the desk."""
    manager_id = duty_manager()
    if manager_id is None:
        raise ValidationError([Problem("salesperson_id", _("Salesperson"), _(
            "an archive you may not see has this phone, and no manager can receive the visit"))])
    visit = Visit.create(
        arrived_at=arrived, channel=draft.channel, name=draft.name.strip(), phone=phone,
        company=draft.company.strip() or None, party_size=draft.party_size,
        purpose=draft.purpose.strip() or None, source=draft.source or draft.channel,
        referrer=draft.referrer_id, receptionist=actor.staff_id if actor else None,
        salesperson=manager_id, customer=customer_id, returning=True, assignment="manager",
        notes=draft.notes.strip() or None,
    )
    owner_id = Customer.select(Customer.owner).where(Customer.id == customer_id).scalar()
    for recipient in dict.fromkeys((manager_id, owner_id)):
        if recipient is not None and (actor is None or recipient != actor.staff_id):
            notices.send(recipient, "visitor", actor, customer_id, visit.id)
    audit.record(actor, "register_visit", customer_id, visit=visit.id, channel=draft.channel,
                 salesperson=manager_id, assignment="manager", reason="", created=False)
    return VisitResult(visit.id, customer_id, "", False, manager_id, "manager")


def set_departure(visit_id: int, actor: Actor | None, at: dt.datetime | None = None) -> None:
    """Note when a visitor left the building.

    Raises:
        NotFoundError: no such visit.
        ValidationError: the departure comes before the arrival.
    """
    visibility.require(actor, visibility.Duty.REGISTER_VISITS)
    at = at or dt.datetime.now().replace(microsecond=0)
    with database.atomic():
        visit = Visit.get_or_none(Visit.id == visit_id)
        if visit is None:
            raise NotFoundError(_("No visit with id {id}.").format(id=visit_id))
        if at < visit.arrived_at:
            raise ValidationError([Problem("departed_at", _("Departure"),
                                            _("cannot come before the arrival"))])
        Visit.update(departed_at=at).where(Visit.id == visit_id).execute()
        audit.record(actor, "visit_departure", visit.customer_id, visit=visit_id, at=at)

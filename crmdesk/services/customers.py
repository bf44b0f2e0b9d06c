"""Reading and saving archive cards."""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import peewee

from crmdesk.errors import IncompleteCardWarning, NotFoundError, StaleCardError, ValidationError
from crmdesk.i18n import _
from crmdesk.models import (
    Communication,
    Customer,
    DecisionPerson,
    Level,
    Purchase,
    Staff,
    YearlySale,
)
from crmdesk.models.card import (
    DECISION_PEOPLE_COLUMNS,
    FIELDS,
    PURCHASE_COLUMNS,
    FieldSpec,
)
from crmdesk.models.db import database
from crmdesk.models.gathered import model_rows, model_rows_column
from crmdesk.models.office_fields import OfficeField, office_fields
from crmdesk.models.search_keys import mobile_tail, pinyin_keys, search_text
from crmdesk.services import (
    audit,
    cadence,
    duplicate_rule,
    office_values,
    ownership,
    sales_by_year,
    settings,
    visibility,
)
from crmdesk.services.accounts import PermissionDenied
from crmdesk.services.context import Actor
from crmdesk.services.numbering import reserve_archive_numbers
from crmdesk.services.validation import clean_fields, clean_rows, missing_important


@dataclass
class Card:
    """Everything on one archive card, as plain values (references are ids)."""

    id: int | None = None
    archive_no: str | None = None
    version: int = 0
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None
    values: dict[str, Any] = field(default_factory=dict)
    decision_people: list[dict[str, Any]] = field(default_factory=list)
    purchases: list[dict[str, Any]] = field(default_factory=list)
    # Organisations: our sales by year, in year order, each with its computed ``growth``.
    sales_by_year: list[dict[str, Any]] = field(default_factory=list)
    communications: list[dict[str, Any]] = field(default_factory=list)
    # The values of the office's own fields, by the field's key (crmdesk.services.office_fields).
    office: dict[str, Any] = field(default_factory=dict)
    # Opened to look at only (the front desk at someone else's customer): nothing is saved.
    read_only: bool = False

    @property
    def kind(self) -> str | None:
        return self.values.get("kind")


def column_name(spec: FieldSpec) -> str:
    """The Customer column that stores a card field (references end in ``_id``)."""
    return f"{spec.name}_id" if spec.kind.reference else spec.name


def new_card(actor: Actor | None, kind: str = "individual") -> Card:
    """A blank card with the office's defaults filled in (owner = the person creating it)."""
    default_level = Level.get_or_none(Level.code == settings.get("default_level"))
    return Card(
        values={
            "kind": kind,
            "status": "prospect",
            "confidentiality": "normal",
            "consent": False,
            "source": None,
            "first_contact_date": dt.date.today(),
            "owner": actor.staff_id if actor else None,
            "registered_by": actor.staff_id if actor else None,
            "level": default_level.id if default_level else None,
        }
    )


def open_card(customer_id: int, actor: Actor | None) -> Card:
    """The whole card, for ``actor`` to read; every opening is recorded in the audit trail.

    A card ``actor`` may look at but not change (the front desk at an ordinary customer it
    does not own) comes back with ``read_only`` set.

    Raises:
        PermissionDenied: ``actor`` may not open this card; the message names its mark.
        NotFoundError: no customer has that id.
    """
    # The row read once serves the permission check, the card and its audit entry (a card open
    # is seven statements: row with its office values and yearly sales, decision people,
    # purchases, log, and the audit entry's three).
    return open_card_row(customer_id, actor)[0]


def open_card_row(customer_id: int, actor: Actor | None,
                  columns: Mapping[str, peewee.Node] | None = None) -> tuple[Card, Customer]:
    """``open_card``, with the customer's row read for it, which also holds ``columns`` (by
    alias) for a caller that shows more than the card."""
    customer = _customer_row(customer_id, columns or {})
    owner, mark = (customer.owner_id, customer.confidentiality) if customer else (None, None)
    readable = customer is not None and visibility.may_read(actor, customer_id, owner, mark)
    if not readable and (customer is None
                         or not visibility.may_view(actor, customer_id, owner, mark)):
        raise PermissionDenied(visibility.refusal(mark))
    card = _card_of(customer)
    card.read_only = not readable
    with database.atomic():
        audit.record_on(actor, "open_card", customer_id, customer.archive_no)
    return card, customer


def get_card(customer_id: int) -> Card:
    """Load the whole card of one customer, its log newest first (no permission check: services
    call this for cards they already checked).

    Raises:
        NotFoundError: no customer has that id.
    """
    customer = _customer_row(customer_id)
    if customer is None:
        raise NotFoundError(_("No customer with id {id}.").format(id=customer_id))
    return _card_of(customer)


def _customer_row(customer_id: int,
                  columns: Mapping[str, peewee.Node] | None = None) -> Customer | None:
    """The customer's row with its office values, decision people, purchases, yearly sales
    and any other ``columns`` (by alias) gathered in the same statement."""
    extra = {"office_gathered": office_values.row_column(),
             "sales_gathered": sales_by_year.row_column(),
             "people_gathered": model_rows_column(DecisionPerson,
                                                  DecisionPerson.customer == Customer.id),
             "purchases_gathered": model_rows_column(Purchase, Purchase.customer == Customer.id),
             **(columns or {})}
    return (Customer.select(Customer, *(column.alias(alias) for alias, column in extra.items()))
            .where(Customer.id == customer_id).first())


def _card_of(customer: Customer) -> Card:
    """The whole card of a customer row already read: its tables and log read with it."""
    values = {name: getattr(customer, column_name(spec)) for name, spec in FIELDS.items()}
    people = [
        {c.name: getattr(p, c.name) for c in DECISION_PEOPLE_COLUMNS}
        for p in sorted(model_rows(DecisionPerson, customer.people_gathered),
                        key=lambda p: (p.position, p.id))
    ]
    purchases = [
        {c.name: getattr(p, c.name) for c in PURCHASE_COLUMNS}
        for p in sorted(model_rows(Purchase, customer.purchases_gathered),
                        key=lambda p: (p.date is not None, p.date or dt.date.min, p.id))
    ]
    return Card(
        id=customer.id,
        archive_no=customer.archive_no,
        version=customer.version,
        created_at=customer.created_at,
        updated_at=customer.updated_at,
        values=values,
        decision_people=people,
        purchases=purchases,
        sales_by_year=sales_by_year.from_row(getattr(customer, "sales_gathered", None)),
        communications=communication_log(customer.id),
        office=office_values.from_row(getattr(customer, "office_gathered", None)),
    )


def communication_log(customer_id: int, limit: int | None = None) -> list[dict[str, Any]]:
    """The card's back, newest first, with level codes and recorder names resolved."""
    keys = ("id", "seq", "contacted_at", "method", "person", "person_role", "level", "record",
            "conclusion", "next_follow_up", "recorded_by")
    query = (
        Communication.select(
            Communication.id, Communication.seq, Communication.contacted_at,
            Communication.method, Communication.person, Communication.person_role, Level.code,
            Communication.record, Communication.conclusion, Communication.next_follow_up,
            Staff.name,
        )
        .join(Level, peewee.JOIN.LEFT_OUTER, on=(Communication.level == Level.id))
        .switch(Communication)
        .join(Staff, peewee.JOIN.LEFT_OUTER, on=(Communication.recorded_by == Staff.id))
        .where(Communication.customer == customer_id)
        .order_by(Communication.contacted_at.desc(), Communication.seq.desc())
        .limit(limit)
        .tuples()
    )
    return [dict(zip(keys, row, strict=True)) for row in query]


@dataclass(frozen=True)
class SaveResult:
    """What a save did: the customer's id, archive number, new version and changed fields."""

    customer_id: int
    archive_no: str
    version: int
    changed: tuple[str, ...]
    created: bool
    # Archives that may be the same customer: weak matches, or strong ones confirmed.
    similar: tuple[duplicate_rule.Hit, ...] = ()


def search_columns(values: dict[str, Any]) -> dict[str, Any]:
    """The search keys stored beside a card's values (pinyin, initials, mobile tail, text)."""
    full, initials = pinyin_keys(values.get("name") or "")
    return {
        "name_pinyin": full,
        "name_initials": initials,
        "mobile_tail": mobile_tail(values.get("mobile")),
        "search_text": search_text(values.get("name"), values.get("alias"),
                                   values.get("employer")),
    }


def validate_card(card: Card, office: list[OfficeField], accept_incomplete: bool = False,
                  ) -> tuple[dict, dict[str, list], dict]:
    """Check a card; return its clean values, the rows of its tables (decision people,
    purchases, yearly sales) by table, and the values of the ``office``'s own fields shown on
    the card (by key).

    Raises:
        ValidationError: listing every missing required field and every invalid value.
        IncompleteCardWarning: important fields are empty and ``accept_incomplete`` is False.
    """
    values, problems = clean_fields(card.values, card.values.get("kind"))
    people, people_problems = clean_rows("decision_people", card.decision_people)
    purchases, purchase_problems = clean_rows("purchases", card.purchases)
    sales, sales_problems = clean_rows("sales_by_year", card.sales_by_year)
    sales_problems += sales_by_year.problems(card.sales_by_year)
    own, own_problems = office_values.clean_values(office, card.office, values.get("kind"))
    problems += own_problems + people_problems + purchase_problems + sales_problems
    if problems:
        raise ValidationError(problems)
    if not accept_incomplete:
        missing = missing_important(values, values.get("kind"))
        missing += office_values.missing_important(office, own, values.get("kind"))
        if missing:
            raise IncompleteCardWarning(missing)
    tables = {"decision_people": people, "purchases": purchases, "sales_by_year": sales}
    return values, tables, own


def _changes(old: Card | None, values: dict[str, Any], sales: list[dict[str, Any]],
             ) -> dict[str, tuple[str, str]]:
    changes = {}
    for name, value in values.items():
        before = old.values.get(name) if old else None
        if before != value:
            kind = FIELDS[name].kind
            changes[name] = (kind.display(before), kind.display(value))
    before, after = (_sales_text(old.sales_by_year if old else []), _sales_text(sales))
    if before != after:
        changes["sales_by_year"] = (before, after)
    return changes


def _sales_text(rows: list[dict[str, Any]]) -> str:
    return sales_by_year.as_text({r["year"]: r["amount"] for r in rows})


def save_card(card: Card, actor: Actor | None, accept_incomplete: bool = False,
              second_archive: str | None = None) -> SaveResult:
    """Validate and store a card in one transaction, audited; the caller's ``card`` is untouched.

    A new card (``card.id`` None) gets an archive number. An existing card is saved only if
    nobody saved it since it was loaded (``card.version``); changing its owner is a manager's
    transfer, kept in the ownership history. A new card, and a change of who the customer is
    (name, company, birth date, a phone or number), pass the duplicate rule
    (crmdesk.services.duplicate_rule): ``second_archive`` is the reason a person gave for
    keeping a second archive of a customer who very likely has one.

    Raises:
        ValidationError, IncompleteCardWarning: see ``validate_card``; nothing is written.
        StaleCardError: someone else saved this card first; nothing is written.
        DuplicateArchiveError: a strong match and no ``second_archive``; nothing is written.
    """
    if card.id:
        visibility.require_card(actor, card.id)
    else:
        visibility.require(actor, visibility.Duty.CREATE_CUSTOMER)
    # Hidden office fields are not on the form: what they hold stays as it is.
    office = office_fields()
    values, tables, own = validate_card(card, office, accept_incomplete)
    reason = duplicate_rule.check_reason(second_archive)
    now = dt.datetime.now()
    columns = {column_name(FIELDS[name]): value for name, value in values.items()}
    columns.update(search_columns(values))
    with database.atomic():
        old = get_card(card.id) if card.id else None
        similar: list[duplicate_rule.Hit] = []
        if duplicate_rule.identity_changed(old.values if old else None, values):
            similar = duplicate_rule.enforce(values, card.id, actor, reason)
        if old is None:
            archive_no = reserve_archive_numbers(1, now.date())[0]
            customer_id = Customer.insert(
                archive_no=archive_no, created_at=now, updated_at=now, version=1, **columns
            ).execute()
            version = 1
        else:
            archive_no = old.archive_no or ""
            customer_id = old.id or 0
            if values.get("owner", old.values.get("owner")) != old.values.get("owner"):
                # Handing a customer to someone else is a manager's transfer, kept in the
                # ownership history like any other.
                visibility.require(actor, visibility.Duty.REASSIGN)
                ownership.record_change(customer_id, values["owner"], "transfer",
                                        _("changed on the card"), actor)
                card = replace(card, version=card.version + 1)
            version = card.version + 1
            updated = Customer.update(updated_at=now, version=version, **columns).where(
                (Customer.id == customer_id) & (Customer.version == card.version)
            ).execute()
            if updated != 1:
                raise StaleCardError(
                    _("Card {no} was changed at another desk after you opened it. Your edits "
                      "are still in the form: copy what you need, then reopen the card.").format(
                        no=archive_no)
                )
        _replace_rows(DecisionPerson, customer_id, tables["decision_people"], with_position=True)
        _replace_rows(Purchase, customer_id, tables["purchases"])
        _replace_rows(YearlySale, customer_id, tables["sales_by_year"])
        office_values.write_values(customer_id, office, own)
        cadence.refresh_follow_up(customer_id)
        changes = _changes(old, values, tables["sales_by_year"])
        changes.update(office_values.changes(office, old.office if old else {}, own))
        audit.record(actor, "create" if old is None else "update", customer_id,
                     changes={k: list(v) for k, v in changes.items()})
        duplicate_rule.record_confirmation(actor, customer_id, similar, reason)
    return SaveResult(customer_id, archive_no, version, tuple(changes), old is None,
                      tuple(similar))


def _replace_rows(model: type, customer_id: int, rows: list[dict[str, Any]],
                  with_position: bool = False) -> None:
    model.delete().where(model.customer == customer_id).execute()
    for position, row in enumerate(rows):
        extra = {"position": position} if with_position else {}
        model.create(customer=customer_id, **extra, **row)


def archive_number(customer_id: int | None) -> str:
    """The archive number of a customer, or an empty string."""
    if customer_id is None:
        return ""
    return Customer.select(Customer.archive_no).where(Customer.id == customer_id).scalar() or ""

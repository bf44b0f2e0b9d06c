"""Masking where rows leave the services: every use case open to anyone logged in (``ANYONE``
in crmdesk.services.permissions) and every listing command, run by each role in an office
whose cards of each mark (普通/机密/绝密) are overdue, due, in the pool, visiting, expected,
complained about and named-reader-granted. Nothing any of them returns or prints holds the full
mobile of a card the role may not read, nor the name of a 绝密 card it may not read; the
manager's output shows the rows are there.
"""
from __future__ import annotations

import datetime as dt
import functools
import itertools
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest

from crmdesk.cli import main
from crmdesk.errors import CrmError
from crmdesk.models import Appointment, CardReader, ChangeEvent, Customer, OwnershipChange, Visit
from crmdesk.models.db import close_database, database
from crmdesk.models.phones import format_phone
from crmdesk.services import (
    access_requests,
    accounts,
    appointments,
    backup,
    changes,
    complaints,
    confidentiality,
    contacts,
    customer_list,
    customer_value,
    customers,
    daily_notices,
    documents,
    duplicate_rule,
    duplicates,
    followup,
    glance,
    notices,
    pool,
    reminders,
    search,
    statistics,
    visit_register,
    workbench,
)
from crmdesk.services.accounts import PermissionDenied
from crmdesk.services.context import Actor
from crmdesk.services.exports import approval
from crmdesk.services.permissions import ANYONE, READ_CARD, ROLES, SERVICES
from crmdesk.services.search import ListQuery
from crmdesk.services.statistics.periods import Period
from crmdesk.services.statistics.scope import scope_for
from crmdesk.services.visibility import SECRET
from tests.backends import location_options
from tests.services.permission_office import (
    COLLEAGUE,
    PASSWORD,
    Office,
    command_line_ready,
    prepared_office,
)

TODAY = dt.date.today()
NOW = dt.datetime.now().replace(microsecond=0)
LONG_AGO = NOW - dt.timedelta(days=200)
NOTHING = 99_999


@dataclass(frozen=True)
class Card:
    id: int
    number: str
    name: str
    mobile: str
    owner_id: int
    mark: str
    readers: frozenset[int]  # staff named with a grant in force today


@dataclass
class Shown:
    """The office, its cards as the checks need them."""

    office: Office
    cards: list[Card]

    def actor(self, role: str) -> Actor:
        return self.office.people[role]

    def may_read(self, role: str, card: Card) -> bool:
        """The table's answer: may ``role`` read the whole card (and so its mobile)?"""
        me = self.actor(role).staff_id
        return READ_CARD.allows((role,), card.mark, card.owner_id == me, me in card.readers)

    def leaks(self, role: str, text: str) -> list[str]:
        """What ``text`` shows that ``role`` may not read: full mobiles, 绝密 names."""
        found = []
        for card in self.cards:
            if self.may_read(role, card):
                continue
            if card.mobile in text or format_phone(card.mobile) in text:
                found.append(f"mobile of {card.name}")
            if card.mark == SECRET and card.name in text:
                found.append(f"name of {card.name}")
        return found

    def readable_shown(self, role: str, text: str) -> int:
        """How many cards ``role`` may read show their full mobile or name in ``text``."""
        return sum(1 for c in self.cards if self.may_read(role, c) and (
            c.mobile in text or format_phone(c.mobile) in text or c.name in text))


def _cards() -> list[Card]:
    readers: dict[int, set[int]] = {}
    for cid, staff in CardReader.select(CardReader.customer, CardReader.staff).where(
            CardReader.in_force()).tuples():
        readers.setdefault(cid, set()).add(staff)
    return [Card(cid, no, name, mobile, owner, mark, frozenset(readers.get(cid, ())))
            for cid, no, name, mobile, owner, mark in Customer.select(
                Customer.id, Customer.archive_no, Customer.name, Customer.mobile,
                Customer.owner, Customer.confidentiality).tuples()]


def _fill(office: Office) -> None:
    """Every card registered long ago (so in the pool, dormant), contacted 100 days ago by its
    owner with the next follow-up yesterday (overdue) or today (due), a birthday today, a visit
    and two appointments each, and a complaint past its answer date handled by the front
    desk."""
    boss, desk = office.people["boss"], office.people["frontdesk"]
    by_staff = {a.staff_id: a for k, a in office.people.items() if k != "boss"}
    for n, (cid, owner) in enumerate(Customer.select(Customer.id, Customer.owner).tuples()):
        contacts.log_contact(cid, contacts.Contact(
            NOW - dt.timedelta(days=100), "phone", "回访",
            next_follow_up=TODAY - dt.timedelta(days=n % 2)), by_staff[owner])
        Visit.create(arrived_at=NOW - dt.timedelta(minutes=n), channel="visit",
                     name=f"来访者{n}", phone=Customer.get_by_id(cid).mobile, customer=cid,
                     returning=True, receptionist=desk.staff_id)
        for day in (TODAY, TODAY - dt.timedelta(days=1)):
            Appointment.create(customer=cid, salesperson=owner, starts_at=dt.datetime.combine(
                day, dt.time(9, n % 60)), purpose="看车", booked_by=owner, booked_at=LONG_AGO)
        complaints.record_complaint(cid, complaints.NewComplaint(
            NOW - dt.timedelta(days=10), "call", "等了一小时", "service",
            handler_id=desk.staff_id, due_on=TODAY - dt.timedelta(days=5)), boss)
    Customer.update(created_at=LONG_AGO, birth_date=TODAY.replace(year=1980)).execute()
    OwnershipChange.update(at=LONG_AGO).execute()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def shown(request, tmp_path_factory, postgresql_server) -> Iterator[Shown]:
    yield from prepared_office(request, tmp_path_factory, postgresql_server, _filled)


def _filled(office: Office) -> Shown:
    _fill(office)
    return Shown(office, _cards())


@pytest.fixture
def opened(shown) -> Iterator[Shown]:
    shown.office.reopen()
    yield shown
    close_database()


# --- the services ---------------------------------------------------------------------------

ListCall = Callable[[Shown, Actor], object]


def names_of(ids: list[int]) -> list[str]:
    """What a list of ids lets its holder open: the names behind them."""
    return [row[0] for row in Customer.select(Customer.name).where(
        Customer.id.in_(ids)).tuples()] if ids else []


def recent_changes() -> list[changes.Change]:
    return [changes.Change(i, at, kind, tuple(int(x) for x in ids.split(",") if x), who, False)
            for i, at, kind, ids, who in ChangeEvent.select(
                ChangeEvent.id, ChangeEvent.at, ChangeEvent.kind, ChangeEvent.ids,
                ChangeEvent.actor).tuples()]


def numbers_named(result: list[changes.VisibleChange]) -> list[str]:
    numbers = [no for change in result for no in change.archive_nos]
    return [row[0] for row in Customer.select(Customer.name).where(
        Customer.archive_no.in_(numbers)).tuples()] if numbers else []


ALL_IDS: Callable[[Shown], list[int]] = lambda s: [c.id for c in s.cards]  # noqa: E731
LIST_CALLS: dict[str, ListCall] = {
    "accounts.change_own_password": lambda s, a: accounts.change_own_password(
        a, PASSWORD, PASSWORD),
    "accounts.log_out": lambda s, a: accounts.log_out(a),
    "accounts.set_password": lambda s, a: accounts.set_password(a, a.staff_id, PASSWORD),
    "accounts.verify_password": lambda s, a: accounts.verify_password(a, PASSWORD),
    "access_requests.request": lambda s, a: access_requests.request(
        s.office.cards[COLLEAGUE, SECRET][0], "核对", "客户来电", a),
    "access_requests.requests": lambda s, a: access_requests.requests(a),
    "appointments.expected_on": lambda s, a: appointments.expected_on(TODAY, a),
    "appointments.no_shows": lambda s, a: appointments.no_shows(a),
    "backup.back_up_if_due": lambda s, a: backup.back_up_if_due(
        a, s.office.folder / "daily"),
    "changes.visible_to": lambda s, a: numbers_named(changes.visible_to(a, recent_changes())),
    "complaints.complaints_of": lambda s, a: [complaints.complaints_of(c.id, a)
                                              for c in s.cards],
    "complaints.overdue": lambda s, a: complaints.overdue(TODAY, a),
    "complaints.notify_overdue": lambda s, a: complaints.notify_overdue(TODAY, a),
    "confidentiality.loans": lambda s, a: confidentiality.loans(a),
    "confidentiality.report_leak": lambda s, a: confidentiality.report_leak(
        "名单外泄", "客户告知", a),
    "customer_value.customers_of_grade": lambda s, a: [
        customer_value.customers_of_grade(g, a) for g in ("A", "B", "C")],
    "customer_value.summary": lambda s, a: customer_value.summary(a),
    "customers.new_card": lambda s, a: customers.new_card(a),
    "daily_notices.post_daily": lambda s, a: daily_notices.post_daily(a),
    # Laid out from confidentiality.loans, looked at above: here only never refused.
    "documents.loans_pdf": lambda s, a: documents.loans_pdf(a),
    "documents.loans_printout": lambda s, a: documents.loans_printout(a),
    "duplicate_rule.similar_archives": lambda s, a: [duplicate_rule.similar_archives(
        {"name": c.name, "mobile": c.mobile}, a) for c in s.cards],
    "duplicate_rule.similar_while_typing": lambda s, a: [duplicate_rule.similar_while_typing(
        {"name": c.name, "mobile": format_phone(c.mobile)}, a) for c in s.cards],
    "duplicates.find_duplicates": lambda s, a: [duplicates.find_duplicates(
        phone=c.mobile, actor=a) for c in s.cards],
    "duplicates.restricted_hits": lambda s, a: [duplicates.restricted_hits(c.mobile, a)
                                                for c in s.cards],
    "exports.approval.approvals": lambda s, a: approval.approvals(a),
    "followup.counts": lambda s, a: followup.counts(actor=a),
    "followup.due": lambda s, a: followup.due(days=7, actor=a, limit=None),
    "followup.due_count": lambda s, a: followup.due_count(actor=a),
    "followup.due_this_week": lambda s, a: followup.due_this_week(actor=a, limit=None),
    "followup.due_today": lambda s, a: followup.due_today(actor=a, limit=None),
    "followup.never_contacted": lambda s, a: followup.never_contacted(actor=a, limit=None),
    "followup.overdue": lambda s, a: followup.overdue(actor=a, limit=None),
    "followup.overdue_by_owner": lambda s, a: followup.overdue_by_owner(actor=a),
    "followup.overdue_count": lambda s, a: followup.overdue_count(actor=a),
    "glance.glances": lambda s, a: glance.glances(ALL_IDS(s), a),
    "notices.mark_read": lambda s, a: notices.mark_read(NOTHING, a),
    "notices.notices_for": lambda s, a: notices.notices_for(a, unread_only=False),
    "notices.reply_coming": lambda s, a: notices.reply_coming(NOTHING, a),
    "notices.unread_count": lambda s, a: notices.unread_count(a),
    "pool.due_to_lapse": lambda s, a: pool.due_to_lapse(a.staff_id, a),
    "pool.pool": lambda s, a: pool.pool(a),
    "reminders.birthdays": lambda s, a: reminders.birthdays(days=366, actor=a),
    "reminders.birthday_tile": lambda s, a: reminders.birthday_tile(TODAY, a, None, 50),
    "reminders.dormant": lambda s, a: reminders.dormant(actor=a, limit=None),
    "reminders.dormant_count": lambda s, a: reminders.dormant_count(actor=a),
    "reminders.incomplete_archives": lambda s, a: reminders.incomplete_archives(
        actor=a, limit=None),
    "reminders.incomplete_by_owner": lambda s, a: reminders.incomplete_by_owner(actor=a),
    "reminders.incomplete_count": lambda s, a: reminders.incomplete_count(actor=a),
    "search.find_ids": lambda s, a: names_of(search.find_ids(ListQuery(), a)),
    "search.first_screen": lambda s, a: names_of(search.first_screen(ListQuery(), a)),
    "search.list_rows": lambda s, a: search.list_rows(ALL_IDS(s), a),
    "customer_list.rows": lambda s, a: customer_list.rows(ALL_IDS(s), a),
    "customer_list.with_office_cells": lambda s, a: customer_list.with_office_cells(
        search.list_rows(ALL_IDS(s), a), a),
    "visit_register.phone_history": lambda s, a: [visit_register.phone_history(c.mobile, a)
                                                  for c in s.cards],
    "visit_register.visits_between": lambda s, a: visit_register.visits_between(
        TODAY, TODAY, a),
    "workbench.archive_size": lambda s, a: workbench.archive_size(a),
    "workbench.front_desk": lambda s, a: workbench.front_desk(a, TODAY),
    "workbench.full_list": lambda s, a: [workbench.full_list(key, a) for key in (
        "visitors", "expected", "no_shows", "lapsing")],
    "workbench.home": lambda s, a: workbench.home(a),
    "workbench.home_of": lambda s, a: workbench.home_of(a),
    "workbench.manager": lambda s, a: workbench.manager(a, TODAY),
    "workbench.sales": lambda s, a: workbench.sales(a, TODAY),
    "workbench.visitors_of": lambda s, a: workbench.visitors_of(a, TODAY),
}
OPEN_TO_ANYONE = sorted(name for name, gate in SERVICES.items() if gate == ANYONE)
# Lists whose rows the manager sees in this office (the others give figures or nothing).
ROWS = {"appointments.expected_on", "appointments.no_shows", "complaints.complaints_of",
        "complaints.overdue", "duplicate_rule.similar_archives",
        "duplicate_rule.similar_while_typing", "duplicates.find_duplicates",
        "followup.due", "followup.due_this_week", "followup.due_today", "followup.overdue",
        "glance.glances", "pool.pool", "reminders.birthdays", "reminders.birthday_tile",
        "reminders.dormant", "search.find_ids",
        "search.first_screen", "search.list_rows", "visit_register.phone_history",
        "visit_register.visits_between", "workbench.full_list", "changes.visible_to",
        "customer_list.rows", "customer_list.with_office_cells"}


def test_every_use_case_open_to_anyone_is_looked_at():
    assert sorted(set(OPEN_TO_ANYONE) - set(LIST_CALLS)) == []
    assert sorted(set(LIST_CALLS) - set(OPEN_TO_ANYONE)) == [], "not ANYONE in the table"


def returned(call: Callable[[], object]) -> object:
    """What ``call`` returns (its errors as text), with what it wrote rolled back."""
    with database.atomic() as transaction:
        try:
            return call()
        except PermissionDenied:
            raise
        except CrmError as error:  # stopped by the use case's own rules
            return repr(error)
        finally:
            transaction.rollback()


@pytest.mark.parametrize("function", OPEN_TO_ANYONE)
def test_use_cases_open_to_anyone_show_only_what_may_be_read(opened, function):
    """Never refused, and what comes back holds no mobile or 绝密 name the role may not
    read; the manager sees rows where the office has them."""
    wrong = []
    for role in ROLES:
        got = returned(functools.partial(LIST_CALLS[function], opened, opened.actor(role)))
        wrong += [f"{role}: {leak}" for leak in opened.leaks(role, repr(got))]
        if function in ROWS and role == "manager":
            assert opened.readable_shown(role, repr(got)), "the manager sees no row"
    assert wrong == []


def test_a_lapsed_grant_no_longer_reads_the_card(opened):
    sales = opened.actor("sales")
    for relation, full in (("named", True), ("lapsed", False)):
        cid, _number = opened.office.cards[relation, SECRET]
        mobile = Customer.get_by_id(cid).mobile
        (row,) = glance.glances([cid], sales)
        assert (row.phone == format_phone(mobile)) is full, relation


def test_statistics_count_and_list_only_what_may_be_read(opened):
    """A figure lists no 绝密 card its reader may not read, and a lapsed grant counts as none."""
    month = Period(dt.date.today() - dt.timedelta(days=31), dt.date.today())
    for role in ("sales", "manager"):
        actor = opened.actor(role)
        new_archives = statistics.run("growth", month, actor).sections[0].rows[-1][1]
        rows = statistics.drill(new_archives, actor)
        assert len(rows) == new_archives.value
        assert opened.leaks(role, repr(rows)) == []
        hidden = scope_for(actor).hidden
        for relation, counted in (("named", True), ("lapsed", False)):
            cid, _number = opened.office.cards[relation, SECRET]
            assert (cid not in hidden) is counted, (role, relation)


# --- the command line -----------------------------------------------------------------------

LISTINGS = [["customers", "--limit", "500"], ["overdue"], ["due", "--today"], ["due", "--week"],
            ["visits"], ["pool"], ["appointments"], ["appointments", "--no-shows"],
            ["complaints", "overdue"], ["stats", "visitors"], ["stats", "conversion"]]
TAKES_JSON = {"customers", "overdue", "due", "visits", "pool", "appointments", "complaints",
              "stats"}
SHOWS_ROWS = {"customers", "overdue", "due", "visits", "pool", "appointments", "complaints"}


def printed(shown: Shown, role: str, line: list[str], capsys) -> str:
    """What ``line`` prints run by ``role``."""
    try:
        code = main([*location_options(shown.office.archive), "--user", role, *line])
    finally:
        shown.office.reopen()
    out = capsys.readouterr()
    assert code == 0 or (line[0] == "stats" and role in ("frontdesk", "admin")), out.err
    return out.out


@pytest.mark.parametrize("line", LISTINGS, ids=" ".join)
def test_listings_print_only_what_may_be_read(opened, line, monkeypatch, capsys):
    """Text and --json, each role; history of every card's mobile besides."""
    command_line_ready(monkeypatch)
    formats = [line, [*line, "--json"]] if line[0] in TAKES_JSON else [line]
    wrong = []
    for role, form in itertools.product(ROLES, formats):
        out = printed(opened, role, form, capsys)
        if "--json" in form and out:
            json.loads(out)
        wrong += [f"{role} {' '.join(form)}: {leak}" for leak in opened.leaks(role, out)]
        if role == "manager" and line[0] in SHOWS_ROWS:
            assert opened.readable_shown(role, out), f"the manager sees no row: {form}"
    assert wrong == []


def test_history_of_a_phone_prints_only_what_may_be_read(opened, monkeypatch, capsys):
    command_line_ready(monkeypatch)
    wrong = []
    for role, card, form in itertools.product(("frontdesk", "sales"), opened.cards,
                                              ([], ["--json"])):
        if opened.may_read(role, card):
            continue
        out = printed(opened, role, ["history", card.mobile, *form], capsys)
        others = Shown(opened.office, [c for c in opened.cards if c.id != card.id])
        wrong += [f"{role} {card.name}: {leak}" for leak in others.leaks(role, out)]
        if card.mark == SECRET and card.name in out:
            wrong.append(f"{role}: name of {card.name}")
    assert wrong == []

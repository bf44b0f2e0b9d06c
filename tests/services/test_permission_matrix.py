"""The permission matrix: every subcommand and every card use case of the services, run by
each role against cards of each mark (普通/机密/绝密) in each relation (their own, a colleague's,
a colleague's they are named to read, one whose grant lapsed), compared with the one declared
table (crmdesk.services.permissions). tests/services/test_permission_duties.py runs the use
cases allowed by role alone.

A new subcommand, or a new public service function taking an actor, without an entry in the
table fails here. One archive per backend serves the whole module; what a run changes is rolled
back (services) or made on a card created for that run (commands that change a card).
"""
from __future__ import annotations

import datetime as dt
import importlib
import inspect
import itertools
import pkgutil
from collections.abc import Callable, Iterator
from functools import partial

import pytest

import crmdesk.cli
import crmdesk.services
from crmdesk.cli import main
from crmdesk.models import Customer
from crmdesk.models.db import close_database
from crmdesk.services import (
    appointments,
    card_reviews,
    card_view,
    complaint_printout,
    complaints,
    contacts,
    customers,
    deals,
    documents,
    encryption,
    merges,
    ownership,
    printouts,
    readers,
    retention,
)
from crmdesk.services.accounts import PermissionDenied
from crmdesk.services.context import Actor
from crmdesk.services.permissions import COMMANDS, MARKS, NORMAL, ROLES, SERVICES, CardRule
from crmdesk.services.visibility import SECRET
from tests.backends import location_options
from tests.services.permission_office import (
    COLLEAGUE,
    LAPSED,
    NAMED,
    OTHER,
    OWN,
    RELATIONS,
    Office,
    build_office,
    command_line_ready,
    expected,
    new_card,
    passes_gate,
)
from tests.subcommands import leaves


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def office(request, tmp_path_factory, postgresql_server) -> Iterator[Office]:
    yield from build_office(request, tmp_path_factory, postgresql_server)


@pytest.fixture
def opened(office) -> Iterator[Office]:
    """The module's archive, open for this test."""
    office.reopen()
    yield office
    close_database()


# --- every entry is declared ---------------------------------------------------------------


def _service_functions() -> set[str]:
    found = set()
    for info in pkgutil.walk_packages(crmdesk.services.__path__, "crmdesk.services."):
        module = importlib.import_module(info.name)
        for name, function in vars(module).items():
            if (not name.startswith("_") and inspect.isfunction(function)
                    and function.__module__ == module.__name__
                    and "actor" in inspect.signature(function).parameters):
                found.add(f"{info.name.removeprefix('crmdesk.services.')}.{name}")
    return found


SUBCOMMANDS = sorted(path for path, _parser_ in leaves() if path)


def test_every_service_function_taking_an_actor_has_an_entry():
    functions = _service_functions()
    assert sorted(functions - set(SERVICES)) == [], "add these to services/permissions.py"
    assert sorted(set(SERVICES) - functions) == [], "these entries name no function"


def test_every_subcommand_has_an_entry():
    assert sorted(set(SUBCOMMANDS) - set(COMMANDS)) == [], "add these to COMMANDS"
    assert sorted(set(COMMANDS) - set(SUBCOMMANDS)) == [], "these entries name no command"


# --- the services, card by card ---------------------------------------------------------------

CardCall = Callable[[Office, Actor, int, str], object]
SOON = dt.datetime.combine(dt.date.today() + dt.timedelta(days=2), dt.time(10))
TODAY = dt.date.today()


def booked(office: Office, customer_id: int) -> int:
    """An appointment on the card, booked by its owner."""
    owner = Customer.get_by_id(customer_id).owner_id
    by = next(a for a in office.people.values() if a.staff_id == owner)
    return appointments.book(customer_id, SOON, "看车", by)


def complained(office: Office, customer_id: int) -> int:
    """An open complaint about the customer, taken by the manager, handled by nobody yet."""
    return complaints.record_complaint(customer_id, complaints.NewComplaint(
        dt.datetime.now().replace(microsecond=0), "call", "等了一小时", "service"),
        office.people["boss"])


def merged(office: Office) -> int:
    """A merge of two new ordinary cards of the colleague's, by the manager."""
    first, second = (new_card(office, COLLEAGUE, NORMAL)[0] for _ in range(2))
    return merges.merge(first, second, office.people["boss"])


CARD_CALLS: dict[str, CardCall] = {
    "appointments.book": lambda o, a, cid, no: appointments.book(cid, SOON, "看车", a),
    "appointments.cancel": lambda o, a, cid, no: appointments.cancel(booked(o, cid), a),
    "appointments.of_customer": lambda o, a, cid, no: appointments.of_customer(cid, a),
    "card_reviews.put_up": lambda o, a, cid, no: card_reviews.put_up(cid, a),
    "complaints.record_complaint": lambda o, a, cid, no: complaints.record_complaint(
        cid, complaints.NewComplaint(dt.datetime.now(), "call", "态度差", "service"), a),
    "complaints.add_step": lambda o, a, cid, no: complaints.add_step(
        complained(o, cid), TODAY, "已回电", a),
    "complaints.close": lambda o, a, cid, no: complaints.close(
        complained(o, cid), TODAY, "已道歉", "satisfied", a),
    "complaints.complaint": lambda o, a, cid, no: complaints.complaint(complained(o, cid), a),
    "complaint_printout.complaint_pdf": lambda o, a, cid, no: complaint_printout.complaint_pdf(
        complained(o, cid), a),
    "complaint_printout.complaint_printout": lambda o, a, cid, no:
        complaint_printout.complaint_printout(complained(o, cid), a),
    "customers.open_card": lambda o, a, cid, no: customers.open_card(cid, a),
    "customers.open_card_row": lambda o, a, cid, no: customers.open_card_row(cid, a),
    "card_view.open_card_view": lambda o, a, cid, no: card_view.open_card_view(cid, a),
    "customers.save_card": lambda o, a, cid, no: customers.save_card(
        customers.get_card(cid), a, accept_incomplete=True),
    "contacts.log_contact": lambda o, a, cid, no: contacts.log_contact(
        cid, contacts.Contact(dt.datetime.now(), "phone", "回访"), a),
    "deals.record_deal": lambda o, a, cid, no: deals.record_deal(cid, deals.NewDeal(TODAY), a),
    "deals.deals_of": lambda o, a, cid, no: deals.deals_of(cid, a),
    "documents.cards_pdf": lambda o, a, cid, no: documents.cards_pdf([cid], a),
    "documents.log_pdf": lambda o, a, cid, no: documents.log_pdf(cid, a),
    "documents.cards_printout": lambda o, a, cid, no: documents.cards_printout([cid], a),
    "documents.log_printout": lambda o, a, cid, no: documents.log_printout(cid, a),
    "merges.merge": lambda o, a, cid, no: merges.merge(o.twin(cid), cid, a),
    "merges.plan_merge": lambda o, a, cid, no: merges.plan_merge(o.twin(cid), cid, a),
    "printouts.card_sheet": lambda o, a, cid, no: printouts.card_sheet(cid, a),
    "printouts.card_sheets": lambda o, a, cid, no: printouts.card_sheets([no], a),
    "printouts.log_sheet": lambda o, a, cid, no: printouts.log_sheet(cid, a),
    "ownership.claim": lambda o, a, cid, no: ownership.claim(cid, a),
    "ownership.transfer": lambda o, a, cid, no: ownership.transfer(
        [cid], o.people[COLLEAGUE].staff_id, "调离", a),
    "retention.destroy": lambda o, a, cid, no: retention.destroy(a, cid, "客户要求"),
    "readers.set_readers": lambda o, a, cid, no: readers.set_readers(
        a, cid, [o.people["sales"].staff_id]),
}
CARD_FUNCTIONS = sorted(name for name, gate in SERVICES.items() if isinstance(gate, CardRule))


# Destroying checkpoints the SQLite file after its transaction: it runs on a card of its own.
ON_A_NEW_CARD = {"retention.destroy"}


def test_every_card_use_case_has_a_way_to_run_it():
    assert sorted(set(CARD_FUNCTIONS) - set(CARD_CALLS)) == []


@pytest.mark.parametrize("function", CARD_FUNCTIONS)
def test_card_use_cases_follow_the_table(opened, function):
    """Each role against each mark and relation: every wrong outcome listed."""
    gate = SERVICES[function]
    wrong = []
    for role, mark, relation in itertools.product(ROLES, MARKS, RELATIONS):
        fresh = function in ON_A_NEW_CARD
        cid, number = (opened.fresh_card(role, mark, relation) if fresh
                       else opened.card(role, mark, relation))
        actor = opened.people[role]
        got = passes_gate(partial(CARD_CALLS[function], opened, actor, cid, number),
                          undo=not fresh)
        if got != expected(gate, role, mark, relation):
            wrong.append(f"{role} {relation} {mark}: {'allowed' if got else 'refused'}")
    assert wrong == []


def test_refusals_name_the_mark_and_the_role(opened):
    actor = opened.people["frontdesk"]
    for mark, name in (("confidential", "机密"), ("secret", "绝密")):
        cid, _number = opened.cards[COLLEAGUE, mark]
        with pytest.raises(PermissionDenied, match=name):
            documents.cards_pdf([cid], actor)
    with pytest.raises(PermissionDenied, match=r"经理|manager") as refused:
        retention.due_for_review(actor)
    assert "前台小陈" in str(refused.value)


def test_a_cancelled_appointment_is_not_told_to_who_may_not_write_the_card(opened):
    cid, _number = opened.cards[COLLEAGUE, "secret"]
    appointment = booked(opened, cid)
    appointments.cancel(appointment, opened.people[COLLEAGUE])
    with pytest.raises(PermissionDenied):
        appointments.cancel(appointment, opened.people["sales"])


# --- the command line ---------------------------------------------------------------------

_runs = itertools.count(1)
CARD_COMMANDS = {path for path, gate in COMMANDS.items() if isinstance(gate, CardRule)}
# Commands whose card is changed (or merged away) by the run get a new card each time.
CHANGING = {("claim",), ("destroy",), ("transfer",), ("merge",)}
NOT_RUN = {
    ("watch",): "runs until stopped; its rows come from changes.visible_to (tests/commands/"
                "test_watch.py runs it in a process)",
    ("db", "init"): "acts as the database's owner, with no staff login",
    ("db", "upgrade"): "acts as the database's owner, with no staff login",
    ("recover",): "the recovery key stands in for a login (tests/commands/"
                  "test_encrypted_archive_cli.py)",
}


def command_line(path: tuple[str, ...], office: Office, role: str,
                 card: tuple[int, str] | None = None) -> list[str]:
    """A line that runs ``path`` for real, as ``role``, on ``card`` (id, number) when it takes
    one: files in the office's folder, named once per run; complaints, appointments and merges
    made for it."""
    n, folder = next(_runs), office.folder
    out = str(folder / f"out{n}")
    first = Customer.select(Customer.archive_no).order_by(Customer.id).scalar()
    cid, number = card or (0, "")
    made: dict[tuple[str, ...], Callable[[], list[str]]] = {
        ("appointment", "cancel"): lambda: [str(booked(office, cid))],
        ("complaints", "step"): lambda: [str(complained(office, cid)), "--action", "已回电"],
        ("complaints", "close"): lambda: [str(complained(office, cid)), "--result", "已道歉"],
        ("complaints", "print"): lambda: [str(complained(office, cid)), "-o", out + ".pdf"],
        ("complaints", "assign"): lambda: [
            str(complained(office, office.cards[COLLEAGUE, NORMAL][0])), "--to", "李同事"],
        ("merge",): lambda: [Customer.get_by_id(office.twin(cid)).archive_no, number],
        ("merge-undo",): lambda: [str(merged(office))],
    }
    if path in made:
        return [*path, *made[path]()]
    lines = {
        ("appointment", "add"): [number, "--at", SOON.isoformat(sep=" "), "--purpose", "看车"],
        ("appointments",): [], ("value",): ["--json"],
        ("access", "request"): [first, "--purpose", "核对", "--reason", "客户来电"],
        ("access", "approve"): ["99999", "--until", dt.date.today().isoformat()],
        ("access", "refuse"): ["99999"], ("access", "list"): [],
        ("export-approval", "approve"): ["99999"], ("export-approval", "refuse"): ["99999"],
        ("export-approval", "list"): [], ("print", "loans"): ["-o", out + ".pdf"],
        ("complaints", "add"): [number, "--content", "态度差", "--category", "service"],
        ("complaints", "list"): [first, "--json"], ("complaints", "overdue"): ["--json"],
        ("deal",): [number],
        ("duplicates",): ["--json"], ("merges",): ["--json"],
        ("encrypt",): [], ("recovery-key",): [],
        ("staff", "first-admin"): ["新管理员", "--username", f"admin{n}"],
        ("staff", "password"): [role],
        ("not-same",): [office.cards["twin", "sales"][1], office.cards["twin", COLLEAGUE][1]],
        ("report",): ["visitors"], ("stats",): ["conversion", "--json"],
        ("summaries", "check"): [], ("summaries", "rebuild"): [],
        ("leak",): ["--what", "名单外泄", "--noticed", "客户告知"],
        ("loan", "add"): [first, "--to", "sales", "--purpose", "复印"],
        ("loan", "return"): ["99999"], ("loan", "cancel"): ["99999"], ("loans",): ["--json"],
        ("signoff", "request"): [number], ("signoff", "sign"): [first], ("signoff", "list"): [],
        ("audit", "list"): ["--limit", "5"], ("audit", "verify"): [],
        ("backup",): ["-o", str(folder / "not-a-backup.txt")], ("check",): [],
        ("claim",): [number], ("customers",): ["--json"], ("demo",): ["--customers", "1"],
        ("destroy",): [number, "--reason", "客户要求"], ("due",): ["--today"],
        ("export",): ["customers", out + ".xlsx"], ("history",): ["13900000001"],
        ("import",): [str(folder / "missing.xlsx")], ("import-undo",): ["99999"],
        ("import-sales",): [str(folder / "missing.xlsx")],
        ("card-template", "apply"): ["showroom"], ("card-template", "list"): [],
        ("fields", "list"): ["--json"], ("fields", "remove"): ["no_such_field"],
        ("levels",): [], ("overdue",): [], ("pool",): [],
        ("print", "card"): [number, "-o", out + ".pdf"],
        ("print", "log"): [number, "-o", out + ".pdf"],
        ("print", "overdue"): ["-o", out + ".pdf"], ("print", "roster"): ["-o", out + ".pdf"],
        ("print", "visits"): ["-o", out + ".pdf"],
        ("register",): ["--name", "来访者", "--phone", f"137{n:08d}"],
        ("restore",): [str(folder / "missing.sqlite3")], ("review",): [],
        ("staff", "add"): [f"新人{n}", "--username", f"new{n}"], ("staff", "list"): [],
        ("template",): [out + ".xlsx"],
        ("transfer",): [number, "--to", "李同事", "--reason", "调离"],
        ("visit", "add"): ["--name", "来访者", "--phone", f"136{n:08d}"], ("visits",): [],
    }
    return [*path, *lines[path]]


def run_as(office: Office, role: str, line: list[str], monkeypatch) -> tuple[int, bool]:
    """Run ``line`` as ``role``; (exit code, whether a permission was refused)."""
    refused: list[str] = []
    original = PermissionDenied.__init__

    def spy(self, *args, **kwargs):
        refused.append(str(args[0]) if args else "")
        original(self, *args, **kwargs)

    monkeypatch.setattr(PermissionDenied, "__init__", spy)
    try:
        code = main([*location_options(office.archive), "--user", role, *line])
    finally:
        monkeypatch.setattr(PermissionDenied, "__init__", original)
        office.reopen()
    return code, bool(refused)


RUN = [p for p in SUBCOMMANDS if p not in NOT_RUN and p in COMMANDS]
# A card command runs on each mark, own and a colleague's; named readers (in force and lapsed)
# on 绝密 cards, where a grant is the only way in: the services above cross every mark with them.
CARD_CASES = [*itertools.product(MARKS, (OWN, OTHER)), (SECRET, NAMED), (SECRET, LAPSED)]
CASES = [(path, role, mark, relation) for path in RUN for role in ROLES
         for mark, relation in (CARD_CASES if path in CARD_COMMANDS else [(None, "")])]


@pytest.fixture
def command_office(opened, monkeypatch) -> Office:
    command_line_ready(monkeypatch)
    monkeypatch.chdir(opened.folder)
    (opened.folder / "not-a-backup.txt").write_text("mine")
    return opened


def test_matrix_covers_every_runnable_command():
    assert {case[0] for case in CASES} | set(NOT_RUN) == set(SUBCOMMANDS)
    assert sorted(NOT_RUN) == [("db", "init"), ("db", "upgrade"), ("recover",), ("watch",)]


@pytest.mark.parametrize("path", RUN, ids=" ".join)
def test_commands_follow_the_table(command_office, path, monkeypatch, capsys):
    """Every role runs the command (against each mark and relation, for a card command); the
    outcome matches the table: done or stopped by the use case's own rules when allowed,
    refused for permission (exit 1) when not."""
    office, gate = command_office, COMMANDS[path]
    if path == ("encrypt",):  # past the gate, a plain archive would really be converted
        monkeypatch.setattr(encryption, "may_be_encrypted", lambda: False)
    wrong = []
    for _path, role, mark, relation in (c for c in CASES if c[0] == path):
        card = None
        if mark is not None:
            card = (office.fresh_card(role, mark, relation) if path in CHANGING
                    else office.card(role, mark, relation))
        code, refused = run_as(office, role, command_line(path, office, role, card),
                               monkeypatch)
        err = capsys.readouterr().err
        assert code in (0, 1), f"{' '.join(path)} as {role}: {err}"
        allowed = not (code == 1 and refused)
        if allowed != expected(gate, role, mark, relation or OTHER):
            wrong.append(f"{role} {relation} {mark or ''}: "
                         f"{'allowed' if allowed else 'refused'} ({err.strip()[:80]})")
    assert wrong == []


def test_demo_goes_only_into_an_empty_archive(command_office, monkeypatch, capsys):
    code, refused = run_as(command_office, "admin", ["--lang", "en", "demo", "--customers", "1"],
                           monkeypatch)
    err = capsys.readouterr().err
    assert (code, refused) == (1, False)
    assert "already holds" in err and "empty archive" in err

"""The office the permission matrix runs in: one account per role, a colleague, and cards of
each mark (普通/机密/绝密) in each relation to the actor: their own, a colleague's, a colleague's
they were named to read with the grant in force (through today), and one whose grant lapsed
(yesterday). The tables' answers for a role, a mark and a relation, and the gate runner.
"""
from __future__ import annotations

import argparse
import datetime as dt
import functools
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import pytest

import crmdesk.cli
from crmdesk.errors import CrmError
from crmdesk.models import CardReader, Customer
from crmdesk.models.db import close_database, database, open_database
from crmdesk.services import accounts, customers
from crmdesk.services.accounts import PermissionDenied
from crmdesk.services.context import Actor
from crmdesk.services.permissions import (
    ANYONE,
    MARKS,
    NO_LOGIN,
    NORMAL,
    ROLES,
    CardRule,
    Gate,
)
from crmdesk.services.visibility import Duty
from tests.backends import postgresql_server_url

T = TypeVar("T")
PASSWORD = "a long password"
COLLEAGUE = "colleague"  # a salesperson who owns the "other's" cards
# How the actor stands to a card: owns it, a colleague owns it, a colleague owns it and the
# actor is named its reader (grant in force through today), or was (grant lapsed yesterday).
OWN, OTHER, NAMED, LAPSED = "own", "other", "named", "lapsed"
RELATIONS = (OWN, OTHER, NAMED, LAPSED)
NAMES = {"frontdesk": "前台小陈", "sales": "王销售", "manager": "赵经理", "admin": "系统管理员",
         COLLEAGUE: "李同事"}


@dataclass
class Office:
    archive: Path | str
    folder: Path
    people: dict[str, Actor]
    # (owner or relation, mark) -> (id, archive number); ("twin", owner) an ordinary card to
    # merge with.
    cards: dict[tuple[str, str], tuple[int, str]] = field(default_factory=dict)

    def reopen(self) -> None:
        """Open the archive again (the command line closes it after each run)."""
        if isinstance(self.archive, Path):
            open_database(self.archive)
        else:
            open_database(url=self.archive)

    def card(self, role: str, mark: str, relation: str) -> tuple[int, str]:
        """The card standing in ``relation`` to ``role``, marked ``mark``."""
        key = role if relation == OWN else COLLEAGUE if relation == OTHER else relation
        return self.cards[key, mark]

    def fresh_card(self, role: str, mark: str, relation: str) -> tuple[int, str]:
        """A new card standing in ``relation`` to ``role`` (for a run that changes it)."""
        return new_card(self, role if relation == OWN else COLLEAGUE, mark, relation)

    def twin(self, customer_id: int) -> int:
        """An ordinary card of the same owner as ``customer_id``, to merge it with."""
        owner = Customer.get_by_id(customer_id).owner_id
        who = next(k for k, a in self.people.items() if a.staff_id == owner and k != "boss")
        return self.cards["twin", who][0]


_phones = (f"139{n:08d}" for n in itertools.count(1))


def grant(office: Office, customer_id: int, relation: str) -> None:
    """Name every role's account as the card's reader: in force through today, or lapsed."""
    until = dt.date.today() if relation == NAMED else dt.date.today() - dt.timedelta(days=1)
    for role in ROLES:
        CardReader.create(customer=customer_id, staff=office.people[role].staff_id, until=until)


def new_card(office: Office, owner: str, mark: str, relation: str = OTHER,
             label: str = "card") -> tuple[int, str]:
    """A card owned by ``owner`` with the mark ``mark``, created by the office's manager; for
    ``NAMED``/``LAPSED``, every role named its reader with that grant. Names differ by owner,
    mark and ``label`` (the relation for named readers), none a part of another."""
    boss = office.people["boss"]
    card = customers.new_card(boss)
    label = relation if relation in (NAMED, LAPSED) else label
    card.values.update(name=f"{owner}·{mark}·{label}", mobile=next(_phones),
                       confidentiality=mark, owner=office.people[owner].staff_id)
    saved = customers.save_card(card, boss, accept_incomplete=True)
    if relation in (NAMED, LAPSED):
        grant(office, saved.customer_id, relation)
    return saved.customer_id, saved.archive_no


def _quick_hashing(patch: pytest.MonkeyPatch) -> None:
    from argon2 import PasswordHasher

    patch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=256,
                                                      parallelism=1))


def build_office(request, tmp_path_factory, postgresql_server) -> Iterator[Office]:
    """The office for a module-scoped fixture (``params=["sqlite", "postgresql"]``): accounts
    for each role (one role each), a colleague, and the cards; the manager who set it up is
    ``boss`` (administrator and manager)."""
    if request.param == "postgresql" and not postgresql_server_url():
        pytest.skip("needs a PostgreSQL test server (CRMDESK_TEST_DATABASE_URL)")
    folder = tmp_path_factory.mktemp("matrix")
    with pytest.MonkeyPatch.context() as patch:
        _quick_hashing(patch)
        if request.param == "sqlite":
            archive: Path | str = folder / "archive.sqlite3"
            open_database(archive)
        else:
            archive = postgresql_server.new_archive()
            open_database(url=archive)
        boss = accounts.create_first_admin("总管", "boss", PASSWORD)
        people = {"boss": boss}
        for role in (*ROLES, COLLEAGUE):
            roles = ("sales",) if role == COLLEAGUE else (role,)
            accounts.add_account(boss, NAMES[role], role, roles, PASSWORD)
            people[role] = accounts.log_in(role, PASSWORD)
        office = Office(archive, folder, people)
        for owner, mark in itertools.product((*ROLES, COLLEAGUE), MARKS):
            office.cards[owner, mark] = new_card(office, owner, mark)
        for relation, mark in itertools.product((NAMED, LAPSED), MARKS):
            office.cards[relation, mark] = new_card(office, COLLEAGUE, mark, relation)
        for owner in (*ROLES, COLLEAGUE):
            office.cards["twin", owner] = new_card(office, owner, NORMAL, label="twin")
        close_database()
    yield office
    if request.param == "postgresql":
        postgresql_server.drop(archive)


def prepared_office(request, tmp_path_factory, postgresql_server,
                    prepare: Callable[[Office], T]) -> Iterator[T]:
    """``build_office``, then what ``prepare`` makes of it with the archive open."""
    for office in build_office(request, tmp_path_factory, postgresql_server):
        office.reopen()
        made = prepare(office)
        close_database()
        yield made


def expected(gate: Gate, role: str, mark: str | None = None, relation: str = OTHER) -> bool:
    """What the table says ``role`` may do (a card's mark and relation for card rules)."""
    if gate == ANYONE:
        return True
    if gate == NO_LOGIN:  # set-up steps: no member of staff gets past them
        return False
    if isinstance(gate, Duty):
        return role in gate.roles
    assert isinstance(gate, CardRule), gate
    return gate.allows((role,), mark or NORMAL, relation == OWN, relation == NAMED)


def passes_gate(call: Callable[[], object], undo: bool = True) -> bool:
    """Run ``call`` (undoing what it wrote): False when refused for permission, True when it
    got past the gate (done, or stopped by the rules of the use case itself)."""
    try:
        if not undo:
            call()
            return True
        with database.atomic() as transaction:
            try:
                call()
            finally:
                transaction.rollback()
    except PermissionDenied:
        return False
    except CrmError:
        return True
    return True


_build_parser = crmdesk.cli._parser


@functools.cache
def _one_parser() -> argparse.ArgumentParser:
    return _build_parser()


def command_line_ready(monkeypatch: pytest.MonkeyPatch) -> None:
    """Commands run as the office's people (password in the environment, nothing else of the
    shell's), with the parser built once: building it took most of each run's time."""
    for name in ("CRMDESK_USER", "CRMDESK_DATABASE_URL", "CRMDESK_DATA_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CRMDESK_PASSWORD", PASSWORD)
    monkeypatch.setenv("CRMDESK_NEW_PASSWORD", PASSWORD)
    monkeypatch.setattr(crmdesk.cli, "_parser", _one_parser)

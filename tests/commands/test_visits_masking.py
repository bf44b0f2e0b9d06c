"""The visitor register masks the phone of every archive the reader may not read, as the
customer list masks its mobile: in ``crmdesk visits`` (text and JSON), the printed register
and the exported one."""
from __future__ import annotations

import datetime as dt
import itertools
import json

import pytest

from crmdesk.cli import main
from crmdesk.models import Visit
from crmdesk.models.phones import format_phone, mask_mobile
from crmdesk.services import accounts, customers, printouts
from crmdesk.services.exports.lists import visit_table
from crmdesk.services.visibility import may_read
from tests.backends import location_options

PASSWORD = "a long password"
MARKS = ("normal", "confidential", "secret")
OWNERS = ("sales", "manager")
READERS = ("frontdesk", "sales", "other", "manager")
TODAY = dt.date.today()


@pytest.fixture
def register(archive, monkeypatch):
    """Six archives (each mark, owned by the salesperson and by the manager) and a visit to
    each today; returns the archive, the logged-in people and {archive id: (owner, mark,
    mobile)}."""
    for name in ("CRMDESK_USER", "CRMDESK_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CRMDESK_PASSWORD", PASSWORD)
    admin = accounts.create_first_admin("管理员", "admin", PASSWORD)
    for username, roles in (("frontdesk", ("frontdesk",)), ("sales", ("sales",)),
                            ("other", ("sales",)), ("manager", ("manager", "sales"))):
        accounts.add_account(admin, username, username, roles, PASSWORD)
    people = {u: accounts.log_in(u, PASSWORD) for u in READERS}
    archives = {}
    for n, (owner, mark) in enumerate(itertools.product(OWNERS, MARKS), start=1):
        mobile = f"1380000{n:04d}"
        card = customers.new_card(people[owner])
        card.values.update(name=f"{owner}-{mark}", mobile=mobile, confidentiality=mark)
        cid = customers.save_card(card, people[owner], accept_incomplete=True).customer_id
        Visit.create(arrived_at=dt.datetime.combine(TODAY, dt.time(9, n)), channel="visit",
                     name=f"{owner}-{mark}", phone=mobile, customer=cid, returning=True,
                     receptionist=people["frontdesk"].staff_id)
        archives[cid] = (owner, mark, mobile)
    Visit.create(arrived_at=dt.datetime.combine(TODAY, dt.time(10, 0)), channel="call",
                 name="路人", phone="13900000000")
    return archive, people, archives


def _expected(reader: str, owner: str, mark: str) -> bool:
    """Whether ``reader`` sees the full phone of ``owner``'s archive marked ``mark``."""
    if reader == owner:
        return True
    return reader == "manager" and mark != "secret"


@pytest.mark.parametrize("reader", READERS)
def test_visits_json_masks_the_phones_of_archives_the_reader_may_not_read(register, capsys,
                                                                         reader):
    archive, people, archives = register
    code = main([*location_options(archive), "--user", reader, "visits", "--json"])
    assert code == 0
    rows = {r["customer_id"]: r["phone"] for r in json.loads(capsys.readouterr().out)}
    assert rows.pop(None) == format_phone("13900000000")  # no archive: nothing to hide
    for cid, (owner, mark, mobile) in archives.items():
        full = _expected(reader, owner, mark)
        assert full == may_read(people[reader], cid, people[owner].staff_id, mark)
        assert rows[cid] == (format_phone(mobile) if full else mask_mobile(mobile)), (owner, mark)


@pytest.mark.parametrize("reader", READERS)
def test_visits_text_never_shows_a_hidden_mobile(register, capsys, reader):
    archive, _people, archives = register
    code = main([*location_options(archive), "--user", reader, "visits"])
    assert code == 0
    out = capsys.readouterr().out
    for owner, mark, mobile in archives.values():
        shown = format_phone(mobile) in out
        assert shown == _expected(reader, owner, mark), (owner, mark)
        assert (mask_mobile(mobile) in out) != shown


@pytest.mark.parametrize("reader", ["frontdesk", "manager"])
def test_printed_and_exported_registers_mask_alike(register, reader):
    _archive, people, archives = register
    printed = {line.name: line.phone for line in
               printouts.visit_rows(TODAY, TODAY, people[reader]).lines}
    exported = {}
    if reader == "manager":  # only managers export
        table = visit_table(people[reader], TODAY, TODAY)
        exported = {row[2]: row[3] for row in table.rows}
    for owner, mark, mobile in archives.values():
        want = format_phone(mobile) if _expected(reader, owner, mark) else mask_mobile(mobile)
        assert printed[f"{owner}-{mark}"] == want
        if exported:
            assert exported[f"{owner}-{mark}"] == want


def test_a_register_over_centuries_is_read_without_overflow(register, capsys):
    archive, people, _archives = register
    code = main([*location_options(archive), "--user", "manager", "visits", "--from",
                 "0001-01-01", "--to", "9999-12-31", "--json"])
    assert code == 0
    assert len(json.loads(capsys.readouterr().out)) == 7
    table = visit_table(people["manager"], dt.date(1, 1, 1), dt.date(9999, 12, 31))
    assert len(list(table.rows)) == 7

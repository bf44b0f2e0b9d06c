"""The permission matrix: every role against every action and confidentiality mark."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from crmdesk.cli import main
from crmdesk.services import accounts, contacts, customers, readers, retention, search
from crmdesk.services.accounts import PermissionDenied
from crmdesk.services.audit import AuditFilter, entries
from tests.backends import location_options
from tests.export_approvals import approved

PASSWORD = "a long password"
MOBILES = {"normal": "13800000001", "confidential": "13800000002", "secret": "13800000003"}


@pytest.fixture
def office(archive):
    """Accounts for every role and three customers of the first salesperson, one per mark."""
    admin = accounts.create_first_admin("管理员", "admin", PASSWORD)
    people = {"admin_only": None}
    for username, roles in (("frontdesk", ("frontdesk",)), ("owner", ("sales",)),
                            ("other", ("sales",)), ("manager", ("manager",)),
                            ("reader", ("sales",)), ("admin_only", ("admin",))):
        accounts.add_account(admin, username, username, roles, PASSWORD)
        people[username] = accounts.log_in(username, PASSWORD)
    owner = people["owner"]
    ids = {}
    for mark, mobile in MOBILES.items():
        card = customers.new_card(owner)
        card.values.update(name=f"客户{mark}", mobile=mobile, confidentiality=mark)
        ids[mark] = customers.save_card(card, owner, accept_incomplete=True).customer_id
    readers.set_readers(people["manager"], ids["secret"], [people["reader"].staff_id])
    return people, ids


READ = {  # who may open the full card, per mark
    "owner": {"normal", "confidential", "secret"},
    "other": set(),
    "frontdesk": set(),
    "manager": {"normal", "confidential"},
    "reader": {"secret"},
    "admin_only": set(),
}
VIEW = {who: marks | ({"normal"} if who == "frontdesk" else set())  # open read-only, print
        for who, marks in READ.items()}
FINDS = {  # which archives appear in searches at all
    "owner": {"normal", "confidential", "secret"},
    "reader": {"normal", "confidential", "secret"},
    "other": {"normal", "confidential"},
    "frontdesk": {"normal", "confidential"},
    "manager": {"normal", "confidential"},
    "admin_only": {"normal", "confidential"},
}


@pytest.mark.parametrize("who", sorted(READ))
@pytest.mark.parametrize("mark", sorted(MOBILES))
def test_opening_editing_and_logging_follow_the_rules(office, who, mark):
    people, ids = office
    actor, customer_id = people[who], ids[mark]
    allowed = mark in READ[who]
    if allowed:
        card = customers.open_card(customer_id, actor)
        card.values["notes"] = "看过"
        customers.save_card(card, actor, accept_incomplete=True)
        contacts.log_contact(customer_id, contacts.Contact(dt.datetime.now(), "phone", "回访"),
                             actor)
        assert not card.read_only
        return
    if mark in VIEW[who]:
        assert customers.open_card(customer_id, actor).read_only
    else:
        with pytest.raises(PermissionDenied):
            customers.open_card(customer_id, actor)
    stolen = customers.get_card(customer_id)
    with pytest.raises(PermissionDenied):
        customers.save_card(stolen, actor, accept_incomplete=True)
    with pytest.raises(PermissionDenied):
        contacts.log_contact(customer_id, contacts.Contact(dt.datetime.now(), "phone", "x"),
                             actor)


@pytest.mark.parametrize("who", sorted(FINDS))
def test_search_hides_top_secret_and_masks_what_may_not_be_read(office, who):
    people, ids = office
    actor = people[who]
    found = search.find_ids(search.ListQuery(), actor)
    assert {mark for mark, cid in ids.items() if cid in found} == FINDS[who]
    by_phone = search.find_ids(search.ListQuery(text=MOBILES["secret"]), actor)
    assert (ids["secret"] in by_phone) == ("secret" in FINDS[who])
    rows = search.list_rows(found, actor)
    for mark, cid in ids.items():
        if cid not in rows:
            continue
        text = "".join(rows[cid])
        full = MOBILES[mark]
        if mark in READ[who]:
            assert full[:3] + " " + full[3:7] in text
        else:
            assert full not in text and full[3:7] + " " not in text
            assert "****" in rows[cid][2]


@pytest.mark.parametrize(("who", "allowed"), [("frontdesk", True), ("owner", True),
                                               ("manager", True), ("admin_only", False)])
def test_creating_an_archive(office, who, allowed):
    people, _ids = office
    card = customers.new_card(people[who])
    card.values.update(name="新客户", owner=people["owner"].staff_id)
    if allowed:
        assert customers.save_card(card, people[who], accept_incomplete=True).created
    else:
        with pytest.raises(PermissionDenied):
            customers.save_card(card, people[who], accept_incomplete=True)


@pytest.mark.parametrize("who", sorted(READ))
def test_only_managers_destroy_and_read_the_audit(office, who):
    people, ids = office
    actor = people[who]
    if who == "manager":
        assert entries(actor, AuditFilter())
        retention.destroy(actor, ids["normal"], "客户要求")
        return
    with pytest.raises(PermissionDenied):
        entries(actor, AuditFilter())
    with pytest.raises(PermissionDenied):
        retention.destroy(actor, ids["normal"], "客户要求")


@pytest.mark.parametrize("who", sorted(READ))
def test_only_administrators_change_roles(office, who):
    people, _ids = office
    target = people["other"].staff_id
    if who == "admin_only":
        accounts.set_roles(people[who], target, ("sales", "manager"))
    else:
        with pytest.raises(PermissionDenied):
            accounts.set_roles(people[who], target, ("manager",))


@pytest.mark.parametrize("who", ["frontdesk", "other", "owner", "manager"])
def test_command_line_applies_the_same_rules(office, archive, who, capsys, monkeypatch):
    _people, _ids = office
    monkeypatch.setenv("CRMDESK_PASSWORD", PASSWORD)
    code = main([*location_options(archive), "--user", who, "customers", "--json"])
    assert code == 0
    listed = json.loads(capsys.readouterr().out)
    names = {row["name"] for row in listed}
    assert names == {f"客户{mark}" for mark in FINDS[who]}
    for row in listed:
        mark = row["name"].removeprefix("客户")
        assert (MOBILES[mark] in row["mobile"].replace(" ", "")) == (mark in READ[who])


def test_command_line_refuses_without_a_login(office, archive, capsys, monkeypatch):
    monkeypatch.delenv("CRMDESK_USER", raising=False)
    assert main([*location_options(archive), "customers", "--json"]) == 1
    monkeypatch.setenv("CRMDESK_PASSWORD", "wrong password")
    assert main([*location_options(archive), "--user", "owner", "customers"]) == 1
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("who", sorted(FINDS))
def test_duplicate_check_masks_and_hides_but_says_an_archive_exists(office, who):
    from crmdesk.services.duplicates import find_duplicates, restricted_hits

    people, ids = office
    actor = people[who]
    for mark, mobile in MOBILES.items():
        found = find_duplicates(mobile, actor=actor)
        if mark not in FINDS[who]:
            assert found == []
            assert restricted_hits(mobile, actor) == 1
            continue
        assert [m.customer_id for m in found] == [ids[mark]]
        shown = found[0].phone.replace(" ", "")
        assert (shown == mobile) == (mark in READ[who])
        assert restricted_hits(mobile, actor) == 0


def test_a_hidden_phone_visit_is_recorded_for_the_manager_without_naming_the_archive(office):
    from crmdesk.models import Customer, Notice, Staff
    from crmdesk.services.frontdesk import VisitDraft, register_visit
    from crmdesk.services.visit_register import visits_between

    people, ids = office
    desk = people["frontdesk"]
    before = Customer.select().count()
    result = register_visit(VisitDraft(name="来访者", phone=MOBILES["secret"]), desk)
    assert Customer.select().count() == before  # no second archive
    assert (result.customer_id, result.archive_no, result.withheld) == (ids["secret"], "", True)
    assert "manager" in Staff.get_by_id(result.salesperson_id).roles
    recipients = {n.recipient_id for n in Notice.select().where(Notice.visit == result.visit_id)}
    assert recipients == {result.salesperson_id, people["owner"].staff_id}
    today = dt.date.today()
    [line] = visits_between(today, today, desk)
    assert line.archive_no == "" and "****" in line.phone
    [line] = visits_between(today, today, people["owner"])
    assert line.archive_no and line.phone.replace(" ", "") == MOBILES["secret"]


@pytest.mark.parametrize("mark", ["confidential", "secret"])
def test_refusing_a_card_names_its_mark(office, mark):
    people, ids = office
    label = {"confidential": "机密", "secret": "绝密"}[mark]
    with pytest.raises(PermissionDenied, match=label):
        customers.open_card(ids[mark], people["other"])


@pytest.mark.parametrize("who", sorted(READ))
def test_follow_up_lists_show_only_what_may_be_read(office, who):
    from crmdesk.models import Customer
    from crmdesk.services import followup

    people, ids = office
    Customer.update(next_follow_up=dt.date.today() - dt.timedelta(days=3)).execute()
    listed = {row.customer_id for row in followup.overdue(actor=people[who], limit=None)}
    readable = {ids[mark] for mark in READ[who]}
    if who in ("owner", "manager"):  # their own customers; a manager everyone's readable ones
        assert listed == readable
    else:  # salespeople see only the customers they own (the reader owns none)
        assert listed == set()


@pytest.mark.parametrize("who", sorted(READ))
def test_export_is_for_managers_and_leaves_out_what_they_may_not_read(office, who, tmp_path):
    from openpyxl import load_workbook

    from crmdesk.services.exports.export import ExportRequest, export

    people, _ids = office
    target = tmp_path / "out.xlsx"
    if who != "manager":
        with pytest.raises(PermissionDenied):
            export(target, ExportRequest(), people[who])
        assert not target.exists()
        return
    export(target, ExportRequest(), people[who], approval_id=approved(people[who]))
    text = " ".join(str(c) for row in load_workbook(target).active.iter_rows(values_only=True)
                    for c in row)
    assert MOBILES["normal"] in text and MOBILES["confidential"] in text
    assert MOBILES["secret"] not in text and "客户secret" not in text


@pytest.mark.parametrize("who", sorted(READ))
@pytest.mark.parametrize("mark", sorted(MOBILES))
def test_printing_a_card_follows_the_viewing_rule(office, who, mark):
    from crmdesk.services import documents

    people, ids = office
    if mark in VIEW[who]:
        assert documents.cards_pdf([ids[mark]], people[who]).startswith(b"%PDF")
    else:
        with pytest.raises(PermissionDenied):
            documents.cards_pdf([ids[mark]], people[who])


def test_front_desk_roster_shows_masked_mobiles_only(office):
    from crmdesk.services import printouts
    from crmdesk.services.search import ListQuery

    people, _ids = office
    _columns, rows = printouts.roster_rows(ListQuery(), people["frontdesk"])
    text = " ".join(" ".join(row) for row in rows)
    for mobile in MOBILES.values():
        assert mobile not in text.replace(" ", "")

"""Office fields in the customer list: shown as columns a manager chooses, carried by the
list's export and roster, and found by a filter on their value that respects who may read."""
from __future__ import annotations

import pytest

from crmdesk.errors import ValidationError
from crmdesk.models import AuditEntry
from crmdesk.services import customer_list, customers, office_fields, printouts
from crmdesk.services.accounts import PermissionDenied
from crmdesk.services.audit_text import ACTION_TITLES
from crmdesk.services.exports.customers import customer_table
from crmdesk.services.list_filters import OfficeValueFilter
from crmdesk.services.search import ListQuery, find_ids
from tests.office_field_samples import CLUB, VIP_SINCE, WORK_YEARS, add_fields


def _saved(actor, complete_card, office, **values) -> int:
    card = complete_card(actor, **values)
    card.office = office
    return customers.save_card(card, actor, accept_incomplete=True).customer_id


def _by_office(key: str, value: str) -> ListQuery:
    return ListQuery(office_value=OfficeValueFilter(key, value))


@pytest.fixture
def club_members(manager, salesperson, complete_card) -> dict[str, int]:
    """张三 (golf) and 李四 (tennis) of the salesperson, 王五 (golf) of the manager."""
    add_fields(manager, WORK_YEARS, CLUB, VIP_SINCE)
    return {
        "张三": _saved(salesperson, complete_card, {"club": "golf", "work_years": "12"}),
        "李四": _saved(salesperson, complete_card, {"club": "网球"}, name="李四"),
        "王五": _saved(manager, complete_card, {"club": "Golf"}, name="王五"),
    }


def test_a_field_added_through_the_service_becomes_a_list_column(manager, club_members):
    assert [c.key for c in customer_list.list_columns()][-1] == "next_follow_up"
    customer_list.set_listed_fields(["club", "work_years"], manager)
    columns = customer_list.list_columns()
    assert [c.key for c in columns][-2:] == ["office.club", "office.work_years"]
    assert columns.titles()[-2:] == ("俱乐部", "工作年限")
    rows = customer_list.rows([club_members["张三"]], manager)
    shown = dict(zip(columns.keys, rows[club_members["张三"]], strict=True))
    assert (shown["name"], shown["office.club"], shown["office.work_years"]) == (
        "张三", "高尔夫", "12")
    entry = AuditEntry.select().order_by(AuditEntry.seq.desc()).get()
    assert entry.action == "list_columns" and entry.action in ACTION_TITLES


def test_only_managers_choose_the_columns_and_only_shown_fields(manager, salesperson,
                                                                club_members):
    with pytest.raises(PermissionDenied):
        customer_list.set_listed_fields(["club"], salesperson)
    with pytest.raises(ValidationError) as refused:
        customer_list.set_listed_fields(["club", "shoe_size"], manager)
    assert "shoe_size" in str(refused.value)
    customer_list.set_listed_fields(["club"], manager)
    club = next(f for f in office_fields.fields_of_office() if f.key == "club")
    office_fields.set_hidden(club.id, True, manager)
    assert [c.key for c in customer_list.list_columns()][-1] == "next_follow_up"


def test_a_card_the_reader_may_not_read_shows_its_office_fields_empty(manager, salesperson,
                                                                     club_members):
    customer_list.set_listed_fields(["club"], manager)
    rows = customer_list.rows(list(club_members.values()), salesperson)
    assert rows[club_members["张三"]][-1] == "高尔夫"
    assert rows[club_members["王五"]][-1] == ""


def test_the_list_filters_by_an_office_fields_value(manager, club_members):
    golf = find_ids(_by_office("club", "高尔夫"), manager)
    assert sorted(golf) == sorted([club_members["张三"], club_members["王五"]])
    assert find_ids(_by_office("club", "tennis"), manager) == [club_members["李四"]]
    assert find_ids(_by_office("work_years", "12.0"), manager) == [club_members["张三"]]
    assert find_ids(ListQuery(text="李", office_value=OfficeValueFilter("club", "golf")),
                    manager) == []


def test_the_filter_keeps_only_cards_the_searcher_may_read(salesperson, club_members):
    golf = find_ids(_by_office("club", "golf"), salesperson)
    assert golf == [club_members["张三"]]  # 王五 is the manager's: his club is not told


def test_a_bad_filter_names_the_field_and_why(manager, club_members):
    with pytest.raises(ValidationError) as refused:
        find_ids(_by_office("club", "篮球"), manager)
    assert refused.value.problems[0].label == "俱乐部"
    assert "高尔夫" in str(refused.value)
    with pytest.raises(ValidationError) as refused:
        find_ids(_by_office("shoe_size", "42"), manager)
    assert "shoe_size" in str(refused.value)


def test_the_export_and_the_roster_of_a_filtered_list_carry_the_office_column(
        manager, club_members):
    customer_list.set_listed_fields(["club"], manager)
    query = _by_office("club", "golf")
    table = customer_table(manager, query)
    keys = [c.key for c in table.columns]
    rows = [dict(zip(keys, r, strict=True)) for r in table.rows]
    assert sorted((r["name"], r["office.club"]) for r in rows) == [
        ("张三", "高尔夫"), ("王五", "高尔夫")]
    columns, printed = printouts.roster_rows(query, manager)
    assert columns[-1] == "office.club"
    assert sorted(row[-1] for row in printed) == ["高尔夫", "高尔夫"]


def test_a_managers_filter_leaves_out_the_top_secret_cards_of_others(manager, salesperson,
                                                                    complete_card, club_members):
    secret = _saved(salesperson, complete_card, {"club": "golf"}, name="赵六",
                    confidentiality="secret")
    found = find_ids(_by_office("club", "golf"), manager)
    assert secret not in found and club_members["张三"] in found
    assert secret in find_ids(_by_office("club", "golf"), salesperson)


def test_a_filter_held_by_much_of_the_archive_shows_the_start_of_the_whole_list(
        manager, salesperson, monkeypatch):
    """With no text, the first screen of an office-value filter is walked in list order (as
    a common search is) and is exactly the start of the whole filtered list."""
    from crmdesk.models import Customer
    from crmdesk.models.office_fields import OfficeValue
    from crmdesk.services import search
    from crmdesk.services.demo import build_demo
    from crmdesk.services.search import SortKey, first_screen

    build_demo(60, seed=4)
    (club, *_rest) = add_fields(manager, CLUB, WORK_YEARS)
    for number, (cid,) in enumerate(Customer.select(Customer.id).order_by(Customer.id).tuples()):
        if number % 3:
            OfficeValue.create(customer=cid, field=club.id, value=club.kind.store("golf"))
    monkeypatch.setattr(search, "PROBE", 6)
    monkeypatch.setattr(search, "WINDOW", 20)
    for actor in (manager, salesperson):
        for sort in (SortKey.ARCHIVE_NO, SortKey.NAME, SortKey.LEVEL):
            for descending in (False, True):
                query = ListQuery(office_value=OfficeValueFilter("club", "golf"), sort=sort,
                                  descending=descending)
                whole = find_ids(query, actor)
                assert whole, (actor.name, sort)
                for limit in (1, 5, 30):
                    assert first_screen(query, actor, limit) == whole[:limit], (sort, limit)


def test_a_salespersons_filter_finds_their_own_and_named_cards_in_list_order(
        manager, salesperson):
    """A salesperson's filtered list is their own cards and those they are named on holding
    the value, in list order, whether the value is common (their own cards are walked) or rare
    (its holders are read): the first screen is the start of the whole list either way."""
    import datetime as dt

    from crmdesk.models import CardReader, Customer
    from crmdesk.models.office_fields import OfficeValue
    from crmdesk.services.demo import build_demo
    from crmdesk.services.search import SortKey, first_screen

    build_demo(60, seed=4)
    (club,) = add_fields(manager, CLUB)
    ids = [cid for (cid,) in Customer.select(Customer.id).order_by(Customer.id).tuples()]
    Customer.update(owner=salesperson.staff_id).where(Customer.id.in_(ids[::2])).execute()
    named = ids[1:12:2]  # others' cards the salesperson was named a reader of
    for cid in named:
        CardReader.create(customer=cid, staff=salesperson.staff_id)
    CardReader.create(customer=ids[13], staff=salesperson.staff_id,
                      until=dt.date.today() - dt.timedelta(days=1))  # lapsed: not read
    for number, cid in enumerate(ids):
        value = "golf" if number % 3 else "tennis" if number % 9 == 0 else None
        if value:
            OfficeValue.create(customer=cid, field=club.id, value=club.kind.store(value))
    held = {value: {cid for cid, v in OfficeValue.select(OfficeValue.customer, OfficeValue.value)
                    .tuples() if v == club.kind.store(value)} for value in ("golf", "tennis")}
    owned = set(Customer.select(Customer.id).where(Customer.owner == salesperson.staff_id)
                .tuples())
    granted = set(CardReader.select(CardReader.customer).where(
        (CardReader.staff == salesperson.staff_id) & CardReader.in_force()).tuples())
    readable = {cid for (cid,) in owned | granted}
    assert set(ids[::2]) | set(named) <= readable and ids[13] not in readable
    by_number = [cid for (cid,) in Customer.select(Customer.id)
                 .order_by(Customer.archive_no).tuples()]
    for value in ("golf", "tennis"):
        expected = [cid for cid in by_number if cid in readable and cid in held[value]]
        assert len(expected) >= 4, value
        for sort in (SortKey.ARCHIVE_NO, SortKey.NAME):
            for descending in (False, True):
                query = ListQuery(office_value=OfficeValueFilter("club", value), sort=sort,
                                  descending=descending)
                whole = find_ids(query, salesperson)
                assert sorted(whole) == sorted(expected), (value, sort)
                if sort is SortKey.ARCHIVE_NO:
                    assert whole == (expected[::-1] if descending else expected)
                for limit in (1, 3, 10, 40):
                    assert first_screen(query, salesperson, limit) == whole[:limit], (
                        value, sort, descending, limit)


def test_the_list_sorts_by_an_office_fields_value(manager, salesperson, complete_card):
    """Numbers sort as numbers, a choice by its place in the field's list, empty values last
    both ways; cards the reader may not read sort as empty, so the order tells nothing."""
    from crmdesk.models import Customer
    from crmdesk.services.search import first_screen

    add_fields(manager, WORK_YEARS, CLUB)
    own = {name: _saved(salesperson, complete_card, office, name=name) for name, office in (
        ("九年", {"work_years": "9", "club": "tennis"}),
        ("十二年", {"work_years": "12", "club": "golf"}),
        ("一年半", {"work_years": "1.5"}),
        ("没填", {}))}
    others = _saved(manager, complete_card, {"work_years": "3", "club": "golf"}, name="经理的")

    def listed(actor, key, descending=False):
        query = ListQuery(sort_field=key, descending=descending)
        whole = find_ids(query, actor)
        for limit in range(1, len(whole) + 2):
            assert first_screen(query, actor, limit) == whole[:limit], (key, limit)
        return whole

    by_years = listed(manager, "work_years")
    assert by_years[:4] == [own["一年半"], others, own["九年"], own["十二年"]]
    assert listed(manager, "work_years", descending=True)[:4] == [
        own["十二年"], own["九年"], others, own["一年半"]]
    assert by_years[-1] == own["没填"] and listed(manager, "work_years", True)[-1] == own["没填"]
    # 高尔夫 comes first in the club's list, then 网球.
    assert listed(manager, "club")[:3] == [own["十二年"], others, own["九年"]]
    # The manager's card holds 3 years, which the salesperson may not read: it sorts last.
    assert listed(salesperson, "work_years")[:3] == [own["一年半"], own["九年"], own["十二年"]]
    assert set(listed(salesperson, "work_years")[3:]) == {own["没填"], others}
    assert listed(salesperson, "club")[:2] == [own["十二年"], own["九年"]]
    # A card nobody owns holds its value for the manager only; the first screens above are
    # read choice by choice, and must still hold every card.
    Customer.update(owner=None).where(Customer.id == others).execute()
    for actor in (manager, salesperson):
        for descending in (False, True):
            assert set(listed(actor, "club", descending)) == {*own.values(), others}
    with pytest.raises(ValidationError) as refused:
        find_ids(ListQuery(sort_field="shoe_size"), manager)
    assert "shoe_size" in str(refused.value)

"""Merging two archives of one customer, and undoing it exactly."""
from __future__ import annotations

import datetime as dt
import json

import peewee
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crmdesk.models import (
    ALL_MODELS,
    AuditEntry,
    CardReader,
    ChangeEvent,
    Communication,
    Counter,
    Customer,
    Merge,
    NotSamePerson,
    OwnershipChange,
    Staff,
    Visit,
)
from crmdesk.models.card import FIELDS
from crmdesk.models.seed import AUDIT_COUNTER
from crmdesk.services import contacts, customers
from crmdesk.services.accounts import PermissionDenied
from crmdesk.services.context import Actor
from crmdesk.services.demo import build_demo
from crmdesk.services.duplicate_scan import mark_not_same
from crmdesk.services.merges import (
    MergeRefused,
    merge,
    merge_history,
    plan_merge,
    survivor,
    undo_merge,
)
from crmdesk.services.ownership import customer_id_of
from crmdesk.services.search import ListQuery, find_ids

# What a merge and its undo may leave behind: the trail of what happened, and the merge itself.
HISTORY = (AuditEntry, ChangeEvent, Merge)


def dump() -> dict[str, list[tuple]]:
    """Every row of every table but the history, in id order."""
    rows = {}
    for model in ALL_MODELS:
        if model in HISTORY:
            continue
        key = model._meta.primary_key
        query = model.select().order_by(*(
            [getattr(model, name) for name in key.field_names]
            if isinstance(key, peewee.CompositeKey) else [key]))
        if model is Counter:
            query = query.where(Counter.name != AUDIT_COUNTER)
        rows[model._meta.table_name] = list(query.tuples())
    return rows


@pytest.fixture
def demo_archive(manager) -> list[int]:
    """A small demo archive with readers, a "not the same person" mark and a referral, and
    the ids of its customers."""
    build_demo(24, seed=7)
    ids = [c for (c,) in Customer.select(Customer.id).order_by(Customer.id).tuples()]
    someone = Staff.select().where(Staff.id != manager.staff_id).first()
    for cid in ids[:6]:
        CardReader.create(customer=cid, staff=someone)
    for (cid,) in Customer.select(Customer.id).where(Customer.confidentiality == "secret").tuples():
        CardReader.create(customer=cid, staff=manager.staff_id)  # top secret: named readers
    mark_not_same(ids[0], ids[3], manager, "兄弟")
    mark_not_same(ids[1], ids[3], manager)
    Customer.update(referrer=ids[2]).where(Customer.id.in_(ids[4:8])).execute()
    Customer.update(referrer=ids[5]).where(Customer.id == ids[2]).execute()
    return ids


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_undo_puts_back_every_row_of_any_merge(demo_archive, manager, data):
    kept, other = data.draw(st.lists(st.sampled_from(demo_archive), min_size=2, max_size=2,
                                     unique=True))
    fields = data.draw(st.lists(st.sampled_from(sorted(FIELDS)), max_size=6, unique=True))
    take = {f: data.draw(st.sampled_from((kept, other))) for f in fields}
    before = dump()
    merge_id = merge(kept, other, manager, take)
    assert not Customer.select().where(Customer.id == other).exists()
    assert dump() != before
    undo_merge(merge_id, manager)
    assert dump() == before


def test_everything_moves_to_the_survivor_and_the_old_number_still_finds_it(
        demo_archive, manager):
    kept, other = demo_archive[2], demo_archive[5]
    old_no = Customer.get_by_id(other).archive_no
    log = Communication.select().where(Communication.customer.in_([kept, other])).count()
    visits = Visit.select().where(Visit.customer.in_([kept, other])).count()
    merge(kept, other, manager)
    assert Communication.select().where(Communication.customer == kept).count() == log
    seqs = [c.seq for c in Communication.select().where(Communication.customer == kept)
            .order_by(Communication.contacted_at, Communication.id)]
    assert seqs == list(range(1, log + 1))
    assert Visit.select().where(Visit.customer == kept).count() == visits
    assert Customer.get_by_id(kept).referrer_id is None  # it was referred by the other one
    assert customer_id_of(old_no) == kept
    assert find_ids(ListQuery(text=old_no), manager) == [kept]
    assert CardReader.select().where(CardReader.customer == kept).count() == 1
    marks = set(NotSamePerson.select(NotSamePerson.first, NotSamePerson.second).tuples())
    assert (demo_archive[0], demo_archive[3]) in marks


def test_fields_default_to_the_filled_value_and_the_owner_to_the_first_registration(
        add_customer, manager, salesperson):
    first = add_customer(actor=salesperson, name="张三", mobile="13911110002", notes=None)
    Customer.update(created_at=dt.datetime(2025, 1, 1)).where(Customer.id == first).execute()
    card = customers.new_card(manager)
    card.values.update(name="张叁", mobile="13911110003", birth_date=dt.date(1990, 1, 2),
                       notes="新卡备注", owner=manager.staff_id)
    second = customers.save_card(card, manager, accept_incomplete=True).customer_id
    assert survivor(first, second) == first
    plan = {f.name: f for f in plan_merge(second, first, manager).fields}
    assert plan["owner"].take_other  # the archive registered first owns the customer
    assert plan["notes"].take_other is False  # only the kept one is filled
    merge(first, second, manager, {"name": second})
    kept = Customer.get_by_id(first)
    assert (kept.name, kept.notes, kept.birth_date) == ("张叁", "新卡备注", dt.date(1990, 1, 2))
    assert kept.owner_id == salesperson.staff_id
    assert kept.mobile == "13911110003"  # both filled: the newer card's
    entry = AuditEntry.get(AuditEntry.action == "merge")
    details = json.loads(entry.details)
    assert details["merged_values"]["notes"] == "新卡备注"
    assert details["kept_values"]["name"] == "张三"


def test_the_owner_follows_the_first_registration_unless_the_manager_chooses(
        add_customer, manager, salesperson):
    older = add_customer(actor=salesperson, name="老卡", mobile="13911110002")
    Customer.update(created_at=dt.datetime(2025, 1, 1)).where(Customer.id == older).execute()
    newer = add_customer(actor=manager, name="新卡", mobile="13911110009")
    merge(newer, older, manager)
    assert Customer.get_by_id(newer).owner_id == salesperson.staff_id
    change = OwnershipChange.select().where(OwnershipChange.customer == newer).order_by(
        OwnershipChange.id.desc()).first()
    assert change.kind == "transfer" and "KH" in change.reason


def test_undo_refuses_after_a_later_change_and_says_which(demo_archive, manager):
    kept, other = demo_archive[0], demo_archive[1]
    merge_id = merge(kept, other, manager)
    contacts.log_contact(kept, contacts.Contact(
        contacted_at=dt.datetime.now().replace(microsecond=0), method="phone",
        record="合并后又打了电话"), manager)
    with pytest.raises(MergeRefused, match=Customer.get_by_id(kept).archive_no):
        undo_merge(merge_id, manager)
    assert [m.undone_at for m in merge_history(manager)] == [None]


def test_undo_twice_is_refused(demo_archive, manager):
    merge_id = merge(demo_archive[0], demo_archive[1], manager)
    undo_merge(merge_id, manager)
    with pytest.raises(MergeRefused):
        undo_merge(merge_id, manager)


def test_only_managers_merge(demo_archive):
    seller = Actor.of(Staff.get(Staff.username == "sales"))
    with pytest.raises(PermissionDenied):
        merge(demo_archive[0], demo_archive[1], seller)
    with pytest.raises(PermissionDenied):
        undo_merge(1, seller)


def test_chained_merges_undo_in_reverse_order(demo_archive, manager):
    a, b, c = demo_archive[3], demo_archive[4], demo_archive[5]
    before = dump()
    first = merge(b, a, manager)
    second = merge(c, b, manager)
    old_no = Customer.get_by_id(c).archive_no
    assert {customer_id_of(n) for n in (old_no,)} == {c}
    with pytest.raises(MergeRefused, match=Customer.get_by_id(c).archive_no):
        undo_merge(first, manager)
    undo_merge(second, manager)
    undo_merge(first, manager)
    assert dump() == before

"""The scan of the whole archive for likely duplicates, and the "not the same person" mark."""
from __future__ import annotations

import datetime as dt

import pytest

from crmdesk.models import Customer
from crmdesk.services import customers
from crmdesk.services.accounts import PermissionDenied
from crmdesk.services.duplicate_scan import ArchiveScan, mark_not_same, scan


def _plant(actor, **values) -> int:
    """An archive saved past the rule, as imports with --on-duplicate new made them."""
    card = customers.new_card(actor)
    card.values.update(values)
    return customers.save_card(card, actor, accept_incomplete=True,
                               second_archive="planted").customer_id


def _pairs(groups) -> set[frozenset[int]]:
    return {frozenset((p.first_id, p.second_id)) for g in groups for p in g.pairs}


def test_the_scan_finds_pairs_by_every_key_and_scores_them(manager):
    a = _plant(manager, name="张三", mobile="13911110002")
    b = _plant(manager, name="张叁", mobile="13911110002")
    c = _plant(manager, name="李雷", birth_date=dt.date(1980, 6, 10), mobile="13911110003")
    d = _plant(manager, name="李雷", birth_date=dt.date(1980, 6, 10), mobile="13911110004")
    e = _plant(manager, name="章伟", employer="华信科技", mobile="13911110005")
    f = _plant(manager, name="张伟", employer="华信科技有限公司", mobile="13911110006")
    _plant(manager, name="无关", mobile="13911110007")
    groups = scan(manager)
    assert _pairs(groups) == {frozenset((a, b)), frozenset((c, d)), frozenset((e, f))}
    by_pair = {frozenset((p.first_id, p.second_id)): p for g in groups for p in g.pairs}
    assert by_pair[frozenset((a, b))].reasons == ("mobile",)
    assert by_pair[frozenset((c, d))].score == 90
    assert by_pair[frozenset((e, f))].reasons == ("sound_company",)
    assert [g.score for g in groups] == sorted((g.score for g in groups), reverse=True)
    assert _pairs(scan(manager, min_score=80)) == {frozenset((a, b)), frozenset((c, d))}


def test_archives_linked_by_pairs_form_one_group(manager):
    a = _plant(manager, name="甲", mobile="13911110002")
    b = _plant(manager, name="乙", mobile="13911110002", phone="021-65529988")
    c = _plant(manager, name="丙", phone="02165529988")
    [group] = scan(manager)
    assert [m.customer_id for m in group.members] == [a, b, c]


def test_a_pair_marked_not_the_same_person_stops_coming_back(manager):
    a = _plant(manager, name="张三", mobile="13911110002")
    b = _plant(manager, name="张三", mobile="13911110002")
    mark_not_same(b, a, manager, "父子同名")
    mark_not_same(a, b, manager)  # twice is harmless
    assert scan(manager) == []


def test_the_scan_follows_changes_incrementally(manager):
    a = _plant(manager, name="张三", mobile="13911110002")
    b = _plant(manager, name="李四", mobile="13911110003")
    found = ArchiveScan(manager).run()
    assert found.groups() == []
    card = customers.get_card(b)
    card.values["mobile"] = "13911110002"
    customers.save_card(card, manager, accept_incomplete=True, second_archive="test")
    c = _plant(manager, name="王五", mobile="13911110002")
    found.update([b, c])
    assert _pairs(found.groups()) == {frozenset((a, b)), frozenset((a, c)), frozenset((b, c))}
    Customer.delete().where(Customer.id == c).execute()
    found.update([c])
    assert _pairs(found.groups()) == {frozenset((a, b))}


def test_only_managers_scan(salesperson):
    with pytest.raises(PermissionDenied):
        scan(salesperson)
    with pytest.raises(PermissionDenied):
        mark_not_same(1, 2, salesperson)

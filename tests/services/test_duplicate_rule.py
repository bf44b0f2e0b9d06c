"""The one duplicate rule: on the card's save, at the front desk, and in claims."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from crmdesk.errors import ValidationError
from crmdesk.models import AuditEntry, Customer
from crmdesk.services import customers
from crmdesk.services.duplicate_rule import DuplicateArchiveError, similar_archives, similar_to
from crmdesk.services.duplicate_scan import mark_not_same
from crmdesk.services.frontdesk import DuplicatePhoneError, VisitDraft, register_visit
from crmdesk.services.identity import compare, identity_of

KNOWN = "13911110002"


@pytest.mark.parametrize("typed", ["13911110002", "139 1111 0002", "+86 139-1111-0002",
                                   "0086 13911110002", "１３９１１１１０００２"])
def test_a_new_card_with_a_known_mobile_in_any_spelling_is_refused(add_customer, complete_card,
                                                                   salesperson, typed):
    add_customer(name="张三", mobile=KNOWN)
    card = complete_card(salesperson, name="张小三", mobile=typed, employer="别家公司")
    with pytest.raises(DuplicateArchiveError) as refused:
        customers.save_card(card, salesperson)
    assert [h.reasons for h in refused.value.hits] == [("mobile",)]
    assert "手机相同" in str(refused.value)
    assert Customer.select().count() == 1


def test_a_known_number_in_another_phone_field_is_refused(add_customer, complete_card,
                                                          salesperson):
    add_customer(name="华信", phone="021-65529988")
    card = complete_card(salesperson, name="华信科技", home_phone="(021) 6552 9988")
    with pytest.raises(DuplicateArchiveError):
        customers.save_card(card, salesperson)


def test_a_second_archive_with_a_reason_is_saved_and_audited(add_customer, complete_card,
                                                             salesperson):
    first = add_customer(name="张三", mobile=KNOWN)
    card = complete_card(salesperson, name="张三", mobile=KNOWN)
    with pytest.raises(ValidationError):
        customers.save_card(card, salesperson, second_archive="   ")
    saved = customers.save_card(card, salesperson, second_archive="父子同名，共用一个手机")
    assert saved.created and [h.customer_id for h in saved.similar] == [first]
    entry = AuditEntry.get(AuditEntry.action == "second_archive")
    details = json.loads(entry.details)
    assert entry.customer_id == saved.customer_id
    assert details["reason"] == "父子同名，共用一个手机"
    assert details["matches"][0]["keys"][0] == "mobile"


def test_name_with_birth_date_or_company_is_strong(add_customer, complete_card, salesperson):
    add_customer(name="李雷", birth_date=dt.date(1980, 6, 10), employer="甲公司")
    for values in ({"birth_date": dt.date(1980, 6, 10), "employer": "乙公司"},
                   {"employer": "甲公司有限公司"}):
        card = complete_card(salesperson, name="李雷", **values)
        with pytest.raises(DuplicateArchiveError):
            customers.save_card(card, salesperson)


def test_a_same_sounding_name_with_a_company_only_warns(add_customer, complete_card,
                                                        salesperson):
    first = add_customer(name="张伟", employer="华信科技有限公司")
    saved = customers.save_card(complete_card(salesperson, name="章伟",
                                              employer="华信科技"), salesperson)
    assert [(h.customer_id, h.reasons, h.strong) for h in saved.similar] == [
        (first, ("sound_company",), False)]


def test_the_spouses_phone_is_a_weak_key(add_customer, complete_card, salesperson):
    wife = add_customer(name="韩梅梅", mobile="13711112222")
    saved = customers.save_card(complete_card(salesperson, name="李雷",
                                              spouse_phone="137 1111 2222"), salesperson)
    assert [(h.customer_id, h.reasons) for h in saved.similar] == [(wife, ("spouse_phone",))]


def test_licence_number_is_strong_for_organisations(add_customer, complete_card, salesperson):
    add_customer(kind="organisation", name="甲公司", licence_no="91310000MA1K")
    card = complete_card(salesperson, kind="organisation", name="甲商贸",
                         licence_no="91310000ma1k ")
    with pytest.raises(DuplicateArchiveError):
        customers.save_card(card, salesperson)


def test_editing_a_card_to_anothers_mobile_is_refused_but_other_edits_pass(
        add_customer, salesperson):
    add_customer(name="张三", mobile=KNOWN)
    second = add_customer(name="李四", mobile="13922223333")
    card = customers.get_card(second)
    card.values["notes"] = "改个备注"
    customers.save_card(card, salesperson)
    card = customers.get_card(second)
    card.values["mobile"] = KNOWN
    with pytest.raises(DuplicateArchiveError):
        customers.save_card(card, salesperson)


def test_a_pair_marked_not_the_same_person_does_not_block_edits(add_customer, manager,
                                                               salesperson):
    first = add_customer(name="张三", mobile=KNOWN)
    other = add_customer(name="张三丰", mobile="13922223333")
    mark_not_same(first, other, manager, "父子")
    card = customers.get_card(other)
    card.values["phone"] = None
    card.values["mobile"] = KNOWN
    customers.save_card(card, salesperson)  # not refused: a person said they differ


def test_the_front_desk_refuses_a_name_and_company_match_unless_confirmed(
        add_customer, manager):
    add_customer(name="王芳", mobile="13955556666", employer="盛达贸易")
    with pytest.raises(DuplicateArchiveError):
        register_visit(VisitDraft("王芳", "13977778888", company="盛达贸易"), manager)
    result = register_visit(VisitDraft("王芳", "13977778888", company="盛达贸易",
                                       confirm_new=True, confirm_reason="同名同事"), manager)
    assert result.created
    assert json.loads(AuditEntry.get(AuditEntry.action == "second_archive").details)[
        "reason"] == "同名同事"


def test_the_front_desk_still_refuses_a_known_phone(add_customer, manager):
    add_customer(name="王芳", mobile=KNOWN)
    with pytest.raises(DuplicatePhoneError):
        register_visit(VisitDraft("王小芳", "+86 139 1111 0002"), manager)


def test_the_panel_lists_matches_as_they_are_typed(add_customer, salesperson):
    first = add_customer(name="张三", mobile=KNOWN, birth_date=dt.date(1990, 1, 2))
    shown, hidden = similar_archives({"name": "张三", "birth_date": dt.date(1990, 1, 2)},
                                     salesperson)
    assert hidden == 0
    assert [(s.glance.customer_id, s.reasons, s.strong) for s in shown] == [
        (first, ("name_birth",), True)]
    assert similar_to({"name": "张三"}) == []  # a name alone is no key


def test_scores_add_a_little_for_each_further_key():
    a = identity_of({"name": "张三", "mobile": KNOWN, "birth_date": dt.date(1990, 1, 2)})
    b = identity_of({"name": "张三", "mobile": KNOWN, "birth_date": dt.date(1990, 1, 2)})
    verdict = compare(a, b)
    assert verdict.reasons == ("mobile", "name_birth") and verdict.score == 100
    c = identity_of({"name": "章三", "employer": "甲", "birth_date": dt.date(1990, 1, 2)})
    d = identity_of({"name": "张三", "employer": "甲", "birth_date": dt.date(1990, 1, 2)})
    assert compare(c, d).reasons == ("sound_birth", "sound_company")
    assert compare(c, d).score == 80 and compare(c, d).strong


def test_a_claim_is_refused_while_the_customers_other_archive_is_protected(
        add_customer, salesperson, manager):
    from crmdesk.services.ownership import OwnershipRefused, claim

    lapsed = add_customer(actor=salesperson, name="张三", mobile=KNOWN)
    Customer.update(created_at=dt.datetime(2025, 1, 1)).where(Customer.id == lapsed).execute()
    card = customers.new_card(salesperson)
    card.values.update(name="张三", mobile=KNOWN)
    customers.save_card(card, salesperson, accept_incomplete=True, second_archive="test")
    with pytest.raises(OwnershipRefused, match="王强"):
        claim(lapsed, manager)

"""The register form's check (F2) is the one duplicate rule: what the card editor's panel finds,
the front desk finds, showing only what the desk may see; a second archive needs its reason."""
from __future__ import annotations

import json
from dataclasses import replace

import pytest

from crmdesk.errors import ValidationError
from crmdesk.models import AuditEntry, Customer, Staff
from crmdesk.services.context import Actor
from crmdesk.services.duplicate_rule import DuplicateArchiveError, similar_archives
from crmdesk.services.duplicates import find_duplicates, restricted_hits
from crmdesk.services.frontdesk import DuplicatePhoneError, VisitDraft, register_visit


@pytest.fixture
def desk(archive, salesperson) -> Actor:
    """The front desk; 王强 (the salesperson) is on the duty list."""
    return Actor.of(Staff.create(name="陈静", username="desk", roles="frontdesk"))


def test_a_same_sounding_name_at_the_company_is_a_candidate_as_in_the_card_editor(
        add_customer, desk, salesperson):
    first = add_customer(name="张伟", mobile="13800138000", employer="华信科技有限公司")

    (match,) = find_duplicates("", name="章伟", company="华信科技", actor=desk)
    (in_card,), _hidden = similar_archives({"name": "章伟", "employer": "华信科技"}, salesperson)
    assert (match.customer_id, match.score, match.why) == (
        in_card.glance.customer_id, in_card.score, in_card.why) == (first, 70, "姓名同音且单位相同")
    assert not match.strong
    assert match.matched_on == "name"
    assert (match.phone, match.company) == ("138****8000", "")  # the desk's view: masked


def test_same_name_and_company_is_strong_and_a_second_archive_needs_its_reason(
        add_customer, desk):
    first = add_customer(name="王芳", mobile="13955556666", employer="盛达贸易")
    draft = VisitDraft("王芳", "139 7777 8888", company="盛达贸易有限公司")

    (match,) = find_duplicates(draft.phone, draft.name, draft.company, actor=desk)
    assert (match.customer_id, match.strong, match.why) == (first, True, "姓名和单位相同")
    with pytest.raises(DuplicateArchiveError):
        register_visit(draft, desk)
    with pytest.raises(ValidationError) as refused:
        register_visit(replace(draft, confirm_new=True, confirm_reason="  "), desk)
    assert [p.field for p in refused.value.problems] == ["confirm_reason"]
    assert Customer.select().count() == 1

    result = register_visit(replace(draft, confirm_new=True, confirm_reason="同名同姓的同事"),
                            desk)
    entry = AuditEntry.get(AuditEntry.action == "second_archive")
    details = json.loads(entry.details)
    assert (entry.customer_id, details["reason"]) == (result.customer_id, "同名同姓的同事")
    assert details["matches"][0]["keys"] == ["name_company"]


def test_a_confirmed_new_archive_without_a_strong_match_needs_no_reason(add_customer, desk):
    add_customer(name="张伟", mobile="13800138000", employer="华信科技有限公司")
    result = register_visit(VisitDraft("章伟", "13900000001", company="华信科技",
                                       confirm_new=True), desk)
    assert result.created
    assert not AuditEntry.select().where(AuditEntry.action == "second_archive").exists()


def test_the_visitors_phone_in_any_phone_field_is_a_known_phone(add_customer, desk):
    known = add_customer(name="华信科技", home_phone="010-6552 9988")

    (match,) = find_duplicates("(010) 65529988", actor=desk)
    assert (match.customer_id, match.matched_on, match.strong) == (known, "phone", True)
    with pytest.raises(DuplicatePhoneError) as refused:
        register_visit(VisitDraft("李经理", "010 6552 9988"), desk)
    assert [m.customer_id for m in refused.value.matches] == [known]


def test_a_spouses_phone_is_shown_but_not_taken_for_the_visitors_own(add_customer, desk):
    husband = add_customer(name="李雷", mobile="13800138000", spouse_phone="13711112222")

    (match,) = find_duplicates("137 1111 2222", "韩梅梅", actor=desk)
    assert (match.customer_id, match.matched_on, match.strong) == (husband, "spouse", False)
    assert register_visit(VisitDraft("韩梅梅", "137 1111 2222"), desk).created


def test_the_company_finds_the_organisations_archive(add_customer, desk):
    company = add_customer(kind="organisation", name="盛达贸易")
    matches = find_duplicates("", "王芳", "盛达贸易", actor=desk)
    assert [(m.customer_id, m.matched_on) for m in matches] == [(company, "company")]


def test_a_top_secret_match_is_counted_but_never_shown(add_customer, desk, salesperson):
    add_customer(name="王芳", mobile="13955556666", employer="盛达贸易", confidentiality="secret")

    assert find_duplicates("", "王芳", "盛达贸易", actor=desk) == []
    assert restricted_hits("", desk, "王芳", "盛达贸易") == 1
    assert restricted_hits("13955556666", desk) == 1
    assert restricted_hits("", salesperson, "王芳", "盛达贸易") == 0  # the owner sees it
    assert "王芳" not in repr(find_duplicates("139 5555 6666", "王芳", actor=desk))

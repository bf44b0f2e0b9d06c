"""Exports that copy 机密 cards or many archives wait for a second person's approval."""
from __future__ import annotations

import pytest

from crmdesk.errors import NotFoundError
from crmdesk.models import AuditEntry, Notice, Staff
from crmdesk.services import settings
from crmdesk.services.accounts import PermissionDenied
from crmdesk.services.context import Actor
from crmdesk.services.exports import approval
from crmdesk.services.exports.approval import ApprovalNeeded
from crmdesk.services.exports.export import ExportRequest, export
from crmdesk.services.search import ListQuery

ALL = ListQuery()


@pytest.fixture
def second(archive) -> Actor:
    """Another manager, who approves."""
    return Actor.of(Staff.create(name="钱经理", username="qian", roles="manager"))


def test_an_ordinary_small_export_needs_no_approval(add_customer, manager, tmp_path):
    add_customer(manager)
    assert export(tmp_path / "out.xlsx", ExportRequest(), manager) == 1


def test_an_export_with_a_confidential_card_is_written_only_once_approved(
        add_customer, manager, second, tmp_path):
    add_customer(manager, confidentiality="confidential")
    target = tmp_path / "out.xlsx"
    with pytest.raises(ApprovalNeeded, match="机密"):
        export(target, ExportRequest(), manager)
    assert not target.exists()

    approval_id = approval.ask("customers", ALL, "年度客户回访", manager)
    assert Notice.get(Notice.kind == "export_approval").recipient_id == second.staff_id
    with pytest.raises(PermissionDenied):
        approval.decide(approval_id, True, manager)
    approval.decide(approval_id, True, second)

    assert export(target, ExportRequest(), manager, approval_id=approval_id) == 1
    with pytest.raises(ApprovalNeeded):
        export(tmp_path / "again.xlsx", ExportRequest(), manager, approval_id=approval_id)
    actions = {a for (a,) in AuditEntry.select(AuditEntry.action).tuples()}
    assert {"export_approval_asked", "export_approval_decided", "export"} <= actions


def test_more_archives_than_the_threshold_need_approval_and_a_refusal_writes_nothing(
        add_customer, manager, second, tmp_path):
    settings.put("export_approval_over", 1)
    add_customer(manager, name="甲", mobile="13800000001")
    add_customer(manager, name="乙", mobile="13800000002")
    approval_id = approval.ask("customers", ALL, "备份到总部", manager)

    approval.decide(approval_id, False, second)

    with pytest.raises(ApprovalNeeded, match=r"more than 1|超过 1"):
        export(tmp_path / "out.csv", ExportRequest(), manager, approval_id=approval_id)
    with pytest.raises(NotFoundError):
        approval.decide(approval_id, True, second)
    assert [r.state for r in approval.approvals(manager)] == ["refused"]


def test_the_register_copies_no_archive_and_needs_no_approval(add_customer, manager, tmp_path):
    settings.put("export_approval_over", 0)
    add_customer(manager, confidentiality="secret")
    assert export(tmp_path / "visits.xlsx", ExportRequest("visits"), manager) == 0


def test_the_approval_given_is_found_without_naming_it(add_customer, manager, second, tmp_path):
    add_customer(manager, confidentiality="secret")
    approval.decide(approval.ask("customers", ALL, "核对", manager), True, second)

    assert export(tmp_path / "out.xlsx", ExportRequest(), manager) == 1
    assert [r.state for r in approval.approvals(manager)] == ["used"]

"""The sealed audit trail: an edited, deleted or reordered entry is found."""
from __future__ import annotations

import pytest

from crmdesk.models import AuditEntry, Customer
from crmdesk.services import audit, customers


@pytest.fixture
def trail(manager):
    for name in ("张三", "李四", "王五"):
        card = customers.new_card(manager)
        card.values.update(name=name)
        customers.save_card(card, manager, accept_incomplete=True)
    assert AuditEntry.select().count() == 3
    return manager


def test_untouched_trail_verifies(trail):
    assert audit.verify() == []


def test_edited_entry_is_found(trail):
    AuditEntry.update(details='{"changes": {}}').where(AuditEntry.seq == 2).execute()
    problems = audit.verify()
    assert [p.seq for p in problems] == [2]
    assert "changed" in problems[0].reason


def test_deleted_entry_is_found(trail):
    AuditEntry.delete().where(AuditEntry.seq == 2).execute()
    assert {p.seq for p in audit.verify()} == {3}


def test_deleted_newest_entry_is_found(trail):
    AuditEntry.delete().where(AuditEntry.seq == 3).execute()
    assert audit.verify()


def test_reordered_entries_are_found(trail):
    first, second = (AuditEntry.get(AuditEntry.seq == s) for s in (1, 2))
    AuditEntry.update(seq=-1).where(AuditEntry.id == first.id).execute()
    AuditEntry.update(seq=1).where(AuditEntry.id == second.id).execute()
    AuditEntry.update(seq=2).where(AuditEntry.id == first.id).execute()
    assert audit.verify()


def test_entries_keep_the_archive_number_after_the_customer_is_gone(trail):
    entry = AuditEntry.get(AuditEntry.seq == 1)
    number = entry.archive_no
    assert number.startswith("KH")
    Customer.delete().where(Customer.archive_no == number).execute()
    assert AuditEntry.get(AuditEntry.seq == 1).archive_no == number
    assert audit.verify() == []

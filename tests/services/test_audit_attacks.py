"""The audit trail against someone who holds the archive and edits it as an attacker would.

Each attack is done with plain SQL on the archive (and, where it helps the attacker, by sealing
the chain again with crmdesk's own code, which is public). ``audit verify`` must report it.
An anchor of the trail's head exists outside the archive from the moment the data left the
program (here: a printout); rewriting before it, cutting off after it, or emptying the table
all contradict it.
"""
from __future__ import annotations

from collections.abc import Callable

import pytest

from crmdesk.models import AuditEntry, Counter, Staff
from crmdesk.models.db import database
from crmdesk.models.seed import AUDIT_COUNTER
from crmdesk.services import accounts, audit, audit_anchors, customers


@pytest.fixture
def printed(manager, salesperson):
    """A manager and a salesperson with passwords, three archives saved, then a register
    printed (which anchors the head)."""
    accounts.set_password(salesperson, salesperson.staff_id, "sales-pass-1")
    accounts.set_password(manager, manager.staff_id, "manager-pass-1")
    for name in ("张三", "李四", "王五"):
        card = customers.new_card(manager)
        card.values.update(name=name)
        customers.save_card(card, manager, accept_incomplete=True)
    audit.record(manager, "print", None, printout="roster")
    assert audit.verify() == []
    return manager


def _lower_counter(by: int) -> None:
    Counter.update(value=Counter.value - by).where(Counter.name == AUDIT_COUNTER).execute()


def _edit_and_reseal() -> None:
    text = '{"changes": {"name": ["张三", "赵六"]}}'
    AuditEntry.update(details=text, details_digest=audit._digest(text)).where(
        AuditEntry.seq == 4).execute()
    audit.reseal_chain()


def _delete_renumber_and_reseal() -> None:
    AuditEntry.delete().where(AuditEntry.seq == 4).execute()
    for seq in (5, 6):
        AuditEntry.update(seq=seq - 1).where(AuditEntry.seq == seq).execute()
    _lower_counter(1)
    audit.reseal_chain()


def _cut_off_the_newest() -> None:
    AuditEntry.delete().where(AuditEntry.seq >= 5).execute()
    _lower_counter(2)


def _wipe() -> None:
    database.execute_sql("DELETE FROM audit_entry")
    Counter.update(value=0).where(Counter.name == AUDIT_COUNTER).execute()


def _relink_actor() -> None:
    other = Staff.create(name="李娜", username="lina", roles="sales")
    AuditEntry.update(actor=other.id).where(AuditEntry.seq == 3).execute()


def _relink_customer() -> None:
    third = AuditEntry.get(AuditEntry.seq == 5).customer_id
    AuditEntry.update(customer=third).where(AuditEntry.seq == 3).execute()


def _relink_customer_and_its_kept_id() -> None:
    third = AuditEntry.get(AuditEntry.seq == 5).customer_id
    AuditEntry.update(customer=third, customer_ref=third).where(AuditEntry.seq == 3).execute()


def _raise_a_role() -> None:
    database.execute_sql("UPDATE staff SET roles = 'admin,manager' WHERE username = 'sales'")


def _wipe_the_passwords() -> None:
    database.execute_sql("UPDATE staff SET password_hash = NULL")


def _rewrite_from_the_start() -> None:
    database.execute_sql("UPDATE audit_entry SET actor_name = 'someone'")
    audit.reseal_chain()


ATTACKS: dict[str, Callable[[], None]] = {
    "edit an entry and seal the chain again": _edit_and_reseal,
    "delete an entry, renumber, lower the counter, seal again": _delete_renumber_and_reseal,
    "cut off the newest entries and lower the counter": _cut_off_the_newest,
    "empty the audit table": _wipe,
    "point an entry at another account": _relink_actor,
    "point an entry at another archive": _relink_customer,
    "point an entry and its kept id at another archive": _relink_customer_and_its_kept_id,
    "rewrite every entry and seal again from the start": _rewrite_from_the_start,
    "raise a salesperson to administrator": _raise_a_role,
    "wipe every password hash": _wipe_the_passwords,
}


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_verify_reports_the_attack(printed, attack):
    ATTACKS[attack]()
    assert audit.verify(), f"not detected: {attack}"


def test_an_anchor_typed_from_paper_finds_a_rewrite_when_the_anchor_files_are_gone(printed):
    head = audit_anchors.head()
    _edit_and_reseal()
    for folder in audit.anchor_folders():
        (folder / audit_anchors.ANCHOR_FILE).unlink(missing_ok=True)
    assert audit.verify() == []  # nothing outside the archive is left to contradict it
    problems = audit.verify([audit_anchors.typed(head.text())])
    assert [(p.seq, p.source) for p in problems] == [(head.seq, "typed")]


def test_an_honest_restore_is_not_taken_for_a_cut_off_trail(printed):
    audit_anchors.write(audit.anchor_folders()[0], "restore",
                        audit_anchors.Anchor(4, AuditEntry.get(AuditEntry.seq == 4).hash,
                                             AuditEntry.get(AuditEntry.seq == 1).hash))
    AuditEntry.delete().where(AuditEntry.seq >= 5).execute()
    _lower_counter(2)
    assert audit.verify() == []


def test_anchors_of_another_archive_in_the_same_folder_are_not_mixed_in(printed, tmp_path):
    folder = audit.anchor_folders()[0]
    with (folder / audit_anchors.ANCHOR_FILE).open("a", encoding="utf-8") as out:
        out.write("9\tabcdef\tfedcba\t2026-01-01T00:00:00\t/elsewhere/archive.sqlite3\tprint\n")
    assert audit.verify() == []

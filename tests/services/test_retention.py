"""Destroying an archive removes its personal data for good; the audit keeps who, when, why."""
from __future__ import annotations

import datetime as dt

import pytest

from crmdesk.models import AuditEntry, Communication, Customer
from crmdesk.models.db import database
from crmdesk.services import accounts, audit, contacts, customers, retention

SECRET_NAME = "欧阳独特名字"
SECRET_MOBILE = "13912398765"


def _customer(actor, name: str = SECRET_NAME, mobile: str = SECRET_MOBILE) -> int:
    card = customers.new_card(actor)
    card.values.update(name=name, mobile=mobile, notes="家住幸福路 9 号")
    customer_id = customers.save_card(card, actor, accept_incomplete=True).customer_id
    card = customers.get_card(customer_id)
    card.values["notes"] = "改过的备注"
    customers.save_card(card, actor, accept_incomplete=True)
    contacts.log_contact(customer_id, contacts.Contact(dt.datetime.now(), "phone", "电话沟通"),
                         actor)
    return customer_id


def _file_bytes(path) -> bytes:
    data = path.read_bytes()
    wal = path.with_name(path.name + "-wal")
    return data + (wal.read_bytes() if wal.exists() else b"")


@pytest.mark.sqlite_only
def test_destroyed_archive_leaves_no_personal_data_in_the_file(archive, manager):
    customer_id = _customer(manager)
    database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    assert SECRET_NAME.encode() in _file_bytes(archive)

    number = retention.destroy(manager, customer_id, "客户要求删除")

    assert not Customer.select().where(Customer.id == customer_id).exists()
    assert not Communication.select().where(Communication.customer == customer_id).exists()
    raw = _file_bytes(archive)
    assert SECRET_NAME.encode() not in raw
    assert SECRET_MOBILE.encode() not in raw
    record = AuditEntry.get(AuditEntry.action == "destroy")
    assert record.archive_no == number
    assert "客户要求删除" in record.details
    assert audit.verify() == []


def test_blanking_details_without_a_destruction_is_detected(archive, manager):
    _customer(manager)
    AuditEntry.update(details=audit.REDACTED).where(AuditEntry.seq == 1).execute()
    assert [p.seq for p in audit.verify()] == [1]


def test_only_a_manager_destroys_archives(archive, manager, salesperson):
    customer_id = _customer(manager)
    accounts.set_password(manager, manager.staff_id, "manager password")
    for someone in (None, salesperson):
        with pytest.raises(accounts.PermissionDenied):
            retention.destroy(someone, customer_id, "过期")
    with pytest.raises(Exception, match=r"原因|Reason|required|必填"):
        retention.destroy(manager, customer_id, "  ")
    assert Customer.select().count() == 1


def test_archives_without_contact_for_years_are_listed_for_review(archive, manager):
    recent = _customer(manager)
    old = _customer(manager, "多年未联系", "13912398766")  # another customer
    long_ago = dt.datetime(2019, 5, 1, 10, 0)
    Customer.update(last_contact_at=long_ago, created_at=long_ago).where(
        Customer.id == old).execute()
    listed = [d.customer_id for d in retention.due_for_review(manager, dt.date(2026, 11, 23))]
    assert listed == [old]
    assert recent not in listed


def test_destroying_blanks_what_an_import_replaced(manager):
    from crmdesk.models import ImportBatch, ImportItem

    customer_id = _customer(manager)
    number = Customer.get_by_id(customer_id).archive_no
    batch = ImportBatch.create(at=dt.datetime.now(), file_name="老客户.xlsx", sha256="0" * 64,
                               policy="overwrite", updated=1, actor=manager.staff_id)
    ImportItem.create(batch=batch, customer=customer_id, archive_no=number, action="update",
                      version=2, previous='{"address": "幸福路 9 号", "mobile": "13912398765"}')
    retention.destroy(manager, customer_id, "客户要求删除")
    assert ImportItem.get(ImportItem.archive_no == number).previous == "{}"


@pytest.mark.sqlite_only
def test_a_restored_backup_does_not_bring_a_destroyed_archive_back(archive, manager, tmp_path):
    from crmdesk.services import backup

    kept_id = _customer(manager)
    card = customers.new_card(manager)
    card.values.update(name="留下的客户")
    other = customers.save_card(card, manager, accept_incomplete=True).customer_id
    saved = backup.back_up_to_file(manager, tmp_path / "before.sqlite3").path
    number = retention.destroy(manager, kept_id, "客户要求删除")

    result = backup.restore(manager, saved)
    assert result.destroyed_again == (number,)
    assert not Customer.select().where(Customer.archive_no == number).exists()
    assert Customer.select().where(Customer.id == other).exists()
    again = AuditEntry.get((AuditEntry.action == "destroy") & (AuditEntry.archive_no == number))
    assert "before.sqlite3" in again.details
    assert audit.verify() == []

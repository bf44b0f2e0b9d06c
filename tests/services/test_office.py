"""Office settings: saved by managers and administrators only, every field checked at once,
audited with old and new values, and read by printing and the office's rules."""
from __future__ import annotations

import dataclasses
import io
import json

import pytest
from PIL import Image

from crmdesk.errors import ValidationError
from crmdesk.models import AuditEntry, ChangeEvent, Staff
from crmdesk.services import backup, office, printouts, protection, settings
from crmdesk.services.accounts import PermissionDenied
from crmdesk.services.context import Actor


def _png() -> bytes:
    data = io.BytesIO()
    Image.new("RGB", (60, 20), "navy").save(data, "PNG")
    return data.getvalue()


@pytest.fixture
def admin(archive) -> Actor:
    return Actor.of(Staff.create(name="管理员", username="admin", roles="admin"))


def test_a_manager_sets_the_branch_that_every_printout_names(archive, manager):
    logo = _png()
    new = dataclasses.replace(office.office_settings(), branch_name=" 浦东分公司 ",
                              branch_address="上海市浦东新区世纪大道100号", branch_logo=logo)
    assert office.save_office_settings(manager, new) == ["branch_name", "branch_address",
                                                          "branch_logo"]
    context = printouts.print_context(manager)
    assert context.branch == "浦东分公司"
    assert context.address == "上海市浦东新区世纪大道100号"
    assert context.logo == logo
    entry = AuditEntry.get(AuditEntry.action == "office_settings")
    changed = json.loads(entry.details)["changed"]
    assert changed["branch_name"] == ["本分公司", "浦东分公司"]
    assert changed["branch_logo"][0] == "" and "KB" in changed["branch_logo"][1]
    assert ChangeEvent.select().where(ChangeEvent.kind == "settings").count() == 1


def test_the_rules_read_the_numbers_saved(archive, admin):
    new = dataclasses.replace(office.office_settings(), protection_days=45, pool_claim_cap=20,
                              reclaim_wait_days=10, dormant_days=120, retention_years=5,
                              idle_lock_minutes=15)
    office.save_office_settings(admin, new)
    assert protection.days_by_level()[0] == 45
    assert settings.get("pool_claim_cap") == 20
    assert settings.get("reclaim_wait_days") == 10
    assert settings.get("dormant_days") == 120
    assert settings.get("retention_years") == 5
    assert office.office_settings() == new


def test_no_claim_cap_is_kept_as_none(archive, manager):
    new = dataclasses.replace(office.office_settings(), pool_claim_cap=None)
    assert office.save_office_settings(manager, new) == []
    assert not AuditEntry.select().where(AuditEntry.action == "office_settings").exists()


def test_every_unusable_field_is_named_and_nothing_is_stored(archive, manager, tmp_path):
    bad = dataclasses.replace(office.office_settings(), branch_name="  ", protection_days=0,
                              idle_lock_minutes=10_000, branch_logo=b"not a picture",
                              backup_folder=str(tmp_path / "missing"))
    with pytest.raises(ValidationError) as refused:
        office.save_office_settings(manager, bad)
    assert [p.field for p in refused.value.problems] == [
        "branch_name", "branch_logo", "protection_days", "idle_lock_minutes", "backup_folder"]
    assert settings.get("protection_days") == 60
    assert settings.get("branch_name") == "本分公司"


def test_a_salesperson_may_not_change_the_office_settings(archive, salesperson):
    new = dataclasses.replace(office.office_settings(), branch_name="别处")
    with pytest.raises(PermissionDenied):
        office.save_office_settings(salesperson, new)
    assert settings.get("branch_name") == "本分公司"


@pytest.mark.sqlite_only
def test_automatic_backups_go_to_the_office_backup_folder(archive, manager, tmp_path):
    folder = tmp_path / "office backups"
    folder.mkdir()
    office.save_office_settings(manager, dataclasses.replace(
        office.office_settings(), backup_folder=str(folder)))
    assert backup.default_folder() == folder

"""Office settings: defaults until changed, then shared by every desk through the archive."""
from __future__ import annotations

import pytest

from crmdesk.models import Setting
from crmdesk.services import settings


def test_setting_reads_its_default_until_changed(archive):
    assert settings.get("default_level") == "C"


def test_changed_setting_is_stored_in_the_archive(archive):
    settings.put("branch_name", "上海分公司")
    settings.put("branch_name", "浦东分公司")
    assert settings.get("branch_name") == "浦东分公司"
    assert Setting.select().where(Setting.key == "branch_name").count() == 1
    assert "浦东分公司" in Setting.get_by_id("branch_name").value


def test_unknown_setting_cannot_be_stored(archive):
    with pytest.raises(KeyError):
        settings.put("no_such_setting", 1)

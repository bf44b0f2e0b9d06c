"""The office settings dialog: offered to managers and administrators only, refusals shown
in the form, a saved idle-lock time applied to the open window at once."""
from __future__ import annotations

from PySide6.QtGui import QAction

from crmdesk.services import settings
from crmdesk.ui.dialogs.office_settings import OfficeSettingsDialog
from crmdesk.ui.idle_lock import IdleLock
from crmdesk.ui.main_window import MainWindow


def test_the_dialog_saves_the_branch_and_the_numbers(qtbot, archive, manager):
    dialog = OfficeSettingsDialog(manager)
    qtbot.addWidget(dialog)
    assert dialog.branch_name.text() == "本分公司"
    assert dialog.numbers["pool_claim_cap"].text() == "no limit" or \
        dialog.numbers["pool_claim_cap"].text() == "不限"
    dialog.branch_name.setText("浦东分公司")
    dialog.branch_address.setText("世纪大道100号")
    dialog.numbers["protection_days"].setValue(45)
    dialog.numbers["pool_claim_cap"].setValue(12)
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert dialog.saved == ["branch_name", "branch_address", "protection_days", "pool_claim_cap"]
    assert settings.get("branch_name") == "浦东分公司"
    assert settings.get("pool_claim_cap") == 12


def test_a_refusal_names_the_field_and_keeps_the_form(qtbot, archive, manager):
    dialog = OfficeSettingsDialog(manager)
    qtbot.addWidget(dialog)
    dialog.branch_name.setText("")
    dialog.backup_folder.setText("backups")
    dialog.save()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert "分公司名称" in dialog.error.text() or "Branch name" in dialog.error.text()
    assert "备份文件夹" in dialog.error.text() or "Backup folder" in dialog.error.text()
    assert dialog.backup_folder.text() == "backups"


def test_only_managers_and_administrators_get_the_menu_entry(qtbot, window, salesperson):
    assert window.findChild(QAction, "officeSettings") is not None
    seller = MainWindow(salesperson, "archive")
    qtbot.addWidget(seller)
    assert seller.findChild(QAction, "officeSettings") is None
    seller.tasks.wait()


def test_a_new_idle_lock_time_applies_to_the_open_window(qtbot, window, monkeypatch):
    lock = IdleLock(window, window.actor, minutes=10)

    def change(dialog: OfficeSettingsDialog) -> int:
        dialog.numbers["idle_lock_minutes"].setValue(3)
        dialog.save()
        return int(dialog.result())

    monkeypatch.setattr(OfficeSettingsDialog, "exec", change)
    window.findChild(QAction, "officeSettings").trigger()
    assert lock.limit_s == 180


def test_the_office_chooses_whether_contacts_renew_protection(qtbot, archive, manager):
    from crmdesk.services.protection import rule_in_force

    dialog = OfficeSettingsDialog(manager)
    qtbot.addWidget(dialog)
    assert not dialog.renewed.isChecked()
    assert "contacts do not extend it" in rule_in_force() or "联系不延长" in rule_in_force()

    dialog.renewed.setChecked(True)
    dialog.save()

    assert dialog.saved == ["protection_renewed_by_contact"]
    assert settings.get("protection_renewed_by_contact") is True
    assert "latest contact" in rule_in_force() or "最近一次联系" in rule_in_force()

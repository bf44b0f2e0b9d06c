"""The manager's hand-over (调离交接): chosen customers to one colleague, or all of a leaver's
customers shared among the colleagues ticked, evenly or by draw."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from crmdesk.models import Customer, Staff
from crmdesk.services import customers
from crmdesk.services.context import Actor
from crmdesk.ui.dialogs.transfer_dialog import TransferDialog

pytestmark = pytest.mark.usefixtures("inline_operations")


@pytest.fixture
def office(archive, manager) -> dict[str, Actor]:
    """王强 leaves with five customers; 李娜 and 张伟 stay."""
    people = {key: Actor.of(Staff.create(name=name, username=key, roles="sales"))
              for key, name in (("wq", "王强"), ("ln", "李娜"), ("zw", "张伟"))}
    for n in range(5):
        card = customers.new_card(manager)
        card.values.update(name=f"客户{n}", owner=people["wq"].staff_id)
        customers.save_card(card, manager, accept_incomplete=True)
    return people


def _tick(dialog: TransferDialog, *names: str) -> None:
    for row in range(dialog.colleagues.count()):
        item = dialog.colleagues.item(row)
        if item.text() in names:
            item.setCheckState(Qt.CheckState.Checked)


def _owners() -> dict[str, int]:
    counts: dict[str, int] = {}
    for customer in Customer.select():
        name = Staff.get_by_id(customer.owner_id).name
        counts[name] = counts.get(name, 0) + 1
    return counts


@pytest.mark.parametrize("split", ["evenly", "draw"])
def test_a_leavers_customers_are_shared_among_the_colleagues_ticked(qtbot, window, manager,
                                                                     office, split):
    dialog = TransferDialog(None, manager, window.tasks, window)
    qtbot.addWidget(dialog)
    dialog.source.setCurrentIndex(dialog.source.findText("王强"))
    leaver = dialog.colleagues.findItems("王强", Qt.MatchFlag.MatchExactly)[0]
    assert not leaver.flags() & Qt.ItemFlag.ItemIsEnabled
    _tick(dialog, "李娜", "张伟")
    dialog.split.setCurrentIndex(dialog.split.findData(split))
    dialog.reason.setText("王强离职")
    dialog.submit()
    assert dialog.result() == dialog.DialogCode.Accepted and dialog.moved == 5
    assert sorted(_owners().values()) == [2, 3] and "王强" not in _owners()


def test_handing_over_without_a_colleague_or_a_reason_is_refused(qtbot, window, manager,
                                                                 office, boxes):
    dialog = TransferDialog(None, manager, window.tasks, window)
    qtbot.addWidget(dialog)
    dialog.source.setCurrentIndex(dialog.source.findText("王强"))
    dialog.submit()
    assert "至少勾选一位同事" in boxes.texts()
    _tick(dialog, "李娜")
    dialog.submit()
    assert "理由" in boxes.texts()
    assert _owners() == {"王强": 5} and dialog.reason.text() == ""


def test_chosen_customers_go_to_one_colleague(qtbot, window, manager, office):
    ids = [c.id for c in Customer.select().limit(2)]
    dialog = TransferDialog(ids, manager, window.tasks, window)
    qtbot.addWidget(dialog)
    assert dialog.colleagues.isHidden() and not dialog.to.isHidden()
    dialog.to.setCurrentIndex(dialog.to.findText("张伟"))
    dialog.reason.setText("长假")
    dialog.submit()
    assert dialog.moved == 2 and _owners() == {"王强": 3, "张伟": 2}

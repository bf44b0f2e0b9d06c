"""A card opened read-only has its editors locked, card after card, and a card that may be
changed has them open again (the form's editors are locked only when that changes)."""
from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QTableWidget

from crmdesk.models import Staff
from crmdesk.services import customers
from crmdesk.services.context import Actor
from crmdesk.ui.main_window import MainWindow


def _customer(owner: Actor, name: str) -> int:
    card = customers.new_card(owner)
    card.values.update(name=name)
    card.decision_people = [{"name": "决策人", "role": "decision_maker"}]
    return customers.save_card(card, owner, accept_incomplete=True).customer_id


def _locked(window: MainWindow) -> tuple[bool, bool, bool]:
    card = window.card
    table = card.tables["decision_people"].findChild(QTableWidget)
    return (card.editor("name").isReadOnly(), not card.editor("level").isEnabled(),
            table.editTriggers() == QAbstractItemView.EditTrigger.NoEditTriggers)


def test_editors_stay_locked_from_one_read_only_card_to_the_next(
        qtbot, archive, salesperson, boxes, inline_operations):
    first, second = _customer(salesperson, "张三"), _customer(salesperson, "李四")
    desk = Actor.of(Staff.create(name="刘前台", username="desk", roles="frontdesk"))
    window = MainWindow(desk, str(archive))
    qtbot.addWidget(window)
    window.show()
    for customer_id in (first, second):
        window.open_customer(customer_id)
        assert window.card.customer_id == customer_id and window.card.read_only
        assert _locked(window) == (True, True, True)
    window.card.load_new()
    assert _locked(window) == (False, False, False)

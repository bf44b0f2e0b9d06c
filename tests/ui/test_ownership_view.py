"""The card's ownership panel names the protection rule the office has chosen."""
from __future__ import annotations

from crmdesk import i18n
from crmdesk.models import Staff
from crmdesk.services import settings
from crmdesk.services.context import Actor
from crmdesk.services.frontdesk import VisitDraft, register_visit
from crmdesk.ui.card.ownership_view import OwnershipView
from crmdesk.ui.operations import Operations


def test_the_panel_says_which_protection_rule_is_in_force(qtbot, archive, inline_operations):
    i18n.set_language("en")
    desk = Actor.of(Staff.create(name="陈静", username="desk", roles="frontdesk"))
    Staff.create(name="王强", username="wq", roles="sales")
    customer_id = register_visit(VisitDraft("张三", "13800138000"), desk).customer_id
    view = OwnershipView(Operations())
    qtbot.addWidget(view)

    view.show_customer(customer_id)
    assert "王强" in view.protection.text()
    assert "60 days from when the owner got the customer; contacts do not extend it" in (
        view.protection.text())

    settings.put("protection_renewed_by_contact", True)
    view.show_customer(customer_id)
    assert "or their latest contact" in view.protection.text()

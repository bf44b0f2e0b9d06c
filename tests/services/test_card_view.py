"""Opening a card as its window shows it: one call, every panel's data as the panel's own
service reads it, the look recorded once, in few statements."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from crmdesk.models import AuditEntry, Customer, Staff
from crmdesk.services import (
    appointments,
    card_view,
    complaints,
    customer_value,
    customers,
    deals,
    ownership,
    settings,
)
from crmdesk.services.contacts import Contact, log_contact
from crmdesk.services.context import Actor
from crmdesk.services.glance import glances, protection_label
from crmdesk.services.protection import rule_in_force
from tests.statements import statements_run

TODAY = dt.date.today()
# A look at a busy card: the card with its tables, ownership changes, deals, staff names,
# settings and owner's latest contact 1, its log 1, its audit entry 3, appointments,
# complaints and their steps.
STATEMENTS = 8


def _busy_card(manager, salesperson, complete_card) -> int:
    """A customer with purchases, a deal, an appointment, a complaint and a transfer."""
    customer_id = customers.save_card(complete_card(salesperson), salesperson).customer_id
    deals.record_deal(customer_id, deals.NewDeal(TODAY, amount=Decimal("1200.50"),
                                                 product="轿车"), salesperson)
    appointments.book(customer_id, dt.datetime.combine(TODAY, dt.time(10)) + dt.timedelta(days=2),
                      "试驾", salesperson)
    complaints.record_complaint(customer_id, complaints.NewComplaint(
        dt.datetime.now(), "call", "态度差", "service"), salesperson)
    colleague = Staff.create(name="李娜", username="li", roles="sales")
    ownership.transfer([customer_id], colleague.id, "调离交接", manager)
    return customer_id


def test_the_view_holds_what_each_panel_reads_by_itself(manager, salesperson, complete_card):
    customer_id = _busy_card(manager, salesperson, complete_card)
    view = card_view.open_card_view(customer_id, manager)
    glance = glances([customer_id], manager)[0]
    assert view.card == customers.get_card(customer_id)
    assert view.owner == view.ownership.owner == "李娜" == glance.owner
    assert view.ownership.protection == protection_label(glance)
    assert view.ownership.rule == rule_in_force()
    assert view.ownership.history == ownership.ownership_history(customer_id)
    assert view.value == customer_value.values_of([customer_id])[customer_id]
    assert view.deals == deals.deals_of(customer_id, manager)
    assert view.appointments == appointments.of_customer(customer_id, manager)
    assert view.complaints == complaints.complaints_of(customer_id, manager)
    assert [len(view.deals), len(view.appointments), len(view.complaints)] == [1, 1, 1]


def test_a_look_is_recorded_once_and_reads_in_few_statements(manager, salesperson,
                                                             complete_card, caplog):
    customer_id = _busy_card(manager, salesperson, complete_card)
    opening = statements_run(caplog, lambda: card_view.open_card_view(customer_id, manager))
    looks = AuditEntry.select().where(AuditEntry.action == "open_card")
    assert [entry.customer_id for entry in looks] == [customer_id]
    assert len(opening) <= STATEMENTS, opening


def test_where_contacts_renew_protection_the_owners_contact_is_read_with_the_card(
        manager, salesperson, complete_card, caplog):
    settings.put("protection_renewed_by_contact", True)
    customer_id = customers.save_card(complete_card(salesperson), salesperson).customer_id
    Customer.update(created_at=dt.datetime.now() - dt.timedelta(days=400)).where(
        Customer.id == customer_id).execute()
    lapsed = card_view.open_card_view(customer_id, manager).ownership.protection
    log_contact(customer_id, Contact(dt.datetime.now() - dt.timedelta(hours=1), "phone", "回访"),
                salesperson)

    opening = statements_run(caplog, lambda: card_view.open_card_view(customer_id, manager))
    renewed = card_view.open_card_view(customer_id, manager).ownership.protection
    assert renewed == protection_label(glances([customer_id], manager)[0]) != lapsed
    assert len(opening) <= STATEMENTS, opening


def test_the_front_desk_looks_without_the_deals(salesperson, complete_card):
    customer_id = customers.save_card(complete_card(salesperson), salesperson).customer_id
    deals.record_deal(customer_id, deals.NewDeal(TODAY, amount=Decimal("99"), product="轿车"),
                      salesperson)
    desk = Actor.of(Staff.create(name="前台小刘", username="desk", roles="frontdesk"))
    view = card_view.open_card_view(customer_id, desk)
    assert view.card.read_only
    assert view.deals == []
    assert view.owner == "王强"
    assert view.value.orders == 1

"""Ownership: protection to the boundary day, the pool and its claims, transfers with history."""
from __future__ import annotations

import datetime as dt

import pytest

from crmdesk.errors import ValidationError
from crmdesk.models import Customer, OwnershipChange, Staff
from crmdesk.services import settings
from crmdesk.services.accounts import PermissionDenied
from crmdesk.services.contacts import Contact, log_contact
from crmdesk.services.context import Actor
from crmdesk.services.ownership import (
    OwnershipRefused,
    claim,
    customers_of,
    ownership_history,
    transfer,
)
from crmdesk.services.pool import due_to_lapse, pool
from crmdesk.services.protection import protection_of

REGISTERED = dt.datetime(2026, 1, 1, 10, 0)
LAST_PROTECTED = dt.date(2026, 3, 2)  # 60 days after the registration day
FIRST_LAPSED = dt.date(2026, 3, 3)


@pytest.fixture
def colleague(archive) -> Actor:
    """A second salesperson, 李娜."""
    return Actor.of(Staff.create(name="李娜", username="lina", roles="sales"))


@pytest.fixture
def owned(add_customer, salesperson) -> int:
    """A customer of 王强 registered on 2026-01-01, with no contact since."""
    customer_id = add_customer(salesperson)
    Customer.update(created_at=REGISTERED).where(Customer.id == customer_id).execute()
    return customer_id


def _in_pool(day: dt.date, actor: Actor) -> list[int]:
    return [g.customer_id for g in pool(actor, day).rows]


def test_protection_lasts_through_the_boundary_day_and_lapses_the_day_after(owned, salesperson):
    guard = protection_of([owned])[owned]

    assert guard.expires == LAST_PROTECTED
    assert guard.lapses_on == FIRST_LAPSED
    assert guard.valid_on(LAST_PROTECTED)
    assert not guard.valid_on(FIRST_LAPSED)
    assert _in_pool(LAST_PROTECTED, salesperson) == []
    assert _in_pool(FIRST_LAPSED, salesperson) == [owned]


def test_where_contacts_renew_protection_the_owners_does_but_a_managers_does_not(
        owned, salesperson, manager):
    settings.put("protection_renewed_by_contact", True)
    log_contact(owned, Contact(dt.datetime(2026, 2, 20, 15), "phone", "经理代接电话"), manager)
    assert _in_pool(FIRST_LAPSED, salesperson) == [owned]

    log_contact(owned, Contact(dt.datetime(2026, 2, 20, 16), "phone", "回访"), salesperson)

    assert protection_of([owned])[owned].expires == dt.date(2026, 4, 21)
    assert _in_pool(FIRST_LAPSED, salesperson) == []
    assert _in_pool(dt.date(2026, 4, 22), salesperson) == [owned]


def test_protection_days_can_differ_by_level(owned, salesperson, level_ids):
    Customer.update(level=level_ids["H"]).where(Customer.id == owned).execute()
    settings.put("protection_days_by_level", {"H": 10})

    assert protection_of([owned])[owned].expires == dt.date(2026, 1, 11)
    assert _in_pool(dt.date(2026, 1, 11), salesperson) == []
    assert _in_pool(dt.date(2026, 1, 12), salesperson) == [owned]


def test_customers_with_a_deal_stay_out_of_the_pool_unless_the_setting_says_otherwise(
        owned, salesperson):
    Customer.update(status="deal").where(Customer.id == owned).execute()
    assert _in_pool(FIRST_LAPSED, salesperson) == []
    assert protection_of([owned])[owned].valid_on(dt.date(2030, 1, 1))

    settings.put("pool_exempt_deals", False)
    assert _in_pool(FIRST_LAPSED, salesperson) == [owned]


def test_owners_see_customers_due_to_lapse_within_a_week(owned, salesperson):
    def due(day: dt.date) -> list[tuple[int, dt.date | None]]:
        return [(g.customer_id, g.lapses_on)
                for g in due_to_lapse(salesperson.staff_id, salesperson, day)]

    assert due(dt.date(2026, 2, 23)) == []
    assert due(dt.date(2026, 2, 24)) == [(owned, FIRST_LAPSED)]
    assert due(LAST_PROTECTED) == [(owned, FIRST_LAPSED)]
    assert due(FIRST_LAPSED) == []


def test_transfer_keeps_who_when_from_to_and_why_on_the_card(owned, manager, colleague):
    version = Customer.get_by_id(owned).version

    assert transfer([owned], colleague.staff_id, "王强调离", manager) == 1

    customer = Customer.get_by_id(owned)
    assert customer.owner_id == colleague.staff_id
    assert customer.version == version + 1
    history = ownership_history(owned)
    assert [(r.kind, r.from_name, r.to_name, r.by_name, r.reason) for r in history] == [
        ("registration", "", "王强", "王强", ""),
        ("transfer", "王强", "李娜", "赵经理", "王强调离"),
    ]
    assert history[1].kind_label == "调离交接"


def test_only_a_manager_transfers_and_always_with_a_reason(owned, manager, salesperson,
                                                          colleague):
    with pytest.raises(PermissionDenied):
        transfer([owned], colleague.staff_id, "想要", salesperson)
    with pytest.raises(ValidationError):
        transfer([owned], colleague.staff_id, "  ", manager)
    assert OwnershipChange.select().count() == 0


def test_all_of_a_leavers_customers_move_in_one_go(add_customer, salesperson, manager,
                                                   colleague):
    ids = [add_customer(salesperson, mobile=f"1380013800{i}") for i in range(3)]

    assert transfer(customers_of(salesperson.staff_id), colleague.staff_id, "长假", manager) == 3
    assert customers_of(colleague.staff_id) == ids
    assert OwnershipChange.select().where(OwnershipChange.reason == "长假").count() == 3


def test_claiming_from_the_pool_makes_a_new_owner(owned, colleague):
    with pytest.raises(OwnershipRefused):
        claim(owned, colleague, LAST_PROTECTED)

    claim(owned, colleague, FIRST_LAPSED)

    assert Customer.get_by_id(owned).owner_id == colleague.staff_id
    assert ownership_history(owned)[-1].kind == "claim"
    assert protection_of([owned])[owned].valid_on(dt.date.today())


def test_claims_stop_at_the_cap_on_owned_customers(owned, add_customer, colleague):
    add_customer(colleague, mobile="13900000001")
    settings.put("pool_claim_cap", 1)

    with pytest.raises(OwnershipRefused, match="1"):
        claim(owned, colleague, FIRST_LAPSED)
    settings.put("pool_claim_cap", 2)
    claim(owned, colleague, FIRST_LAPSED)


def test_a_previous_owner_waits_before_reclaiming(owned, salesperson):
    wait = settings.get("reclaim_wait_days")
    ready = FIRST_LAPSED + dt.timedelta(days=wait)

    with pytest.raises(OwnershipRefused, match=ready.isoformat()):
        claim(owned, salesperson, ready - dt.timedelta(days=1))
    claim(owned, salesperson, ready)
    assert ownership_history(owned)[-1].to_name == "王强"


def test_someone_who_lost_a_customer_waits_from_the_day_it_left_them(owned, manager,
                                                                     salesperson, colleague):
    settings.put("reclaim_wait_days", 90)
    transfer([owned], colleague.staff_id, "调离", manager)
    handed_over = dt.datetime(2026, 1, 5, 9)
    OwnershipChange.update(at=handed_over).where(OwnershipChange.kind == "transfer").execute()
    lapsed = protection_of([owned])[owned].lapses_on
    assert lapsed == dt.date(2026, 3, 7)

    with pytest.raises(OwnershipRefused, match="2026-04-05"):
        claim(owned, salesperson, lapsed)
    claim(owned, salesperson, dt.date(2026, 4, 5))

"""The demo's organisation cards carry a few years of our sales (我司产品历年销售额), up to last
year, so the card's business tab shows amounts with their growth."""
from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from crmdesk.models import AuditEntry, Customer, YearlySale
from crmdesk.services import customers
from crmdesk.services.demo import build_demo
from crmdesk.services.demo_sales import SOLD_STATUSES, YEARS_LEAST, YEARS_MOST

TODAY = dt.date(2026, 5, 6)


def test_demo_organisations_have_a_few_years_of_our_sales_up_to_last_year(archive):
    build_demo(300, today=TODAY)
    years: dict[int, list[int]] = {}
    for customer, year in YearlySale.select(YearlySale.customer, YearlySale.year).tuples():
        years.setdefault(customer, []).append(year)
    cards = dict(Customer.select(Customer.id, Customer.kind).tuples())
    sold = {cid for cid, kind, status in Customer.select(
        Customer.id, Customer.kind, Customer.status).tuples()
        if kind == "organisation" and status in SOLD_STATUSES}
    assert len(sold) > 20
    assert set(years) == sold  # never on a person's card, never on a prospect's
    assert all(cards[cid] == "organisation" for cid in years)
    for held in years.values():
        assert YEARS_LEAST <= len(held) <= YEARS_MOST
        assert sorted(held) == list(range(TODAY.year - len(held), TODAY.year))
    assert {len(held) for held in years.values()} == set(range(YEARS_LEAST, YEARS_MOST + 1))
    entry = AuditEntry.select().where(AuditEntry.action == "demo_data").get()
    assert json.loads(entry.details)["sales_by_year"] == sum(map(len, years.values()))


def test_the_business_tab_shows_the_demo_years_with_their_growth(archive):
    build_demo(200, today=TODAY)
    cid = YearlySale.select(YearlySale.customer).order_by(YearlySale.customer).scalar()
    shown = customers.get_card(cid).sales_by_year
    assert len(shown) >= YEARS_LEAST
    assert all(isinstance(r["amount"], Decimal) and r["amount"] > 0 for r in shown)
    assert all(r["amount"] == r["amount"].quantize(Decimal("0.01")) for r in shown)
    assert shown[0]["growth"] is None and all(r["growth"] is not None for r in shown[1:])
    rates = {r["growth"] for card in Customer.select(Customer.id).where(
        Customer.id.in_(YearlySale.select(YearlySale.customer)))
        for r in customers.get_card(card.id).sales_by_year[1:]}
    assert min(rates) < 0 < max(rates)  # some organisations buy more each year, some less


def test_the_same_seed_gives_the_same_years(archive):
    build_demo(150, seed=7, today=TODAY)
    first = list(YearlySale.select(YearlySale.customer, YearlySale.year, YearlySale.amount)
                 .order_by(YearlySale.customer, YearlySale.year).tuples())
    YearlySale.delete().execute()
    from crmdesk.services.demo_sales import build_demo_sales

    build_demo_sales(7, 1, TODAY)
    again = list(YearlySale.select(YearlySale.customer, YearlySale.year, YearlySale.amount)
                 .order_by(YearlySale.customer, YearlySale.year).tuples())
    assert first == again

"""The home pages' appointment tiles: the front desk sees who is expected today, a salesperson
the customers who did not come."""
from __future__ import annotations

import datetime as dt

from crmdesk.models import Appointment, Staff
from crmdesk.services import appointments, customers, workbench
from crmdesk.services.context import Actor
from crmdesk.services.frontdesk import VisitDraft, register_visit

TODAY = dt.date.today()


def _customer(owner: Actor, name: str) -> int:
    card = customers.new_card(owner)
    card.values.update(name=name, owner=owner.staff_id)
    return customers.save_card(card, owner, accept_incomplete=True).customer_id


def _booked(customer_id: int, owner: Actor, at: dt.datetime, purpose: str) -> int:
    return Appointment.create(customer=customer_id, salesperson=owner.staff_id, starts_at=at,
                              purpose=purpose, expected="夫妇二人", booked_by=owner.staff_id,
                              booked_at=at - dt.timedelta(days=1)).id


def test_the_front_desk_sees_the_customers_expected_today_until_they_arrive(salesperson):
    desk = Actor.of(Staff.create(name="陈静", username="desk", roles="frontdesk"))
    zhang = _customer(salesperson, "张三")
    li = _customer(salesperson, "李四")
    _booked(zhang, salesperson, dt.datetime.combine(TODAY, dt.time(10)), "试驾")
    _booked(li, salesperson, dt.datetime.combine(TODAY, dt.time(15, 30)), "签约")
    tile = workbench.front_desk(desk, TODAY)["expected"]
    assert tile.count == 2
    assert [(line.title, line.detail) for line in tile.lines] == [
        ("张三", "10:00 · 夫妇二人 · 王强 · 待到访"), ("李四", "15:30 · 夫妇二人 · 王强 · 待到访")]

    register_visit(VisitDraft("张三", "13800138000", customer_id=zhang), desk)
    assert [line.title for line in workbench.front_desk(desk, TODAY)["expected"].lines] == [
        "李四"]
    assert [line.customer_id for line in workbench.full_list("expected", desk)] == [li]


def test_a_salesperson_sees_their_no_shows_latest_first(salesperson, manager):
    mine = _customer(salesperson, "张三")
    _booked(mine, salesperson, dt.datetime.combine(TODAY - dt.timedelta(days=3), dt.time(9)),
            "试驾")
    _booked(mine, salesperson, dt.datetime.combine(TODAY - dt.timedelta(days=1), dt.time(9)),
            "签约")
    cancelled = _booked(mine, salesperson,
                        dt.datetime.combine(TODAY - dt.timedelta(days=2), dt.time(9)), "看车")
    Appointment.update(state="cancelled").where(Appointment.id == cancelled).execute()
    _booked(_customer(manager, "别人的"), manager,
            dt.datetime.combine(TODAY - dt.timedelta(days=1), dt.time(9)), "看车")

    tile = workbench.sales(salesperson, TODAY)["no_shows"]
    assert tile.count == 2
    assert [line.detail.split(" · ")[0] for line in tile.lines] == [
        (TODAY - dt.timedelta(days=d)).strftime("%m-%d 09:00") for d in (1, 3)]
    assert len(workbench.full_list("no_shows", salesperson)) == 2
    assert appointments.no_shows(salesperson, TODAY)[0].state == "no_show"

"""Editing the level scheme: validation, presets, and the next follow-up date kept by the rule."""
from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crmdesk.errors import NotFoundError, ValidationError
from crmdesk.models import Communication, Customer, Level, Staff
from crmdesk.models.db import close_database, open_database
from crmdesk.services import customers, followup, levels
from crmdesk.services import settings as office_settings
from crmdesk.services.accounts import PermissionDenied
from crmdesk.services.contacts import Contact, log_contact
from crmdesk.services.context import Actor
from crmdesk.services.levels import LevelDraft

DAY = dt.date(2026, 3, 10)


def rule_from_scratch(customer_id: int) -> dt.date | None:
    """The next follow-up worked out from the log alone, independently of the services."""
    customer = Customer.get_by_id(customer_id)
    log = sorted(Communication.select().where(Communication.customer == customer_id),
                 key=lambda c: (c.contacted_at, c.seq))
    interval = Level.get_by_id(customer.level_id).interval_days if customer.level_id else None
    if log and log[-1].next_follow_up:
        return log[-1].next_follow_up
    if interval is None:
        return None
    start = log[-1].contacted_at if log else customer.created_at
    return start.date() + dt.timedelta(days=interval)


def assert_rule_holds() -> None:
    for customer in Customer.select():
        assert customer.next_follow_up == rule_from_scratch(customer.id), customer.archive_no
        latest = max((c.contacted_at for c in customer.communications), default=None)
        assert customer.last_contact_at == latest


def draft_of(code: str, **changes) -> LevelDraft:
    level = Level.get(Level.code == code)
    values = dict(code=level.code, name=level.name, description=level.description,
                  interval_days=level.interval_days, sort_order=level.sort_order,
                  active=level.active)
    values.update(changes)
    return LevelDraft(**values)


def log(customer_id: int, day: dt.date, actor: Actor, planned: dt.date | None = None) -> None:
    log_contact(customer_id, Contact(dt.datetime.combine(day, dt.time(11)), "wechat", "微信沟通",
                                     next_follow_up=planned), actor)


def test_levels_lists_the_default_scheme_in_order(archive):
    scheme = levels.levels()
    assert [lv.code for lv in scheme] == ["O", "H", "A", "B", "C", "战败"]
    assert [lv.interval_days for lv in scheme] == [None, 2, 3, 5, 7, None]
    assert scheme[1].description.startswith("7 天内") and scheme[5].sort_order == 5


def test_create_level_validates_every_field(archive, manager):
    with pytest.raises(ValidationError) as refused:
        levels.create_level(LevelDraft(code="h", name=" ", interval_days=0, sort_order=-1),
                            manager)
    assert [p.field for p in refused.value.problems] == [
        "code", "name", "interval_days", "sort_order"]
    with pytest.raises(ValidationError) as refused:
        levels.create_level(LevelDraft(code="TOO LONG CODE", name="x"), manager)
    assert [p.field for p in refused.value.problems] == ["code"]
    created = levels.create_level(LevelDraft("D", "D 级", "每月跟进", 30, 9), manager)
    assert (created.code, created.interval_days, created.active) == ("D", 30, True)


def test_only_managers_and_admins_edit_the_scheme(archive, salesperson):
    with pytest.raises(PermissionDenied, match=r"经理|manager") as refused:
        levels.create_level(LevelDraft("D", "D 级", interval_days=30), salesperson)
    assert "管理员" in str(refused.value) or "administrator" in str(refused.value)
    with pytest.raises(PermissionDenied):
        levels.apply_preset("telesales", salesperson)


def test_interval_edit_recomputes_only_that_level(add_customer, salesperson, manager, level_ids):
    planned = add_customer(level=level_ids["C"])
    log(planned, DAY, salesperson, planned=DAY + dt.timedelta(days=20))
    by_contact = add_customer(level=level_ids["C"])
    log(by_contact, DAY, salesperson)
    never = add_customer(level=level_ids["C"])
    other = add_customer(level=level_ids["B"])
    log(other, DAY, salesperson)
    change = levels.update_level(level_ids["C"], draft_of("C", interval_days=14), manager)
    assert change.recomputed == 3 and change.level.interval_days == 14
    assert Customer.get_by_id(planned).next_follow_up == DAY + dt.timedelta(days=20)
    assert Customer.get_by_id(by_contact).next_follow_up == DAY + dt.timedelta(days=14)
    registered = Customer.get_by_id(never).created_at.date()
    assert Customer.get_by_id(never).next_follow_up == registered + dt.timedelta(days=14)
    assert Customer.get_by_id(other).next_follow_up == DAY + dt.timedelta(days=5)
    assert_rule_holds()


def test_removing_the_interval_takes_customers_off_the_list(add_customer, salesperson, manager,
                                                           level_ids):
    cid = add_customer(level=level_ids["H"])
    log(cid, DAY - dt.timedelta(days=10), salesperson)
    assert followup.counts(DAY).overdue == 1
    levels.update_level(level_ids["H"], draft_of("H", interval_days=None), manager)
    assert Customer.get_by_id(cid).next_follow_up is None
    assert followup.counts(DAY).overdue == 0
    levels.update_level(level_ids["H"], draft_of("H", interval_days=2), manager)
    assert followup.overdue(DAY)[0].days_overdue == 8


def test_renaming_a_level_recomputes_nothing(archive, manager, level_ids):
    change = levels.update_level(level_ids["A"], draft_of("A", name="A 类"), manager)
    assert change.recomputed == 0 and change.level.name == "A 类"


def test_deactivated_level_keeps_its_customers_followed_up(add_customer, salesperson, manager,
                                                           level_ids):
    cid = add_customer(level=level_ids["H"])
    log(cid, DAY - dt.timedelta(days=3), salesperson)
    before = Customer.get_by_id(cid).next_follow_up
    info = levels.deactivate_level(level_ids["H"], manager)
    assert not info.active
    assert "H" not in [lv.code for lv in levels.levels(active_only=True)]
    assert Customer.get_by_id(cid).next_follow_up == before == DAY - dt.timedelta(days=1)
    assert [r.customer_id for r in followup.overdue(DAY)] == [cid]
    assert_rule_holds()


def test_default_level_and_last_active_level_cannot_be_deactivated(archive, manager, level_ids):
    with pytest.raises(ValidationError) as refused:
        levels.deactivate_level(level_ids["C"], manager)
    assert refused.value.problems[0].field == "active"
    for code in ("O", "H", "A", "B", "战败"):
        levels.deactivate_level(level_ids[code], manager)
    office_settings.put("default_level", "B")
    with pytest.raises(ValidationError) as refused:
        levels.deactivate_level(level_ids["C"], manager)
    assert refused.value.problems[0].field == "active"
    assert Level.get_by_id(level_ids["C"]).active
    with pytest.raises(NotFoundError):
        levels.deactivate_level(999, manager)


def test_telesales_preset_and_back(add_customer, salesperson, manager, level_ids):
    c_customer = add_customer(level=level_ids["C"])
    log(c_customer, DAY, salesperson)
    h_customer = add_customer(level=level_ids["H"])
    log(h_customer, DAY, salesperson)
    result = levels.apply_preset("telesales", manager)
    assert (result.created, result.updated) == (("D",), ("A", "B", "C"))
    assert result.deactivated == ("O", "H", "战败") and result.recomputed == 1
    active = [(lv.code, lv.interval_days) for lv in levels.levels(active_only=True)]
    assert active == [("A", 1), ("B", 7), ("C", 15), ("D", 30)]
    assert Customer.get_by_id(c_customer).next_follow_up == DAY + dt.timedelta(days=15)
    assert Customer.get_by_id(h_customer).next_follow_up == DAY + dt.timedelta(days=2)
    back = levels.apply_preset("showroom", manager)
    assert back.created == () and back.deactivated == ("D",)
    assert [lv.code for lv in levels.levels(active_only=True)] == ["O", "H", "A", "B", "C", "战败"]
    assert Customer.get_by_id(c_customer).next_follow_up == DAY + dt.timedelta(days=7)
    assert_rule_holds()
    with pytest.raises(NotFoundError):
        levels.apply_preset("nonsense", manager)


CODES = st.sampled_from(["O", "H", "A", "B", "C", "D", "战败"])
ACTIONS = st.one_of(
    st.tuples(st.just("register"), CODES),
    st.tuples(st.just("contact"), st.integers(0, 3), st.integers(0, 40), st.none() | CODES,
              st.none() | st.integers(0, 20)),
    st.tuples(st.just("grade"), st.integers(0, 3), CODES),
    st.tuples(st.just("interval"), st.integers(0, 3), st.none() | st.integers(1, 30)),
    st.tuples(st.just("deactivate"), CODES),
    st.tuples(st.just("preset"), st.sampled_from(["showroom", "telesales"])),
)


def _act(action: tuple, actor: Actor, people: list[int]) -> None:
    kind, *args = action
    ids = {lv.code: lv.id for lv in Level.select()}
    if kind == "register" and args[0] in ids:
        card = customers.new_card(actor)
        card.values.update(name="测试客户", level=ids[args[0]])
        people.append(customers.save_card(card, actor, accept_incomplete=True).customer_id)
    elif kind == "contact" and people:
        who, days, code, planned = args
        day = DAY + dt.timedelta(days=days)
        log_contact(people[who % len(people)], Contact(
            dt.datetime.combine(day, dt.time(9 + days % 8)), "phone", "电话",
            level_id=ids.get(code) if code else None,
            next_follow_up=day + dt.timedelta(days=planned) if planned is not None else None),
            actor)
    elif kind == "grade" and people and args[1] in ids:
        card = customers.get_card(people[args[0] % len(people)])
        card.values["level"] = ids[args[1]]
        customers.save_card(card, actor, accept_incomplete=True)
    elif kind == "interval" and people:
        # The level of one of the customers, so that the edit has someone to recompute.
        level = Customer.get_by_id(people[args[0] % len(people)]).level
        levels.update_level(level.id, draft_of(level.code, interval_days=args[1]), actor)
    elif kind == "deactivate" and args[0] in ids:
        try:
            levels.deactivate_level(ids[args[0]], actor)
        except ValidationError:
            pass  # the default level or the last active one: refused, nothing changes
    elif kind == "preset":
        levels.apply_preset(args[0], actor)


STARTS = st.lists(st.tuples(CODES, st.none() | st.integers(0, 20)), min_size=1, max_size=4)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(STARTS, st.lists(ACTIONS, min_size=1, max_size=20))
def test_stored_next_date_always_follows_the_rule(starts, actions):
    with tempfile.TemporaryDirectory() as folder:
        open_database(Path(folder) / "archive.sqlite3")
        try:
            actor = Actor.of(Staff.create(name="赵经理", username="m", roles="manager,sales"))
            people: list[int] = []
            # Every run starts from customers with a log, some with a planned next date.
            for number, (code, planned) in enumerate(starts):
                _act(("register", code), actor, people)
                _act(("contact", number, number, None, planned), actor, people)
            for action in actions:
                _act(action, actor, people)
                assert_rule_holds()
        finally:
            close_database()

"""The overdue list, due lists and counts: next-date rule, boundaries, filters, order, indexes."""
from __future__ import annotations

import datetime as dt
import logging

import pytest

from crmdesk.models import Communication, Customer, Level
from crmdesk.models.db import database
from crmdesk.services import cadence, customers, followup
from crmdesk.services.contacts import Contact, log_contact
from crmdesk.services.followup import Band, FollowUpFilter
from tests.statements import statements_run

DAY = dt.date(2026, 3, 10)


def registered(customer_id: int, day: dt.date) -> None:
    """Backdate a customer's registration to ``day`` (9:00) and refresh their next date."""
    Customer.update(created_at=dt.datetime.combine(day, dt.time(9))).where(
        Customer.id == customer_id).execute()
    cadence.refresh_follow_up(customer_id)


def contact(customer_id: int, day: dt.date, actor, level_id: int | None = None,
            planned: dt.date | None = None) -> None:
    log_contact(customer_id, Contact(dt.datetime.combine(day, dt.time(15)), "phone",
                                     "电话沟通", level_id=level_id, conclusion="继续跟进",
                                     next_follow_up=planned), actor)


def next_date(customer_id: int) -> dt.date | None:
    return Customer.get_by_id(customer_id).next_follow_up


def overdue_ids(as_of: dt.date = DAY, **filters) -> list[int]:
    rows = followup.overdue(as_of, FollowUpFilter(**filters), limit=None)
    return [r.customer_id for r in rows]


def test_new_customer_is_due_registration_plus_interval(add_customer, level_ids):
    cid = add_customer(level=level_ids["C"])
    registered(cid, DAY - dt.timedelta(days=10))
    assert next_date(cid) == DAY - dt.timedelta(days=3)
    assert followup.counts(DAY).never_contacted == 1
    assert [r.customer_id for r in followup.never_contacted(DAY)] == [cid]


def test_contact_without_planned_date_counts_the_interval_from_the_contact(
        add_customer, salesperson, level_ids):
    cid = add_customer(level=level_ids["C"])
    contact(cid, DAY - dt.timedelta(days=2), salesperson, level_id=level_ids["A"])
    assert next_date(cid) == DAY + dt.timedelta(days=1)
    assert followup.counts(DAY).never_contacted == 0


def test_planned_date_wins_over_the_interval(add_customer, salesperson, level_ids):
    cid = add_customer(level=level_ids["C"])
    contact(cid, DAY, salesperson, planned=DAY + dt.timedelta(days=30))
    assert next_date(cid) == DAY + dt.timedelta(days=30)


def test_changing_the_level_on_the_card_recomputes(add_customer, salesperson, level_ids):
    cid = add_customer(level=level_ids["C"])
    contact(cid, DAY, salesperson)
    card = customers.get_card(cid)
    card.values["level"] = level_ids["H"]
    customers.save_card(card, salesperson)
    assert next_date(cid) == DAY + dt.timedelta(days=2)
    card = customers.get_card(cid)
    card.values["level"] = level_ids["O"]
    customers.save_card(card, salesperson)
    assert next_date(cid) is None


def test_due_today_is_not_overdue_but_yesterday_is(add_customer, salesperson, level_ids):
    cid = add_customer(level=level_ids["B"])
    contact(cid, DAY - dt.timedelta(days=5), salesperson)
    assert next_date(cid) == DAY
    assert overdue_ids(DAY) == []
    assert [r.customer_id for r in followup.due_today(DAY)] == [cid]
    counts = followup.counts(DAY)
    assert (counts.overdue, counts.due_today, counts.due_this_week) == (0, 1, 1)
    rows = followup.overdue(DAY + dt.timedelta(days=1))
    assert [(r.customer_id, r.days_overdue) for r in rows] == [(cid, 1)]
    assert followup.due_today(DAY + dt.timedelta(days=1)) == []


def test_due_this_week_is_the_seven_days_from_today(add_customer, salesperson, level_ids):
    ids = []
    for ahead in (0, 6, 7):
        cid = add_customer(level=level_ids["C"])
        contact(cid, DAY, salesperson, planned=DAY + dt.timedelta(days=ahead))
        ids.append(cid)
    week = followup.due_this_week(DAY)
    assert [r.customer_id for r in week] == ids[:2]
    assert [r.days_overdue for r in week] == [0, -6]
    assert followup.counts(DAY).due_this_week == 2


def test_lost_invalid_and_levels_without_interval_are_never_overdue(
        add_customer, salesperson, level_ids):
    lost = add_customer(level=level_ids["C"], status="lost")
    invalid = add_customer(level=level_ids["C"], status="invalid")
    ordered = add_customer(level=level_ids["O"])
    planned_o = add_customer(level=level_ids["O"])
    kept = add_customer(level=level_ids["C"])
    for cid in (lost, invalid, ordered, kept):
        registered(cid, DAY - dt.timedelta(days=60))
    contact(planned_o, DAY - dt.timedelta(days=20), salesperson, planned=DAY - dt.timedelta(days=9))
    assert overdue_ids() == [kept]
    assert followup.counts(DAY).overdue == 1


def test_order_is_days_overdue_then_level_order(add_customer, salesperson, level_ids):
    made = {}
    for code, late in (("C", 3), ("H", 3), ("A", 9), ("B", 3)):
        cid = add_customer(level=level_ids[code])
        contact(cid, DAY - dt.timedelta(days=20), salesperson,
                planned=DAY - dt.timedelta(days=late))
        made[code] = cid
    rows = followup.overdue(DAY)
    assert [r.level_code for r in rows] == ["A", "H", "B", "C"]
    assert [r.days_overdue for r in rows] == [9, 3, 3, 3]
    top = rows[0]
    assert top.last_method == "phone" and top.last_method_label == "电话"
    # A was the third card made (see complete_card): mobile 13800138002.
    assert top.last_conclusion == "继续跟进" and top.mobile == "13800138002"
    assert top.last_contact_at == dt.datetime.combine(DAY - dt.timedelta(days=20), dt.time(15))


def test_filters_bands_owner_and_grouping(add_customer, salesperson, manager, level_ids):
    expected = {}
    for late, owner in ((1, salesperson), (3, manager), (4, salesperson), (7, manager),
                        (8, salesperson), (30, salesperson), (31, manager)):
        cid = add_customer(actor=owner, level=level_ids["C"],
                           source="call" if late == 8 else "visit")
        contact(cid, DAY - dt.timedelta(days=40), owner, planned=DAY - dt.timedelta(days=late))
        expected[late] = cid
    by_band = {band: [r.days_overdue for r in followup.overdue(DAY, FollowUpFilter(band=band))]
               for band in Band}
    assert by_band == {Band.DAYS_1_3: [3, 1], Band.DAYS_4_7: [7, 4], Band.DAYS_8_30: [30, 8],
                       Band.MORE: [31]}
    mine = followup.overdue(DAY, FollowUpFilter(owner_id=salesperson.staff_id))
    assert {r.days_overdue for r in mine} == {1, 4, 8, 30}
    assert {r.owner_name for r in mine} == {"王强"}
    assert followup.overdue(DAY, actor=salesperson) == mine
    assert len(followup.overdue(DAY, actor=manager)) == 7
    assert overdue_ids(source="call") == [expected[8]]
    assert overdue_ids(level_id=level_ids["H"]) == []
    groups = followup.overdue_by_owner(DAY)
    assert [(g.owner_name, g.count) for g in groups] == [("王强", 4), ("赵经理", 3)]
    assert followup.overdue_count(DAY, FollowUpFilter(band=Band.DAYS_8_30)) == 2
    assert followup.counts(DAY, actor=salesperson).overdue == 4


def test_pages_join_up_to_the_whole_list(add_customer, salesperson, level_ids):
    for late in range(1, 8):
        cid = add_customer(level=level_ids["B"])
        contact(cid, DAY - dt.timedelta(days=20), salesperson,
                planned=DAY - dt.timedelta(days=late % 3 + 1))
    whole = followup.overdue(DAY, limit=None)
    pages = [followup.overdue(DAY, offset=k, limit=3) for k in (0, 3, 6)]
    assert [r for page in pages for r in page] == whole
    assert followup.overdue_count(DAY) == len(whole) == 7


def test_logging_a_contact_takes_the_row_off_the_list(add_customer, salesperson, level_ids):
    cid = add_customer(level=level_ids["C"])
    registered(cid, DAY - dt.timedelta(days=30))
    assert overdue_ids() == [cid]
    contact(cid, DAY, salesperson)
    assert overdue_ids() == []
    assert followup.counts(DAY).overdue == 0


def test_band_parse_accepts_the_cli_forms():
    assert Band.parse("1-3") is Band.DAYS_1_3
    assert Band.parse("more") is Band.MORE and Band.parse("30+") is Band.MORE
    with pytest.raises(ValueError, match="9-9"):
        Band.parse("9-9")


def _plans(caplog, call) -> list[str]:
    """The query plans of every SELECT that ``call`` runs on customer."""
    with caplog.at_level(logging.DEBUG, logger="peewee"):
        caplog.clear()
        call()
    plans = []
    for record in caplog.records:
        sql, params = record.msg
        if sql.startswith("SELECT") and '"customer"' in sql:
            rows = database.execute_sql("EXPLAIN QUERY PLAN " + sql, params).fetchall()
            plans.append(" ".join(row[-1] for row in rows))
    return plans


@pytest.mark.sqlite_only
def test_list_and_counts_read_the_partial_follow_up_indexes(archive, caplog, salesperson):
    plans = _plans(caplog, lambda: followup.overdue(DAY))
    assert "USING COVERING INDEX customer_follow_up " in plans[0]
    assert all("customer_follow_up" in p for p in _plans(caplog, lambda: followup.counts(DAY))[:3])
    owner = FollowUpFilter(owner_id=salesperson.staff_id)
    assert "customer_follow_up_owner" in _plans(caplog, lambda: followup.overdue(DAY, owner))[0]


def test_counts_leave_out_the_top_secret_archives_one_may_not_read(
        add_customer, salesperson, manager, level_ids):
    from crmdesk.services.readers import set_readers

    ordinary = add_customer(level=level_ids["A"])
    secret = add_customer(level=level_ids["A"], confidentiality="secret")
    due_today = add_customer(level=level_ids["A"], confidentiality="secret")
    for cid in (ordinary, secret):
        registered(cid, DAY - dt.timedelta(days=5))
    registered(due_today, DAY - dt.timedelta(days=3))

    def seen(actor) -> tuple:
        found = followup.counts(DAY, actor)
        return (found.overdue, found.due_today, found.due_this_week,
                followup.overdue_count(DAY, actor=actor),
                followup.due_count(DAY, 1, actor=actor),
                len(followup.overdue(DAY, actor=actor)))

    assert seen(salesperson) == (2, 1, 1, 2, 1, 2)  # the owner sees their own
    assert seen(manager) == (1, 0, 0, 1, 0, 1)  # 绝密: not even the manager
    set_readers(manager, secret, [manager.staff_id])
    assert seen(manager) == (2, 0, 0, 2, 0, 2)


@pytest.mark.sqlite_only
def test_counts_with_the_confidentiality_rule_read_only_the_index(archive, caplog, manager,
                                                                   salesperson):
    # Reading each counted customer's row cost 60 ms for 18,000 overdue customers of 200,000;
    # counting them from the index alone still grows with the archive (100,000 overdue of
    # 200,000: 46 ms). The counts add up the follow-up tally; of the customers they read only
    # the top-secret archives the actor was named a reader of, found through their grants.
    for actor in (manager, salesperson):
        first_screen = _plans(caplog, lambda a=actor: followup.overdue(DAY, actor=a))[0]
        assert "COVERING INDEX customer_follow_up" in first_screen
        assert "NOT IN" in statements_run(caplog, lambda a=actor: followup.overdue(DAY, actor=a)
                                          )[1], "the rule is applied"
        plans = [*_plans(caplog, lambda a=actor: followup.overdue_count(DAY, actor=a)),
                 *_plans(caplog, lambda a=actor: followup.counts(DAY, a))]
        assert all("USING INDEX card_reader_staff_id" in p for p in plans), plans
        counting = statements_run(caplog, lambda a=actor: followup.counts(DAY, a))
        assert any('"follow_up_tally"' in sql for sql in counting)


def test_an_older_archive_gets_the_same_indexes_as_a_new_one(tmp_path):
    from crmdesk.models.db import close_database, open_database

    def index_sql() -> dict[str, str]:
        return dict(database.execute_sql(
            "SELECT name, sql FROM sqlite_master WHERE name LIKE 'customer_follow_up%'"))

    path = tmp_path / "old.sqlite3"
    open_database(path)
    fresh = index_sql()
    for name in fresh:
        database.execute_sql(f'DROP INDEX "{name}"')
    # An archive from before schema 3 lacks the later step that widened them too.
    database.execute_sql("DELETE FROM schema_migration WHERE version IN (3, 22)")
    close_database()
    open_database(path)
    try:
        assert index_sql() == fresh and len(fresh) == 2
        assert database.execute_sql(
            "SELECT name FROM schema_migration WHERE version IN (3, 22) ORDER BY version"
        ).fetchall() == [("follow-up index",), ("covering follow-up indexes",)]
    finally:
        close_database()


def test_rows_name_the_level_and_owner(add_customer, salesperson, level_ids):
    cid = add_customer(level=level_ids["A"])
    registered(cid, DAY - dt.timedelta(days=5))
    row = followup.overdue(DAY)[0]
    assert (row.customer_id, row.level_code, row.owner_name) == (cid, "A", "王强")
    assert row.last_contact_at is None and row.last_method is None and row.last_method_label == ""
    assert row.next_follow_up == DAY - dt.timedelta(days=2) and row.days_overdue == 2
    assert Level.get_by_id(row.level_id).code == "A"
    assert Communication.select().count() == 0

"""The salesperson's birthday and lapsing tiles read only what they show, and the home page reads
the office's settings once per build, never a stale one."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from crmdesk.models import Customer, Setting
from crmdesk.services import reminders, settings, workbench
from crmdesk.services.glance import glances
from crmdesk.services.lapsing import lapsing_rows, soonest
from tests.statements import statements_run


def _birthday_lines(tile: workbench.Tile) -> list[tuple[str, str]]:
    return [(line.title, line.detail.split(" · ")[0]) for line in tile.lines]


@pytest.mark.parametrize(("as_of", "expected"), [
    # Over the new year: 31 December, then the January days of the next year.
    (dt.date(2026, 12, 28), [("年末", "12-31"), ("配偶", "01-01"), ("元旦", "01-01"),
                             ("子女", "01-03")]),
    # 29 February is greeted on 28 February in a year without it ...
    (dt.date(2027, 2, 25), [("二八", "02-28"), ("闰日", "02-28"), ("店庆", "03-02")]),
    # ... and on its own day in a leap year.
    (dt.date(2028, 2, 25), [("二八", "02-28"), ("闰日", "02-29"), ("店庆", "03-02")]),
])
def test_the_birthday_tile_counts_the_weeks_birthdays_over_the_year_end_and_29_february(
        add_customer, salesperson, lina, as_of, expected):
    add_customer(name="年末", birth_date=dt.date(1980, 12, 31))
    add_customer(name="元旦", birth_date=dt.date(1990, 1, 1), spouse_name="配偶",
                 spouse_birth_date=dt.date(1991, 1, 1), children="子女",
                 child_birth_date=dt.date(2015, 1, 3))
    add_customer(name="闰日", birth_date=dt.date(1992, 2, 29))
    add_customer(name="二八", birth_date=dt.date(1993, 2, 28))
    add_customer(kind="organisation", name="店庆", opening_date=dt.date(2010, 3, 2))
    add_customer(lina, name="别人的", birth_date=dt.date(1980, 12, 31))
    lost = add_customer(name="流失", birth_date=dt.date(1980, 1, 1))
    Customer.update(status="lost").where(Customer.id == lost).execute()

    tile = workbench.sales(salesperson, as_of)["birthdays"]

    full = reminders.birthdays(as_of, actor=salesperson, owner_id=salesperson.staff_id)
    assert tile.count == len(full) == len(expected)
    # Two birthdays on one day come by archive number: the spouse's card was saved first.
    assert sorted(_birthday_lines(tile)) == sorted(expected)
    assert [line.customer_id for line in tile.lines] == [b.customer_id for b in full]
    # Another salesperson sees none of them, asked for by owner or not.
    assert reminders.birthdays(as_of, actor=lina, owner_id=salesperson.staff_id) == []
    assert reminders.birthday_tile(as_of, lina, salesperson.staff_id, 5) == (0, [])
    assert [b.person for b in reminders.birthdays(as_of, actor=lina)] == (
        ["别人的"] if as_of.month == 12 else [])


def test_the_birthday_tile_shows_the_first_five_of_many(add_customer, salesperson):
    day = dt.date(2026, 6, 10)
    for k in range(8):
        add_customer(name=f"客户{k}", birth_date=dt.date(1980, 6, 16 - k))
    count, first = reminders.birthday_tile(day, salesperson, salesperson.staff_id, 5)
    full = reminders.birthdays(day, actor=salesperson, owner_id=salesperson.staff_id)
    assert count == len(full) == 7  # 6 June is before the week
    assert first == full[:5]
    assert [b.occurs_on.day for b in first] == [10, 11, 12, 13, 14]
    assert reminders.birthday_tile(day, salesperson, salesperson.staff_id, 0) == (7, [])


@pytest.mark.parametrize("registered", [
    (56, 56, 55, 58, 58, 58, 59),  # a day's worth (lapsing tomorrow) holds the first five
    (54, 57, 58, 58, 59, 60, 60),  # tomorrow holds one: the whole week is read
])
def test_the_lapsing_tile_shows_the_first_to_lapse(add_customer, backdate, salesperson, lina,
                                                   level_ids, registered):
    day = dt.date(2026, 2, 27)
    for days in registered:
        backdate(add_customer(level=level_ids["C"]),
                 dt.datetime.combine(day - dt.timedelta(days=days), dt.time(10)))
    backdate(add_customer(lina, level=level_ids["C"]),
             dt.datetime.combine(day - dt.timedelta(days=60), dt.time(10)))

    count, first = soonest(day, salesperson.staff_id, 5)

    ids = [cid for cid, _owner in lapsing_rows(day, salesperson.staff_id)]
    by_lapse = sorted(glances(ids, salesperson, day), key=lambda g: (g.lapses_on, g.archive_no))
    assert count == len(ids) == len(registered)
    assert first == [g.customer_id for g in by_lapse[:5]]


def _setting_reads(caplog, call) -> int:
    return sum('FROM "setting"' in sql for sql in statements_run(caplog, call))


def test_the_home_page_reads_the_protection_settings_once(
        add_customer, backdate, salesperson, manager, level_ids, caplog):
    backdate(add_customer(level=level_ids["C"]), dt.datetime(2026, 1, 1, 9))
    day = dt.date(2026, 2, 27)
    for who in (manager, salesperson):
        assert _setting_reads(caplog, lambda w=who: workbench.home(w, day)) == 1


def test_a_changed_setting_is_seen_by_the_next_home_page(
        add_customer, backdate, salesperson, manager, level_ids):
    backdate(add_customer(level=level_ids["C"]), dt.datetime(2026, 1, 1, 9))
    day = dt.date(2026, 2, 27)  # protection of 60 days lapses on 3 March: within the week
    assert workbench.home(manager, day)["lapsing"].count == 1
    settings.put("protection_days", 90)
    assert workbench.home(manager, day)["lapsing"].count == 0
    # Another desk changes it back, straight in the archive.
    Setting.update(value=json.dumps(60)).where(Setting.key == "protection_days").execute()
    assert workbench.home(salesperson, day)["lapsing"].count == 1


def test_settings_read_once_hold_their_values_only_for_the_block(archive):
    with settings.read_once("dormant_days"):
        assert settings.get("dormant_days") == 90
        settings.put("dormant_days", 30)
        assert settings.get("dormant_days") == 30  # a change made inside is seen at once
        Setting.update(value="45").where(Setting.key == "dormant_days").execute()
        assert settings.get("dormant_days") == 30  # held for the block
        assert settings.get_many(("dormant_days", "protection_days")) == {
            "dormant_days": 30, "protection_days": 60}
    assert settings.get("dormant_days") == 45


# The statements of each home page, whatever the archive's size (see test_workbench): a new one
# costs a round trip on a shared archive, so adding one is a decision, not an accident. The
# salesperson's is one fewer when tomorrow's lapses fill the tile.
MOST_STATEMENTS = {"manager": 15, "sales": 25}


def test_the_home_pages_statements_are_bounded(
        add_customer, backdate, salesperson, manager, level_ids, caplog):
    for k in range(7):
        backdate(add_customer(level=level_ids["C"], birth_date=dt.date(1980, 3, 1 + k)),
                 dt.datetime(2026, 1, 1, 9))
    day = dt.date(2026, 2, 27)
    for who, most in (("manager", manager), ("sales", salesperson)):
        count = len(statements_run(caplog, lambda w=most: workbench.home(w, day)))
        assert 0 < count <= MOST_STATEMENTS[who], who

"""One definition of a complete card: the card's save warning, the incomplete-card reminder and
the archive-growth report's complete cards agree, counting the office's important fields, and
stay so when an office value is saved or an office field starts or stops asking for one."""
from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from crmdesk.errors import IncompleteCardWarning
from crmdesk.models import Customer, summaries
from crmdesk.models.db import database
from crmdesk.models.migrations import upgrade
from crmdesk.models.office_fields import office_fields
from crmdesk.models.summaries import Milestone, drift
from crmdesk.services import customers, reminders, statistics
from crmdesk.services import office_fields as fields_service
from crmdesk.services.statistics.periods import Period
from tests.office_field_samples import CLUB, PARKING, WORK_YEARS, add_fields

TODAY = dt.date.today()
# Whole months, read from the monthly tallies; and today alone, read from the milestones.
PERIODS = (Period(dt.date(TODAY.year - 1, 1, 1), dt.date(TODAY.year, 12, 31)),
           Period(TODAY, TODAY))


def _warned(cid: int) -> bool:
    """The card's save warning names an empty important field."""
    try:
        customers.validate_card(customers.get_card(cid), office_fields())
    except IncompleteCardWarning:
        return True
    return False


def _saved(actor, card, office=None) -> int:
    card.office = office or {}
    return customers.save_card(card, actor, accept_incomplete=True).customer_id


def _resave(actor, cid: int, **office) -> None:
    card = customers.get_card(cid)
    card.office = {**card.office, **office}
    customers.save_card(card, actor, accept_incomplete=True)


def _figures(manager) -> list[tuple[int, set[int]]]:
    """The growth report's complete cards in each period: the figure and its archives."""
    found = []
    for period in PERIODS:
        total = statistics.run("growth", period, manager, "month").sections[0].rows[-1]
        found.append((total[2].value, {row.customer_id
                                       for row in statistics.drill(total[2], manager)}))
    return found


def assert_one_definition(manager) -> set[int]:
    """The save warning, the reminder, the milestones and the growth report name the same
    incomplete cards; returns them."""
    every = {cid for (cid,) in Customer.select(Customer.id).tuples()}
    warned = {cid for cid in every if _warned(cid)}
    listed = {row.customer_id for row in reminders.incomplete_archives(manager, limit=None)}
    counted = {cid for cid, complete in Milestone.select(
        Milestone.customer_id, Milestone.complete).tuples() if not complete}
    assert listed == warned == counted
    assert reminders.incomplete_count(manager) == len(warned)
    for figure, members in _figures(manager):
        assert figure == len(members) and members == every - warned
    assert drift(database.obj) == []
    return warned


@pytest.fixture
def cards(manager, salesperson, complete_card) -> dict[str, int]:
    """An office with 工作年限 (important, for individuals), 需要车位 (important yes/no) and
    俱乐部 (ordinary), and cards answering them differently."""
    add_fields(manager, WORK_YEARS, CLUB, replace(PARKING, need="important"))
    return {
        "answered": _saved(salesperson, complete_card(salesperson),
                           {"work_years": "3", "parking": "是"}),
        "no_years": _saved(salesperson, complete_card(salesperson), {"parking": "是"}),
        "unticked": _saved(salesperson, complete_card(salesperson),
                           {"work_years": "5", "parking": "否"}),
        "company": _saved(salesperson, complete_card(salesperson, kind="organisation",
                                                     name="华信科技有限公司"),
                          {"parking": "是"}),
        "no_consent": _saved(salesperson, complete_card(salesperson, consent=False),
                             {"work_years": "1", "parking": "是"}),
        "no_address": _saved(manager, complete_card(manager, address=None),
                             {"work_years": "2", "parking": "是"}),
    }


def test_the_warning_the_reminder_and_the_statistics_name_the_same_cards(manager, cards):
    incomplete = assert_one_definition(manager)
    assert incomplete == {cards[k] for k in ("no_years", "unticked", "no_consent",
                                             "no_address")}


def test_saving_an_office_value_keeps_the_complete_figure(manager, salesperson, cards):
    _resave(salesperson, cards["no_years"], work_years="7")
    _resave(salesperson, cards["unticked"], parking="是")
    assert cards["no_years"] not in assert_one_definition(manager)
    _resave(salesperson, cards["answered"], work_years=None)
    _resave(salesperson, cards["company"], parking="否", club="golf")
    incomplete = assert_one_definition(manager)
    assert {cards["answered"], cards["company"]} <= incomplete
    assert cards["unticked"] not in incomplete


def test_an_office_field_that_starts_or_stops_asking_recounts_every_card(manager, cards):
    years = fields_service.field_by_key("work_years")
    draft = fields_service.FieldDraft(years.key, years.zh, years.en, years.kind.key,
                                      years.group, need="general", applies="individual")
    fields_service.change_field(years.id, draft, manager)
    assert cards["no_years"] not in assert_one_definition(manager)
    fields_service.change_field(years.id, replace(draft, need="important"), manager)
    assert cards["no_years"] in assert_one_definition(manager)
    # Moved to a box for organisations, it asks the company and no longer the people.
    fields_service.change_field(years.id, replace(draft, need="important", applies="both",
                                                  group="organisation"), manager)
    incomplete = assert_one_definition(manager)
    assert cards["company"] in incomplete and cards["no_years"] not in incomplete
    parking = fields_service.field_by_key("parking")
    fields_service.set_hidden(parking.id, True, manager)
    assert cards["unticked"] not in assert_one_definition(manager)
    fields_service.set_hidden(parking.id, False, manager)
    assert cards["unticked"] in assert_one_definition(manager)
    fields_service.remove_field("parking", manager, confirmed=True)
    fields_service.remove_field("work_years", manager, confirmed=True)
    assert assert_one_definition(manager) == {cards["no_consent"], cards["no_address"]}
    fields_service.add_field(replace(CLUB, key="hobby", need="important", group="archive"),
                             manager)
    assert len(assert_one_definition(manager)) == len(cards)  # nobody answered it yet


def test_changing_only_an_office_fields_label_recounts_nothing(manager, cards):
    years = fields_service.field_by_key("work_years")
    before = dict(Milestone.select(Milestone.customer_id, Milestone.complete).tuples())
    draft = fields_service.FieldDraft(years.key, "工龄", "Years at work", years.kind.key,
                                      years.group, need="important", applies="individual")
    fields_service.change_field(years.id, draft, manager)
    assert dict(Milestone.select(Milestone.customer_id, Milestone.complete).tuples()) == before
    assert_one_definition(manager)


def test_an_archive_counted_by_the_earlier_definition_is_recounted_on_upgrade(manager, cards):
    db = database.obj
    with database.atomic():
        # As schema 29 left it: unticked boxes and office fields not asked.
        Milestone.update(complete=1).execute()
        db.execute_sql("DELETE FROM growth_tally")
        db.execute_sql("INSERT INTO growth_tally (month, owner_key, source, complete, archives) "
                       + summaries._monthly(db)[0])
        db.execute_sql("DELETE FROM schema_migration WHERE version = 30")
    assert drift(db) != []
    upgrade(db)
    assert_one_definition(manager)


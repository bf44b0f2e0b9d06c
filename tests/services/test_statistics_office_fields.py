"""Archive growth grouped by the office's own choice and yes/no fields: each row counts the
new archives holding that answer (or none), exactly as counted here from the cards, the
total equals the report's, and a click lists those archives, with the reader's walls."""
from __future__ import annotations

import random

import pytest

from crmdesk import i18n
from crmdesk.models import Customer
from crmdesk.models.office_fields import OfficeValue
from crmdesk.services import office_fields, statistics
from crmdesk.services.office_fields import FieldDraft
from crmdesk.services.statistics.periods import Period
from crmdesk.services.visibility import SECRET
from tests.services.test_statistics_drill import END, START, office  # noqa: F401


@pytest.fixture(autouse=True)
def _english() -> None:
    """These tests read the report's titles in English."""
    i18n.set_language("en")


CHOICES = (("expo", "展会", "Trade fair"), ("web", "官网", "Website"), ("friend", "朋友", "Friend"))


def _answers(manager) -> tuple[office_fields.OfficeField, dict[int, str | None]]:
    """A choice field and a yes/no field; two thirds of the archives answer the choice."""
    channel = office_fields.add_field(FieldDraft(
        "channel", "获知渠道", "Heard of us by", "choice", "archive", choices=CHOICES), manager)
    office_fields.add_field(FieldDraft("vip", "贵宾", "VIP", "yes_no", "archive"), manager)
    rng = random.Random(5)
    held: dict[int, str | None] = {}
    for (cid,) in Customer.select(Customer.id).tuples():
        held[cid] = rng.choice(["expo", "web", "friend", None])
        if held[cid] is not None:
            OfficeValue.create(customer=cid, field=channel.id,
                               value=channel.kind.store(held[cid]))
    return channel, held


def _section(report, title: str):
    return next(s for s in report.sections if s.title == title)


def test_growth_by_an_office_choice_counts_each_answer_as_the_cards_hold_it(office, manager):  # noqa: F811
    _channel, held = _answers(manager)
    period = Period(START, END)
    report = statistics.run("growth", period, manager, "week")

    section = _section(report, "By Heard of us by")
    hidden = {cid for cid, owner in office.items() if owner != manager.staff_id}
    registered = {c.id for c in Customer.select()
                  if START <= c.created_at.date() <= END and c.id not in hidden}
    labels = {"展会": "expo", "官网": "web", "朋友": "friend", "Trade fair": "expo",
              "Website": "web", "Friend": "friend"}
    counted = {}
    for row in section.groups():
        answer = labels.get(row[0].value)  # None for "(none)"
        counted[answer] = row[1].value
        assert row[1].value == sum(1 for cid in registered if held[cid] == answer)
        assert len(statistics.drill(row[1], manager)) == row[1].value
        assert {r.id for r in statistics.drill(row[1], manager)} == {
            cid for cid in registered if held[cid] == answer}
    assert section.rows[-1][1].value == report.sections[0].rows[-1][1].value
    assert [labels.get(r[0].value) for r in section.groups()] == [
        a for a in ("expo", "web", "friend", None) if a in counted]
    assert _section(report, "By VIP").rows[-1][1].value == len(registered)


def test_a_salesperson_sees_their_own_answers_only(office, manager, salesperson):  # noqa: F811
    _answers(manager)
    report = statistics.run("growth", Period(START, END), salesperson)
    section = _section(report, "By Heard of us by")
    own = {c.id for c in Customer.select().where(Customer.owner == salesperson.staff_id)
           if START <= c.created_at.date() <= END}
    assert section.rows[-1][1].value == len(own)
    for row in section.groups():
        assert {r.id for r in statistics.drill(row[1], salesperson)} <= own


def test_a_manager_counts_no_top_secret_archive_of_another(office, manager):  # noqa: F811
    _answers(manager)
    report = statistics.run("growth", Period(START, END), manager)
    listed = set()
    for row in _section(report, "By Heard of us by").groups():
        listed |= {r.id for r in statistics.drill(row[1], manager)}
    secret_of_others = {c.id for c in Customer.select().where(
        (Customer.confidentiality == SECRET) & (Customer.owner != manager.staff_id))}
    assert secret_of_others and not listed & secret_of_others
    assert len(listed) == report.sections[0].rows[-1][1].value

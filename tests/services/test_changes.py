"""The change log: every change other desks must see is in it, in commit order, once."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from crmdesk.models import ChangeEvent
from crmdesk.services import changes
from crmdesk.services.changes import KIND_OF_ACTION, READ_ONLY_ACTIONS, ChangeFeed

PACKAGE = Path(__file__).resolve().parents[2] / "crmdesk"


def test_every_audited_action_is_declared_a_change_or_a_read():
    used = set()
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r'audit\.record\(\s*[^,]+,\s*"([a-z_]+)"', text))
        used |= {f"ownership_{k}" for k in re.findall(r'record_change\([^)]*"([a-z]+)"', text)}
    assert used, "no audited actions found: the pattern no longer matches the code"
    assert used - KIND_OF_ACTION.keys() - READ_ONLY_ACTIONS == set()


def test_a_saved_card_is_an_event_for_other_desks_not_for_its_own(add_customer, monkeypatch):
    mine = ChangeFeed()
    other = ChangeFeed()
    customer_id = add_customer()
    events = mine.poll()
    assert [(e.kind, e.ids, e.own) for e in events] == [("customers", (customer_id,), True)]
    monkeypatch.setattr(changes, "DESK", "another desk")
    assert [(e.kind, e.own) for e in other.poll()] == [("customers", False)]
    assert other.poll() == []


def test_an_event_committed_after_a_later_one_is_still_delivered(archive):
    feed = ChangeFeed()
    now = dt.datetime.now()
    first = feed.last_seen
    ChangeEvent.create(id=first + 2, at=now, kind="visits", ids="7", origin="desk 2")
    assert [e.id for e in feed.poll(now)] == [first + 2]
    # The slower transaction commits its earlier id afterwards.
    ChangeEvent.create(id=first + 1, at=now, kind="customers", ids="5", origin="desk 3")
    assert [(e.id, e.ids) for e in feed.poll(now)] == [(first + 1, (5,))]
    assert feed.poll(now + changes.GAP_WAIT) == []


def test_events_older_than_a_day_are_pruned(archive):
    now = dt.datetime(2026, 12, 6, 9, 0)
    ChangeEvent.create(at=now - dt.timedelta(days=2), kind="visits", ids="", origin="x")
    ChangeEvent.create(at=now - dt.timedelta(hours=1), kind="visits", ids="", origin="x")
    assert changes.prune(now) == 1
    assert ChangeEvent.select().count() == 1

"""The follow-up rule: planned date first, else last contact (or registration) plus interval."""
from __future__ import annotations

import datetime as dt

from crmdesk.services.cadence import next_follow_up

REGISTERED = dt.datetime(2026, 1, 5, 9, 0)
LAST_CONTACT = dt.datetime(2026, 2, 10, 16, 45)


def test_planned_date_wins():
    planned = dt.date(2026, 2, 28)
    assert next_follow_up(planned, LAST_CONTACT, REGISTERED, 3) == planned


def test_planned_date_wins_even_for_a_level_without_follow_up():
    planned = dt.date(2026, 2, 28)
    assert next_follow_up(planned, LAST_CONTACT, REGISTERED, None) == planned


def test_interval_counts_from_the_last_contact_day():
    assert next_follow_up(None, LAST_CONTACT, REGISTERED, 5) == dt.date(2026, 2, 15)


def test_interval_counts_from_registration_before_any_contact():
    assert next_follow_up(None, None, REGISTERED, 7) == dt.date(2026, 1, 12)


def test_level_without_interval_needs_no_follow_up():
    assert next_follow_up(None, LAST_CONTACT, REGISTERED, None) is None
